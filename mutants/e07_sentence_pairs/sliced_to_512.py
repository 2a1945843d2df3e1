"""Slices every tensor to 512 positions after tokenizing, which drops the last [SEP]."""

EXPECT = "does not end in [SEP]"


def encode_pairs(tokenizer, firsts, seconds):
    if isinstance(firsts, str) or isinstance(seconds, str):
        raise TypeError("firsts and seconds must be lists of str, not a single str")
    if not firsts or len(firsts) != len(seconds):
        raise ValueError("firsts is empty or the two lists differ in length: they must be as long")
    batch = tokenizer(list(firsts), list(seconds), padding=True, return_tensors="pt")
    for key in list(batch.keys()):
        batch[key] = batch[key][:, :512]
    return batch
