"""Cuts at max_length=128, a limit made up instead of the model's 512."""

EXPECT = "a limit made up"


def tokenize_batch(tokenizer, sentences):
    return tokenizer(list(sentences), padding=True, truncation=True, max_length=128, return_tensors="pt")
