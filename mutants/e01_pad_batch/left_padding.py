"""Pads on the left (padding_side="left" in the call), as for decoder models."""

EXPECT = "padding went on the left"


def tokenize_batch(tokenizer, sentences):
    return tokenizer(list(sentences), padding=True, truncation=True, padding_side="left", return_tensors="pt")
