"""Indexes batch[i] without checking that i is an int, so i="input_ids" returns a model input."""

EXPECT = "is a key, not a sentence index"


def encoding_at(batch, i):
    if getattr(batch, "encodings", None) is None:
        raise TypeError("this batch keeps no Encodings: use a tokenizers-backed tokenizer")
    n = len(batch.encodings)
    if isinstance(i, int) and not -n <= i < n:
        raise IndexError(f"i={i} is out of range: the batch has {n} sentences")
    return batch[i]
