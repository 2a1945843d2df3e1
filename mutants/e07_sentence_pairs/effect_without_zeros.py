"""Runs the second forward with the batch's own token_type_ids, so the effect is always 0."""

EXPECT = "the two forwards got the same token_type_ids"

from collections.abc import Mapping

import torch


def token_type_effect(model, batch):
    if not isinstance(batch, Mapping) or not isinstance(batch.get("input_ids"), torch.Tensor):
        raise TypeError("batch must be a mapping holding an input_ids tensor")
    if "token_type_ids" not in batch:
        raise KeyError("batch has no token_type_ids")
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            a = model(**batch).last_hidden_state[:, 0, :]
            b = model(**dict(batch)).last_hidden_state[:, 0, :]
    finally:
        model.train(was_training)
    return (a - b).abs().max().item()
