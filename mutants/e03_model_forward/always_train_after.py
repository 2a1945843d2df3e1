"""Calls model.train() afterwards whatever the mode was, so a model that arrived in eval mode leaves in train mode."""

import torch

from bertkata.reference import solution

EXPECT = "arrived in eval mode and left in train mode"


def encode(model, batch):
    solution("e03_model_forward")._check_batch(model, batch)
    model.eval()
    try:
        with torch.no_grad():
            return model(**batch)
    finally:
        model.train()
