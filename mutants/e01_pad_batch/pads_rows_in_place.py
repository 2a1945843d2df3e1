"""Pads the caller's rows in place (row += [pad] * n) before building the tensors."""

import torch
from transformers import BatchEncoding

EXPECT = "padded the caller's rows in place"


def pad_token_ids(id_lists, pad_token_id):
    longest = max(len(r) for r in id_lists)
    mask = [[1] * len(r) + [0] * (longest - len(r)) for r in id_lists]
    for row in id_lists:
        row += [pad_token_id] * (longest - len(row))
    return BatchEncoding({"input_ids": torch.tensor(id_lists), "token_type_ids": torch.zeros_like(torch.tensor(mask)),
                          "attention_mask": torch.tensor(mask)})
