"""Trusts torch.no_grad() to switch dropout off and never calls model.eval()."""

import torch

from bertkata.reference import solution

EXPECT = "torch.no_grad() does not switch dropout off"


def encode(model, batch):
    solution("e03_model_forward")._check_batch(model, batch)
    with torch.no_grad():
        return model(**batch)
