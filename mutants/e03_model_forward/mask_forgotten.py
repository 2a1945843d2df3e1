"""Calls the model with input_ids (and token_type_ids) only: the attention_mask is forgotten."""

import torch

from bertkata.reference import solution

EXPECT = "attention_mask was not passed"


def encode(model, batch):
    solution("e03_model_forward")._check_batch(model, batch)
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            return model(input_ids=batch["input_ids"], token_type_ids=batch.get("token_type_ids"))
    finally:
        model.train(was_training)
