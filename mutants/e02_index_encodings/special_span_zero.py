"""Returns the (0, 0) offsets of [CLS], [SEP] and [PAD] instead of None."""

EXPECT = "not (0, 0)"


def token_char_span(batch, i, t):
    encoding = encoding_at(batch, i)
    if not -len(encoding) <= t < len(encoding):
        raise IndexError(f"t={t} is out of range: the row has {len(encoding)} positions")
    return tuple(encoding.offsets[t])
