"""Writes '[SEP]' between the sentences in one string: right ids, token_type_ids all 0."""

EXPECT = "gives the right ids but token_type_ids all 0"


def encode_pairs(tokenizer, firsts, seconds):
    if isinstance(firsts, str) or isinstance(seconds, str):
        raise TypeError("firsts and seconds must be lists of str, not a single str")
    if not firsts or len(firsts) != len(seconds):
        raise ValueError("firsts is empty or the two lists differ in length: they must be as long")
    return tokenizer([f"{a}[SEP]{b}" for a, b in zip(firsts, seconds)], padding=True, truncation=True,
                     return_tensors="pt")
