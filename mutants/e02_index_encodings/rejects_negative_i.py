"""Takes only 0 <= i < batch size, so i=-1 (the last sentence) raises IndexError."""

EXPECT = "i=-1 is the last sentence"


def encoding_at(batch, i):
    if getattr(batch, "encodings", None) is None:
        raise TypeError("this batch keeps no Encodings: use a tokenizers-backed tokenizer")
    if isinstance(i, bool) or not isinstance(i, int):
        raise TypeError(f"i is {i!r}, expected an int")
    if not 0 <= i < len(batch.encodings):
        raise IndexError(f"i={i} is out of range: the batch has {len(batch.encodings)} sentences")
    return batch[i]
