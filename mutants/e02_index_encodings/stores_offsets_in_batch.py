"""Stores every row's offsets in the caller's batch as batch["offset_mapping"] to read spans from."""

EXPECT = "stored something in the caller's batch"


def token_char_span(batch, i, t):
    encoding = encoding_at(batch, i)
    if not -len(encoding) <= t < len(encoding):
        raise IndexError(f"t={t} is out of range: the row has {len(encoding)} positions")
    if "offset_mapping" not in batch:
        batch["offset_mapping"] = [e.offsets for e in batch.encodings]
    return None if encoding.special_tokens_mask[t] else tuple(batch["offset_mapping"][i][t])
