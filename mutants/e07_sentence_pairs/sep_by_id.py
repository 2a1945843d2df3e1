"""Finds the separators by the id 102, which a '[SEP]' typed into a sentence also has."""

EXPECT = "you looked for the id 102"


def sep_positions(batch, i):
    if getattr(batch, "encodings", None) is None:
        raise TypeError("a batch without Encodings: pass the tokenizer's BatchEncoding")
    if isinstance(i, bool) or not isinstance(i, int):
        raise TypeError(f"i is {i!r}, expected an int")
    n = len(batch.encodings)
    if not -n <= i < n:
        raise IndexError(f"i={i} is out of range: the batch has {n} rows")
    if batch[i].n_sequences != 2:
        raise ValueError(f"row {i} is a single sentence, not a pair")
    found = (batch["input_ids"][i] == 102).nonzero().flatten().tolist()
    return (found[0], found[1])
