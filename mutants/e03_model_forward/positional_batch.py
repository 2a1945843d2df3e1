"""Calls model(batch) instead of model(**batch): the whole BatchEncoding lands in input_ids."""

import torch

EXPECT = "bare AttributeError"


def encode(model, batch):
    if not hasattr(batch, "keys") or "input_ids" not in batch:
        raise TypeError("pass the BatchEncoding the tokenizer returns")
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            return model(batch)
    finally:
        model.train(was_training)
