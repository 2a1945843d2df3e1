"""Returns the next token for a character no token covers, by scanning for the first span ending after c."""

EXPECT = "not a neighbouring token"


def token_for_char(batch, i, c):
    encoding = encoding_at(batch, i)
    if isinstance(c, bool) or not isinstance(c, int):
        raise TypeError(f"c is {c!r}, expected an int")
    if c < 0:
        raise IndexError(f"c={c} is negative: character indices start at 0")
    for t, (special, (start, end)) in enumerate(zip(encoding.special_tokens_mask, encoding.offsets)):
        if not special and c < end:
            return t
    return None
