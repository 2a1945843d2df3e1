"""Passes the three keys by name, so a batch without token_type_ids raises KeyError."""

import torch

EXPECT = "not every batch has token_type_ids"


def encode(model, batch):
    if not hasattr(batch, "keys") or "input_ids" not in batch:
        raise TypeError("pass the BatchEncoding the tokenizer returns")
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            return model(input_ids=batch["input_ids"], token_type_ids=batch["token_type_ids"],
                         attention_mask=batch["attention_mask"])
    finally:
        model.train(was_training)
