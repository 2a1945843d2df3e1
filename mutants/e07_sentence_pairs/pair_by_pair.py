"""Tokenizes pair by pair with tokenizer(first, second) and pads afterwards: an empty second sentence loses its [SEP]."""

EXPECT = "an empty sentence lost its [SEP]"


def encode_pairs(tokenizer, firsts, seconds):
    if isinstance(firsts, str) or isinstance(seconds, str):
        raise TypeError("firsts and seconds must be lists of str, not a single str")
    if not firsts or len(firsts) != len(seconds):
        raise ValueError("firsts is empty or the two lists differ in length: they must be as long")
    rows = [tokenizer(a, b, truncation=True) for a, b in zip(firsts, seconds)]
    return tokenizer.pad(rows, padding=True, return_tensors="pt")
