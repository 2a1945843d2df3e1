"""Averages the first n positions of each row (n real tokens), which is right only for right padding."""

import torch

EXPECT = "assumes right padding"


def masked_mean_pool(last_hidden_state, attention_mask):
    counts = attention_mask.sum(dim=1)
    return torch.stack([last_hidden_state[i, :int(n)].mean(dim=0) for i, n in enumerate(counts)])
