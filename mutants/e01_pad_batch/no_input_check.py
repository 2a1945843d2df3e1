"""Passes bad input straight to the tokenizer instead of raising a clear error."""

from bertkata.reference import solution

EXPECT = "check the input"
pad_token_ids = solution("e01_pad_batch").pad_token_ids


def tokenize_batch(tokenizer, sentences):
    return tokenizer(sentences, padding=True, return_tensors="pt")
