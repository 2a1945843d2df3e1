"""Turns the mask into bool without checking it, so any nonzero value (2, 0.5, -1) counts as a real token."""

import torch

EXPECT = "counted every nonzero value as a real token"


def masked_mean_pool(last_hidden_state, attention_mask):
    if not isinstance(last_hidden_state, torch.Tensor) or not isinstance(attention_mask, torch.Tensor):
        raise TypeError("last_hidden_state and attention_mask must be tensors")
    keep = attention_mask.bool().unsqueeze(-1)
    counts = keep.sum(1)
    if (counts == 0).any():
        raise ValueError("a row of attention_mask has no real token")
    return torch.where(keep, last_hidden_state, 0).sum(1) / counts
