"""Pads the pairs but never truncates them, so a long pair is longer than 512 positions."""

EXPECT = "no truncation: a pair of"


def encode_pairs(tokenizer, firsts, seconds):
    if isinstance(firsts, str) or isinstance(seconds, str):
        raise TypeError("firsts and seconds must be lists of str, not a single str")
    if not firsts or len(firsts) != len(seconds):
        raise ValueError("firsts is empty or the two lists differ in length: they must be as long")
    return tokenizer(list(firsts), list(seconds), padding=True, return_tensors="pt")
