"""Sums last_hidden_state over the real tokens only (e04's masking), leaving out the [PAD] positions the notebook's sum includes."""

import torch

EXPECT = "left the [PAD] positions out of the sum"


def embedding_gradient(model, inputs):
    if "attention_mask" not in inputs:
        raise KeyError("attention_mask")
    if inputs["input_ids"].shape[-1] > model.config.max_position_embeddings:
        raise ValueError("input_ids is longer than the model's 512 positions")
    weight = model.embeddings.word_embeddings.weight
    saved_grad, saved_flag = weight.grad, weight.requires_grad
    try:
        weight.grad = None
        weight.requires_grad_(True)
        with torch.enable_grad():
            hidden = model(**inputs).last_hidden_state
            loss = (hidden * inputs["attention_mask"].unsqueeze(-1).to(hidden.dtype)).sum()
            loss.backward(inputs=[weight])
        return weight.grad.detach().clone()
    finally:
        weight.grad = saved_grad
        weight.requires_grad_(saved_flag)
