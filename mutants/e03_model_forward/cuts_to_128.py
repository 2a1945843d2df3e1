"""Cuts every batch to 128 positions, a limit it made up (BERT takes 512)."""

import torch

from bertkata.reference import solution

EXPECT = "a length you chose"


def encode(model, batch):
    if hasattr(batch, "items"):
        batch = {k: v[..., :128] if isinstance(v, torch.Tensor) else v for k, v in batch.items()}
    return solution("e03_model_forward").encode(model, batch)
