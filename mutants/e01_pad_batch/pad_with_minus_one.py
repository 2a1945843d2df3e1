"""Pads by hand with -1, as if -1 meant "no token"."""

import torch
from transformers import BatchEncoding

EXPECT = "padded with -1"


def pad_token_ids(id_lists, pad_token_id):
    longest = max(len(r) for r in id_lists)
    return BatchEncoding({
        "input_ids": torch.tensor([list(r) + [-1] * (longest - len(r)) for r in id_lists]),
        "token_type_ids": torch.zeros(len(id_lists), longest, dtype=torch.long),
        "attention_mask": torch.tensor([[1] * len(r) + [0] * (longest - len(r)) for r in id_lists]),
    })
