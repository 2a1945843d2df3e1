"""Gives [CLS], [SEP] and [PAD] the sequence id 0 instead of None."""

EXPECT = "their sequence id is None, not 0"


def sequence_ids_at(batch, i):
    if getattr(batch, "encodings", None) is None:
        raise TypeError("a batch without Encodings: pass the tokenizer's BatchEncoding")
    if isinstance(i, bool) or not isinstance(i, int):
        raise TypeError(f"i is {i!r}, expected an int")
    n = len(batch.encodings)
    if not -n <= i < n:
        raise IndexError(f"i={i} is out of range: the batch has {n} rows")
    return [0 if s is None else s for s in batch[i].sequence_ids]
