"""Calls model(batch) instead of model(**batch): the whole BatchEncoding lands in input_ids."""

import torch

from bertkata.reference import solution

EXPECT = "bare AttributeError"


def encode(model, batch):
    solution("e03_model_forward")._check_batch(model, batch)
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            return model(batch)
    finally:
        model.train(was_training)
