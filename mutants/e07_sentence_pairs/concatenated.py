"""Joins each pair into one string, so no [SEP] separates the two sentences."""

EXPECT = "no [SEP] between the two sentences"


def encode_pairs(tokenizer, firsts, seconds):
    if isinstance(firsts, str) or isinstance(seconds, str):
        raise TypeError("firsts and seconds must be lists of str, not a single str")
    if not firsts or len(firsts) != len(seconds):
        raise ValueError("firsts is empty or the two lists differ in length: they must be as long")
    return tokenizer([a + b for a, b in zip(firsts, seconds)], padding=True, truncation=True, return_tensors="pt")
