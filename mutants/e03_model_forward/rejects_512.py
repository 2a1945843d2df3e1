"""Rejects a batch of exactly 512 positions (>= instead of >): the model takes 512."""

import torch

from bertkata.reference import solution

EXPECT = "an off-by-one: > not >="


def encode(model, batch):
    solution("e03_model_forward")._check_batch(model, batch)
    if batch["input_ids"].shape[1] >= model.config.max_position_embeddings:
        raise ValueError(f"the batch has {batch['input_ids'].shape[1]} positions; BERT takes fewer than 512")
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            return model(**batch)
    finally:
        model.train(was_training)
