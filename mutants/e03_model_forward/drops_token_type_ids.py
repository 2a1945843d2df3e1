"""Passes input_ids and attention_mask only: the second sentence of a pair loses its token_type_ids."""

import torch

from bertkata.reference import solution

EXPECT = "token_type_ids were not passed"


def encode(model, batch):
    solution("e03_model_forward")._check_batch(model, batch)
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            return model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"])
    finally:
        model.train(was_training)
