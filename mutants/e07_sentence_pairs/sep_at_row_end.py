"""Takes the row's last position as the last [SEP], which in a padded row is a [PAD]."""

EXPECT = "the last position of a padded row is [PAD]"


def sep_positions(batch, i):
    if getattr(batch, "encodings", None) is None:
        raise TypeError("a batch without Encodings: pass the tokenizer's BatchEncoding")
    if isinstance(i, bool) or not isinstance(i, int):
        raise TypeError(f"i is {i!r}, expected an int")
    n = len(batch.encodings)
    if not -n <= i < n:
        raise IndexError(f"i={i} is out of range: the batch has {n} rows")
    encoding = batch[i]
    if encoding.n_sequences != 2:
        raise ValueError(f"row {i} is a single sentence, not a pair")
    first = encoding.special_tokens_mask.index(1, 1)
    return (first, len(encoding) - 1)
