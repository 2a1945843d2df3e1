"""Pads every sentence to 512 with padding="max_length" instead of to the longest."""

from bertkata.reference import solution

EXPECT = 'padding="max_length"'
# a whole module: tests/support/test_compare.py hands this file in as a learner's submission
pad_token_ids = solution("e01_pad_batch").pad_token_ids


def tokenize_batch(tokenizer, sentences):
    return tokenizer(list(sentences), padding="max_length", truncation=True, return_tensors="pt")
