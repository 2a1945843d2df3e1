"""Takes input_ids out with inputs.pop(), removing the key from the caller's batch."""

import torch

EXPECT = "inputs.pop("


def embedding_gradient(model, inputs):
    mask = inputs["attention_mask"]
    input_ids = inputs.pop("input_ids")
    if input_ids.shape[-1] > model.config.max_position_embeddings:
        raise ValueError("input_ids is longer than the model's 512 positions")
    weight = model.embeddings.word_embeddings.weight
    saved_grad, saved_flag = weight.grad, weight.requires_grad
    try:
        weight.grad = None
        weight.requires_grad_(True)
        with torch.enable_grad():
            hidden = model(input_ids=input_ids, **inputs).last_hidden_state
            loss = hidden.sum()
            loss.backward(inputs=[weight])
        return weight.grad.detach().clone()
    finally:
        weight.grad = saved_grad
        weight.requires_grad_(saved_flag)
