"""Finds the separators by the id 102 and refuses a row that does not hold exactly two."""

EXPECT = "so a row can hold more than two 102s"


def sep_positions(batch, i):
    if getattr(batch, "encodings", None) is None:
        raise TypeError("a batch without Encodings: pass the tokenizer's BatchEncoding")
    if isinstance(i, bool) or not isinstance(i, int):
        raise TypeError(f"i is {i!r}, expected an int")
    n = len(batch.encodings)
    if not -n <= i < n:
        raise IndexError(f"i={i} is out of range: the batch has {n} rows")
    found = [t for t, v in enumerate(batch.encodings[i].ids) if v == 102]
    if len(found) != 2:
        raise ValueError(f"row {i} is a single sentence, not a pair: it has {len(found)} [SEP]")
    return tuple(found)
