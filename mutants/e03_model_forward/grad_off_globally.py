"""Calls torch.set_grad_enabled(False) bare instead of `with torch.no_grad():`, so grad stays off for the caller."""

import torch

from bertkata.reference import solution

EXPECT = "switched off for the caller too"


def encode(model, batch):
    solution("e03_model_forward")._check_batch(model, batch)
    was_training = model.training
    model.eval()
    torch.set_grad_enabled(False)
    try:
        return model(**batch)
    finally:
        model.train(was_training)
