"""Passes the three keys by name, so a batch without token_type_ids raises KeyError."""

import torch

from bertkata.reference import solution

EXPECT = "not every batch has token_type_ids"


def encode(model, batch):
    solution("e03_model_forward")._check_batch(model, batch)
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            return model(input_ids=batch["input_ids"], token_type_ids=batch["token_type_ids"],
                         attention_mask=batch["attention_mask"])
    finally:
        model.train(was_training)
