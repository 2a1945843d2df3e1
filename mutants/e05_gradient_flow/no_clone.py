"""Returns weight.grad itself (zeroed in place with set_to_none=False), so the next call changes it."""

import torch

EXPECT = "returned weight.grad itself"


def embedding_gradient(model, inputs):
    if "attention_mask" not in inputs:
        raise KeyError("attention_mask")
    if inputs["input_ids"].shape[-1] > model.config.max_position_embeddings:
        raise ValueError("input_ids is longer than the model's 512 positions")
    model.zero_grad(set_to_none=False)
    with torch.enable_grad():
        hidden = model(**inputs).last_hidden_state
        hidden.sum().backward()
    return model.embeddings.word_embeddings.weight.grad
