"""Cuts every input to the first 512 positions instead of raising ValueError."""

import torch

EXPECT = "cut the input to fit"


def embedding_gradient(model, inputs):
    limit = model.config.max_position_embeddings
    inputs = {k: v[:, :limit] for k, v in inputs.items()}
    mask = inputs["attention_mask"]
    weight = model.embeddings.word_embeddings.weight
    saved_grad, saved_flag = weight.grad, weight.requires_grad
    try:
        weight.grad = None
        weight.requires_grad_(True)
        with torch.enable_grad():
            hidden = model(**inputs).last_hidden_state
            loss = hidden.sum()
            loss.backward(inputs=[weight])
        return weight.grad.detach().clone()
    finally:
        weight.grad = saved_grad
        weight.requires_grad_(saved_flag)
