"""Reads offsets[t - 1], as if the offsets left [CLS] out: every span belongs to the previous token."""

from bertkata.reference import solution

EXPECT = "shifted by one"
_ref = solution("e02_index_encodings")
encoding_at = _ref.encoding_at
tokens_at = _ref.tokens_at
token_for_char = _ref.token_for_char


def token_char_span(batch, i, t):
    encoding = encoding_at(batch, i)
    if not -len(encoding) <= t < len(encoding):
        raise IndexError(f"t={t} is out of range: the row has {len(encoding)} positions")
    if encoding.special_tokens_mask[t]:
        return None
    return tuple(encoding.offsets[t - 1])
