"""Switches the model to eval mode and leaves it there, so a training loop calling encode loses its dropout."""

import torch

EXPECT = "put it back"


def encode(model, batch):
    if not hasattr(batch, "keys") or "input_ids" not in batch:
        raise TypeError("pass the BatchEncoding the tokenizer returns")
    model.eval()
    with torch.no_grad():
        return model(**batch)
