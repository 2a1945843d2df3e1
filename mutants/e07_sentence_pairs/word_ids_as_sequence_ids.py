"""Returns the row's word_ids, which count words over both sentences, as its sequence ids."""

EXPECT = "those are word_ids"


def sequence_ids_at(batch, i):
    if getattr(batch, "encodings", None) is None:
        raise TypeError("a batch without Encodings: pass the tokenizer's BatchEncoding")
    if isinstance(i, bool) or not isinstance(i, int):
        raise TypeError(f"i is {i!r}, expected an int")
    n = len(batch.encodings)
    if not -n <= i < n:
        raise IndexError(f"i={i} is out of range: the batch has {n} rows")
    return list(batch[i].word_ids)
