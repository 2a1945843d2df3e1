"""Gives the mask its hidden axis with attention_mask.unsqueeze_(-1), reshaping the caller's mask in place."""

import torch

EXPECT = "reshaped the caller's mask in place"


def masked_mean_pool(last_hidden_state, attention_mask):
    if not isinstance(last_hidden_state, torch.Tensor) or not isinstance(attention_mask, torch.Tensor):
        raise TypeError("last_hidden_state and attention_mask must be tensors")
    mask = attention_mask.unsqueeze_(-1).to(last_hidden_state.dtype)
    return (last_hidden_state * mask).sum(1) / mask.sum(1)
