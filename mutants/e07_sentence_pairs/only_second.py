"""Truncates with truncation="only_second", which raises when the second sentence is too short to cut."""

EXPECT = "cuts one sentence only"


def encode_pairs(tokenizer, firsts, seconds):
    if isinstance(firsts, str) or isinstance(seconds, str):
        raise TypeError("firsts and seconds must be lists of str, not a single str")
    if not firsts or len(firsts) != len(seconds):
        raise ValueError("firsts is empty or the two lists differ in length: they must be as long")
    return tokenizer(list(firsts), list(seconds), padding=True, truncation="only_second", return_tensors="pt")
