"""Sums pooler_output (the pooled [CLS] vector) instead of last_hidden_state."""

import torch

EXPECT = "you summed pooler_output"


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
            loss = model(**inputs).pooler_output.sum()
            loss.backward(inputs=[weight])
        return weight.grad.detach().clone()
    finally:
        weight.grad = saved_grad
        weight.requires_grad_(saved_flag)
