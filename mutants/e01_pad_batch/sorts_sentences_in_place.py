"""Sorts the caller's sentences longest first, in place, to pad less."""

EXPECT = "sorted the caller's list in place"


def tokenize_batch(tokenizer, sentences):
    sentences.sort(key=len, reverse=True)
    return tokenizer(sentences, padding=True, truncation=True, return_tensors="pt")
