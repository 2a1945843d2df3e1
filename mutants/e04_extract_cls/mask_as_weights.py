"""Never checks that the mask holds only 0 and 1, so a 2 or 0.5 silently weights the mean."""

import torch

EXPECT = "used the mask's values as weights"


def masked_mean_pool(last_hidden_state, attention_mask):
    if not isinstance(last_hidden_state, torch.Tensor) or not isinstance(attention_mask, torch.Tensor):
        raise TypeError("last_hidden_state and attention_mask must be tensors")
    mask = attention_mask.unsqueeze(-1).to(last_hidden_state.dtype)
    counts = mask.sum(1)
    if (counts == 0).any():
        raise ValueError("a row of attention_mask has no real token")
    return (last_hidden_state * mask).sum(1) / counts
