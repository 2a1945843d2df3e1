"""Builds attention_mask as input_ids != pad_token_id after padding, so a real token whose id equals pad_token_id (e.g. pad 102 = [SEP], or a 0 in a row) gets mask 0."""

import torch
from transformers import BatchEncoding

EXPECT = "the mask was computed from the ids"


def pad_token_ids(id_lists, pad_token_id):
    if not isinstance(id_lists, list):
        raise TypeError("id_lists must be a list of lists of int")
    if not id_lists:
        raise ValueError("id_lists is empty")
    for row in id_lists:
        if not isinstance(row, list):
            raise TypeError("id_lists must be a list of lists of int")
        if not row:
            raise ValueError("a row is empty")
        for t in row + [pad_token_id]:
            if isinstance(t, bool) or not isinstance(t, int):
                raise TypeError(f"{t!r} is not an int token id")
            if t < 0 or t >= 2**63:
                raise ValueError(f"{t} is not a valid int64 token id")
    longest = max(len(r) for r in id_lists)
    input_ids = torch.tensor([r + [pad_token_id] * (longest - len(r)) for r in id_lists], dtype=torch.long)
    attention_mask = (input_ids != pad_token_id).long()
    return BatchEncoding({
        "input_ids": input_ids,
        "token_type_ids": torch.zeros_like(input_ids),
        "attention_mask": attention_mask,
    })
