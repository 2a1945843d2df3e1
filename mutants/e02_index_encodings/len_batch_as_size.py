"""Uses len(batch), the number of keys, as the number of sentences."""

EXPECT = "counts the keys"


def encoding_at(batch, i):
    if batch.encodings is None:
        raise TypeError("only a tokenizers-backed tokenizer keeps Encodings")
    if not -len(batch) <= i < len(batch):
        raise IndexError(f"i={i} is out of range: the batch has {len(batch)} sentences")
    return batch[i]
