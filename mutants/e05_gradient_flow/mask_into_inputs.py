"""Converts the mask with inputs['attention_mask'] = ....float(), replacing the caller's tensor."""

import torch

EXPECT = "assigned into the caller's batch"


def embedding_gradient(model, inputs):
    inputs["attention_mask"] = inputs["attention_mask"].float()
    mask = inputs["attention_mask"]
    if inputs["input_ids"].shape[-1] > model.config.max_position_embeddings:
        raise ValueError("input_ids is longer than the model's 512 positions")
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
