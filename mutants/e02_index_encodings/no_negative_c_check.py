"""Passes a negative c to Encoding.char_to_token, which fails with OverflowError instead of IndexError."""

EXPECT = "cannot be counted from its end"


def token_for_char(batch, i, c):
    encoding = encoding_at(batch, i)
    if isinstance(c, bool) or not isinstance(c, int):
        raise TypeError(f"c is {c!r}, expected an int")
    return encoding.char_to_token(c)
