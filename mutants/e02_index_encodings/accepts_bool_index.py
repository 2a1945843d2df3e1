"""Checks isinstance(i, int), which True passes, so encoding_at(batch, True) is sentence 1."""

EXPECT = "batch[True] is batch[1]"


def encoding_at(batch, i):
    if getattr(batch, "encodings", None) is None:
        raise TypeError("this batch keeps no Encodings: use a tokenizers-backed tokenizer")
    if not isinstance(i, int):
        raise TypeError(f"i is {i!r}, expected an int")
    n = len(batch.encodings)
    if not -n <= i < n:
        raise IndexError(f"i={i} is out of range: the batch has {n} sentences")
    return batch[i]
