"""Returns the character index c as the token index, forgetting that position 0 holds [CLS]."""

from bertkata.reference import solution

EXPECT = "position 0 holds [CLS]"
_ref = solution("e02_index_encodings")
encoding_at = _ref.encoding_at
tokens_at = _ref.tokens_at
token_char_span = _ref.token_char_span


def token_for_char(batch, i, c):
    encoding_at(batch, i)
    if c < 0:
        raise IndexError(f"c={c} is negative")
    return c
