"""Takes only 0 <= t < row length, so t=-1 (the last position) raises IndexError."""

EXPECT = "a negative t counts from the end of the row"


def token_char_span(batch, i, t):
    encoding = encoding_at(batch, i)
    if isinstance(t, bool) or not isinstance(t, int):
        raise TypeError(f"t is {t!r}, expected an int")
    if not 0 <= t < len(encoding):
        raise IndexError(f"t={t} is out of range: the row has {len(encoding)} positions")
    return None if encoding.special_tokens_mask[t] else tuple(encoding.offsets[t])
