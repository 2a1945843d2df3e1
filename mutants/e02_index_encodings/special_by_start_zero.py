"""Takes every token whose offsets start at 0 for [CLS]/[SEP]/[PAD], so the first character loses its span."""

EXPECT = "can start at character 0"


def token_char_span(batch, i, t):
    encoding = encoding_at(batch, i)
    if not -len(encoding) <= t < len(encoding):
        raise IndexError(f"t={t} is out of range: the row has {len(encoding)} positions")
    start, end = encoding.offsets[t]
    return None if start == 0 else (start, end)
