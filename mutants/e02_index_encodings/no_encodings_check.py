"""Indexes batch[i] without checking that the batch keeps Encodings (a plain dict gives KeyError: 0)."""

EXPECT = "check batch.encodings first"


def encoding_at(batch, i):
    n = len(batch["input_ids"])
    if not -n <= i < n:
        raise IndexError(f"i={i} is out of range: the batch has {n} sentences")
    return batch[i]


def tokens_at(batch, i):  # the solution's, kept here so that it calls this encoding_at
    return list(encoding_at(batch, i).tokens)


def token_char_span(batch, i, t):
    encoding = encoding_at(batch, i)
    if not -len(encoding) <= t < len(encoding):
        raise IndexError(f"t={t} is out of range: the row has {len(encoding)} positions")
    return None if encoding.special_tokens_mask[t] else tuple(encoding.offsets[t])


def token_for_char(batch, i, c):
    encoding = encoding_at(batch, i)
    if c < 0:
        raise IndexError(f"c={c} is negative")
    return encoding.char_to_token(c)
