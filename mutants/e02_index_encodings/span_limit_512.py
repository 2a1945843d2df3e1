"""Checks t against the model's 512 positions instead of the row's length."""

EXPECT = "check t against len(encoding), not 512"


def token_char_span(batch, i, t):
    encoding = encoding_at(batch, i)
    if isinstance(t, bool) or not isinstance(t, int):
        raise TypeError(f"t is {t!r}, expected an int")
    n = min(len(encoding), 512)
    if not -n <= t < n:
        raise IndexError(f"t={t} is out of range: a row has at most {n} positions")
    return None if encoding.special_tokens_mask[t] else tuple(encoding.offsets[t])
