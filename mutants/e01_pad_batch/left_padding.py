"""Pads on the left (padding_side="left"), as for decoder models."""

from bertkata.reference import solution

EXPECT = "padding went on the left"
pad_token_ids = solution("e01_pad_batch").pad_token_ids


def tokenize_batch(tokenizer, sentences):
    return tokenizer(list(sentences), padding=True, padding_side="left", return_tensors="pt")
