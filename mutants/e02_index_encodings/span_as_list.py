"""Returns the span as a list [start, end] instead of a tuple."""

EXPECT = "of Python ints"


def token_char_span(batch, i, t):
    encoding = encoding_at(batch, i)
    if isinstance(t, bool) or not isinstance(t, int):
        raise TypeError(f"t is {t!r}, expected an int")
    if not -len(encoding) <= t < len(encoding):
        raise IndexError(f"t={t} is out of range: the row has {len(encoding)} positions")
    return None if encoding.special_tokens_mask[t] else list(encoding.offsets[t])
