"""Reads offsets[t - 1], as if the offsets left [CLS] out: every span belongs to the previous token."""

EXPECT = "shifted by one"


def token_char_span(batch, i, t):
    encoding = encoding_at(batch, i)
    if not -len(encoding) <= t < len(encoding):
        raise IndexError(f"t={t} is out of range: the row has {len(encoding)} positions")
    if encoding.special_tokens_mask[t]:
        return None
    return tuple(encoding.offsets[t - 1])
