"""Passes [firsts, seconds] as one list, which the tokenizer reads as the pairs (firsts[0], firsts[1]), ..."""

EXPECT = "reads each inner list as one pair"


def encode_pairs(tokenizer, firsts, seconds):
    if isinstance(firsts, str) or isinstance(seconds, str):
        raise TypeError("firsts and seconds must be lists of str, not a single str")
    if not firsts or len(firsts) != len(seconds):
        raise ValueError("firsts is empty or the two lists differ in length: they must be as long")
    return tokenizer([list(firsts), list(seconds)], padding=True, truncation=True, return_tensors="pt")
