"""Passes token_type_ids as zeros (one segment) instead of the batch's own, which mark a pair's second sentence."""

import torch

from bertkata.reference import solution

EXPECT = "passed as zeros, not the batch's own"


def encode(model, batch):
    solution("e03_model_forward")._check_batch(model, batch)
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            return model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"],
                         token_type_ids=torch.zeros_like(batch["input_ids"]))
    finally:
        model.train(was_training)
