"""Builds token_type_ids of zeros, as for a single sentence, instead of the batch's own."""

import torch

EXPECT = "token_type_ids of zeros"


def embedding_gradient(model, inputs):
    mask = inputs["attention_mask"]
    if inputs["input_ids"].shape[-1] > model.config.max_position_embeddings:
        raise ValueError("input_ids is longer than the model's 512 positions")
    weight = model.embeddings.word_embeddings.weight
    saved_grad, saved_flag = weight.grad, weight.requires_grad
    try:
        weight.grad = None
        weight.requires_grad_(True)
        with torch.enable_grad():
            hidden = model(input_ids=inputs["input_ids"], attention_mask=mask,
                           token_type_ids=torch.zeros_like(inputs["input_ids"])).last_hidden_state
            loss = hidden.sum()
            loss.backward(inputs=[weight])
        return weight.grad.detach().clone()
    finally:
        weight.grad = saved_grad
        weight.requires_grad_(saved_flag)
