"""Counts token = character + 1, which only holds for text where every character is one token."""

EXPECT = "line up one to one"


def token_for_char(batch, i, c):
    encoding_at(batch, i)
    if c < 0:
        raise IndexError(f"c={c} is negative")
    return c + 1
