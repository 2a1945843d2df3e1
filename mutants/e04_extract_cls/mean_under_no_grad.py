"""Pools under torch.no_grad(), as encode does, so fine-tuning through mean pooling gets no gradient."""

import torch

EXPECT = "masked_mean_pool ran without a graph"


def masked_mean_pool(last_hidden_state, attention_mask):
    with torch.no_grad():
        mask = attention_mask.unsqueeze(-1).to(last_hidden_state.dtype)
        return (last_hidden_state * mask).sum(1) / mask.sum(1)
