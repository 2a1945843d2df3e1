"""Rebuilds spans by adding up token lengths instead of reading the Encoding's offsets."""

from bertkata.reference import solution

EXPECT = "adding up token lengths"
_ref = solution("e02_index_encodings")
encoding_at = _ref.encoding_at
tokens_at = _ref.tokens_at
token_for_char = _ref.token_for_char


def token_char_span(batch, i, t):
    encoding = encoding_at(batch, i)
    if not -len(encoding) <= t < len(encoding):
        raise IndexError(f"t={t} is out of range: the row has {len(encoding)} positions")
    t %= len(encoding)
    if encoding.special_tokens_mask[t]:
        return None
    position = 0
    for u in range(1, t + 1):
        token = encoding.tokens[u]
        piece = token[2:] if token.startswith("##") else token
        start, position = position, position + len(piece)
    return (start, position)
