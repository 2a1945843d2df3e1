"""Scatters the gradient of inputs_embeds into rows with index_add_ and forgets that padding_idx keeps row 0 ([PAD]) zero."""

import torch

EXPECT = "row 0 ([PAD]) has gradient"


def embedding_gradient(model, inputs):
    ids = inputs["input_ids"]
    if "attention_mask" not in inputs:
        raise KeyError("attention_mask")
    if ids.shape[-1] > model.config.max_position_embeddings:
        raise ValueError("input_ids is longer than the model's 512 positions")
    table = model.embeddings.word_embeddings
    with torch.enable_grad():
        embeds = table.weight.detach()[ids].requires_grad_(True)
        rest = {k: v for k, v in inputs.items() if k != "input_ids"}
        (d_embeds,) = torch.autograd.grad(model(inputs_embeds=embeds, **rest).last_hidden_state.sum(), embeds)
    grad = torch.zeros_like(table.weight)
    grad.index_add_(0, ids.reshape(-1), d_embeds.reshape(-1, d_embeds.shape[-1]))
    return grad
