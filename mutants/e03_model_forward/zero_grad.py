"""Calls model.zero_grad() before the forward "to be clean", wiping the gradients the caller accumulated."""

import torch

from bertkata.reference import solution

EXPECT = "model.zero_grad() inside encode"


def encode(model, batch):
    solution("e03_model_forward")._check_batch(model, batch)
    was_training = model.training
    model.eval()
    model.zero_grad()
    try:
        with torch.no_grad():
            return model(**batch)
    finally:
        model.train(was_training)
