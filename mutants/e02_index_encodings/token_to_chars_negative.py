"""Reads spans with batch.token_to_chars(i, t), which takes no negative t."""

EXPECT = "take no negative index"


def token_char_span(batch, i, t):
    encoding = encoding_at(batch, i)
    if isinstance(t, bool) or not isinstance(t, int):
        raise TypeError(f"t is {t!r}, expected an int")
    if not -len(encoding) <= t < len(encoding):
        raise IndexError(f"t={t} is out of range: the row has {len(encoding)} positions")
    span = batch.token_to_chars(i, t)
    return None if span is None else (span.start, span.end)
