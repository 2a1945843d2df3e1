"""Rebuilds spans by adding up token lengths instead of reading the Encoding's offsets."""

EXPECT = "adding up token lengths"


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
