"""Forgets return_tensors="pt", so the batch holds Python lists, not tensors."""

EXPECT = "return_tensors"


def tokenize_batch(tokenizer, sentences):
    return tokenizer(list(sentences), padding=True, truncation=True)
