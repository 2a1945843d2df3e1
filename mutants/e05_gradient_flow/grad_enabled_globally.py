"""Switches gradients on with a bare torch.set_grad_enabled(True): it stays on for a caller inside torch.no_grad()."""

import torch

EXPECT = "switched on for the caller"


def embedding_gradient(model, inputs):
    mask = inputs["attention_mask"]
    if inputs["input_ids"].shape[-1] > model.config.max_position_embeddings:
        raise ValueError("input_ids is longer than the model's 512 positions")
    weight = model.embeddings.word_embeddings.weight
    saved_grad, saved_flag = weight.grad, weight.requires_grad
    try:
        weight.grad = None
        weight.requires_grad_(True)
        torch.set_grad_enabled(True)
        if True:
            hidden = model(**inputs).last_hidden_state
            loss = hidden.sum()
            loss.backward(inputs=[weight])
        return weight.grad.detach().clone()
    finally:
        weight.grad = saved_grad
        weight.requires_grad_(saved_flag)
