"""Returns the tokens as a tuple instead of a list."""

EXPECT = "list(encoding.tokens)"


def tokens_at(batch, i):
    return tuple(encoding_at(batch, i).tokens)
