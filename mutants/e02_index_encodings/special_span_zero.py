"""Returns the (0, 0) offsets of [CLS], [SEP] and [PAD] instead of None."""

from bertkata.reference import solution

EXPECT = "not (0, 0)"
_ref = solution("e02_index_encodings")
encoding_at = _ref.encoding_at
tokens_at = _ref.tokens_at
token_for_char = _ref.token_for_char


def token_char_span(batch, i, t):
    encoding = encoding_at(batch, i)
    if not -len(encoding) <= t < len(encoding):
        raise IndexError(f"t={t} is out of range: the row has {len(encoding)} positions")
    return tuple(encoding.offsets[t])
