"""Returns the character index c as the token index, forgetting that position 0 holds [CLS]."""

EXPECT = "so character c of a Chinese sentence is token c + 1"


def token_for_char(batch, i, c):
    encoding_at(batch, i)
    if c < 0:
        raise IndexError(f"c={c} is negative")
    return c
