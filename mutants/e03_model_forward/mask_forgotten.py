"""Calls the model with input_ids (and token_type_ids) only: the attention_mask is forgotten."""

import torch

EXPECT = "attention_mask was not passed"


def encode(model, batch):
    if not hasattr(batch, "keys") or "input_ids" not in batch:
        raise TypeError("pass the BatchEncoding the tokenizer returns")
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            return model(input_ids=batch["input_ids"], token_type_ids=batch.get("token_type_ids"))
    finally:
        model.train(was_training)
