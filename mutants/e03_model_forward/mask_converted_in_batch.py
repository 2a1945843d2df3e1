"""Converts the attention_mask to float and stores it back into the caller's batch."""

import torch

from bertkata.reference import solution

EXPECT = "stored a converted tensor back"


def encode(model, batch):
    solution("e03_model_forward")._check_batch(model, batch)
    batch["attention_mask"] = batch["attention_mask"].float()
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            return model(**batch)
    finally:
        model.train(was_training)
