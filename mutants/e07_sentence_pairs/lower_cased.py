"""Lower-cases the sentences first, so 'Apple' becomes the token apple instead of [UNK]."""

EXPECT = "bert-base-chinese does not lower-case"


def encode_pairs(tokenizer, firsts, seconds):
    if isinstance(firsts, str) or isinstance(seconds, str):
        raise TypeError("firsts and seconds must be lists of str, not a single str")
    if not firsts or len(firsts) != len(seconds):
        raise ValueError("firsts is empty or the two lists differ in length: they must be as long")
    return tokenizer([a.lower() for a in firsts], [b.lower() for b in seconds], padding=True, truncation=True,
                     return_tensors="pt")
