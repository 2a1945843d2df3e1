"""Trusts torch.no_grad() to switch dropout off and never calls model.eval()."""

import torch

EXPECT = "torch.no_grad() does not switch dropout off"


def encode(model, batch):
    if not hasattr(batch, "keys") or "input_ids" not in batch:
        raise TypeError("pass the BatchEncoding the tokenizer returns")
    with torch.no_grad():
        return model(**batch)
