"""Switches the model to eval mode and never puts the caller's train mode back."""

EXPECT = "arrived in train mode and left in eval mode"

from collections.abc import Mapping

import torch


def token_type_effect(model, batch):
    if not isinstance(batch, Mapping) or not isinstance(batch.get("input_ids"), torch.Tensor):
        raise TypeError("batch must be a mapping holding an input_ids tensor")
    if "token_type_ids" not in batch:
        raise KeyError("batch has no token_type_ids")
    zeros = {**batch, "token_type_ids": torch.zeros_like(batch["token_type_ids"])}
    model.eval()
    with torch.no_grad():
        a = model(**batch).last_hidden_state[:, 0, :]
        b = model(**zeros).last_hidden_state[:, 0, :]
    return (a - b).abs().max().item()
