"""Puts the mode back with `model.training = was_training`, which sets the top flag only: every Dropout stays in eval."""

import torch

from bertkata.reference import solution

EXPECT = "model.training is as it was but"


def encode(model, batch):
    solution("e03_model_forward")._check_batch(model, batch)
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            return model(**batch)
    finally:
        model.training = was_training
