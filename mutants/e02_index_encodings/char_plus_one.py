"""Counts token = character + 1, which only holds for text where every character is one token."""

from bertkata.reference import solution

EXPECT = "line up one to one"
_ref = solution("e02_index_encodings")
encoding_at = _ref.encoding_at
tokens_at = _ref.tokens_at
token_char_span = _ref.token_char_span


def token_for_char(batch, i, c):
    encoding_at(batch, i)
    if c < 0:
        raise IndexError(f"c={c} is negative")
    return c + 1
