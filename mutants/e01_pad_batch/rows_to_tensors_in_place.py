"""Turns the caller's rows into tensors in place, for pad_sequence."""

import torch
from torch.nn.utils.rnn import pad_sequence
from transformers import BatchEncoding

EXPECT = "replaced the caller's rows with tensors"


def pad_token_ids(id_lists, pad_token_id):
    for i, row in enumerate(id_lists):
        id_lists[i] = torch.tensor(row, dtype=torch.long)
    input_ids = pad_sequence(id_lists, batch_first=True, padding_value=pad_token_id)
    mask = pad_sequence([torch.ones_like(r) for r in id_lists], batch_first=True)
    return BatchEncoding({"input_ids": input_ids, "token_type_ids": torch.zeros_like(input_ids),
                          "attention_mask": mask})
