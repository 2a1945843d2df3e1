"""Takes the largest signed difference of the [CLS] vectors, (a - b).max(), not the largest change either way."""

EXPECT = "you took the largest signed difference"

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
            a = model(**batch).last_hidden_state[:, 0, :]
            b = model(**zeros).last_hidden_state[:, 0, :]
    finally:
        model.train(was_training)
    return (a - b).max().item()
