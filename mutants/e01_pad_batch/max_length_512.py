"""Pads every sentence to 512 with padding="max_length" instead of to the longest."""

EXPECT = 'padding="max_length"'


def tokenize_batch(tokenizer, sentences):
    return tokenizer(list(sentences), padding="max_length", truncation=True, return_tensors="pt")
