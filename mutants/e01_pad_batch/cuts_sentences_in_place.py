"""Cuts the caller's sentences to 510 characters in place to make them fit."""

EXPECT = "changed the caller's sentences in place"


def tokenize_batch(tokenizer, sentences):
    for i, s in enumerate(sentences):
        sentences[i] = s[:510]
    return tokenizer(sentences, padding=True, truncation=True, return_tensors="pt")
