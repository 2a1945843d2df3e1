"""Calls model.train() believing gradients need it: dropout makes the gradient random, and the mode leaks."""

import torch

EXPECT = "model.train() switches dropout on"


def embedding_gradient(model, inputs):
    if "attention_mask" not in inputs:
        raise KeyError("attention_mask")
    if inputs["input_ids"].shape[-1] > model.config.max_position_embeddings:
        raise ValueError("input_ids is longer than the model's 512 positions")
    model.train()
    model.zero_grad()
    with torch.enable_grad():
        hidden = model(**inputs).last_hidden_state
        hidden.sum().backward()
    grad = model.embeddings.word_embeddings.weight.grad.clone()
    model.zero_grad()
    return grad
