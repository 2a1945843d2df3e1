"""Compares pooler_output instead of the [CLS] vectors of last_hidden_state."""

EXPECT = "you compared pooler_output"

from collections.abc import Mapping

import torch


def token_type_effect(model, batch):
    if not isinstance(batch, Mapping) or not isinstance(batch.get("input_ids"), torch.Tensor):
        raise TypeError("batch must be a mapping holding an input_ids tensor")
    if "token_type_ids" not in batch:
        raise KeyError("batch has no token_type_ids")
    zeros = {**batch, "token_type_ids": torch.zeros_like(batch["token_type_ids"])}
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            a = model(**batch).pooler_output
            b = model(**zeros).pooler_output
    finally:
        model.train(was_training)
    return (a - b).abs().max().item()
