"""Puts the model itself in the error message, so the ValueError starts with a printout of every layer."""

import torch

from bertkata.reference import solution

EXPECT = "do not print whole objects"


def encode(model, batch):
    try:
        solution("e03_model_forward")._check_batch(model, batch)
    except ValueError as exc:
        raise ValueError(f"{model} cannot encode this batch: {exc}") from None
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            return model(**batch)
    finally:
        model.train(was_training)
