"""Switches dropout off with `model.training = False`, which leaves every Dropout submodule in train mode."""

import torch

from bertkata.reference import solution

EXPECT = "the Dropout layers stayed in train mode"


def encode(model, batch):
    solution("e03_model_forward")._check_batch(model, batch)
    was_training = model.training
    model.training = False
    try:
        with torch.no_grad():
            return model(**batch)
    finally:
        model.training = was_training
