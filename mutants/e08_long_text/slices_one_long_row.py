"""Tokenizes each document whole and slices its one row of input_ids into windows: no [CLS] or [SEP] inside."""

import torch
from transformers import BatchEncoding

from bertkata.reference import solution

EXPECT = "each window is a model input of its own"


def sliding_windows(tokenizer, documents, max_length=None, stride=128):
    solution("e08_long_text").sliding_windows(tokenizer, documents, max_length, stride)  # the checks
    max_length = tokenizer.model_max_length if max_length is None else max_length
    rows, mapping = [], []
    for d, doc in enumerate(documents):
        ids = tokenizer(doc, verbose=False)["input_ids"]
        start = 0
        while True:
            rows.append(ids[start:start + max_length])
            mapping.append(d)
            if start + max_length >= len(ids):
                break
            start += max_length - stride
    width = max(len(r) for r in rows)
    return BatchEncoding({
        "input_ids": torch.tensor([r + [0] * (width - len(r)) for r in rows]),
        "token_type_ids": torch.zeros(len(rows), width, dtype=torch.long),
        "attention_mask": torch.tensor([[1] * len(r) + [0] * (width - len(r)) for r in rows]),
        "overflow_to_sample_mapping": torch.tensor(mapping),
    })
