"""Freezes the model for the call besides torch.no_grad() and unfreezes every parameter afterwards, the caller's frozen ones too."""

import torch

from bertkata.reference import solution

EXPECT = "switched back on for parameters the caller had frozen"


def encode(model, batch):
    solution("e03_model_forward")._check_batch(model, batch)
    was_training = model.training
    model.eval()
    model.requires_grad_(False)
    try:
        with torch.no_grad():
            return model(**batch)
    finally:
        model.requires_grad_(True)
        model.train(was_training)
