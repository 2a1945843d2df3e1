"""Returns the character index c as the token index, forgetting that position 0 holds [CLS]."""

EXPECT = "position 0 holds [CLS]"


def token_for_char(batch, i, c):
    encoding_at(batch, i)
    if c < 0:
        raise IndexError(f"c={c} is negative")
    return c
