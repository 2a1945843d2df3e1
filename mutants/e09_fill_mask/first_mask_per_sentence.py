"""Finds one [MASK] per sentence with argmax, which assumes a single [MASK] in each sentence."""

import torch

EXPECT = "found one [MASK] per sentence"


def mask_positions(tokenizer, input_ids):
    first = (input_ids == tokenizer.mask_token_id).int().argmax(dim=1)
    return torch.stack([torch.arange(len(first)), first], dim=1)
