"""Passes bad input straight to the tokenizer instead of raising a clear error."""

EXPECT = "sentences is empty"


def tokenize_batch(tokenizer, sentences):
    return tokenizer(sentences, padding=True, truncation=True, return_tensors="pt")
