"""Cuts the padded tensors to 512 columns after tokenizing, so a long row loses its [SEP]."""

from transformers import BatchEncoding

EXPECT = "does not end in [SEP]"


def tokenize_batch(tokenizer, sentences):
    batch = tokenizer(list(sentences), padding=True, return_tensors="pt")
    return BatchEncoding({k: v[:, :512] for k, v in batch.items()})
