"""Switches grad off for the forward and back on afterwards, so a caller inside torch.no_grad() has grad on again."""

import torch

from bertkata.reference import solution

EXPECT = "switched on for the caller"


def encode(model, batch):
    solution("e03_model_forward")._check_batch(model, batch)
    was_training = model.training
    model.eval()
    torch.set_grad_enabled(False)
    try:
        return model(**batch)
    finally:
        torch.set_grad_enabled(True)
        model.train(was_training)
