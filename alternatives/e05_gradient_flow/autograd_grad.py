"""torch.autograd.grad returns the gradient instead of adding it into .grad, so there is no old gradient to clear and none to restore.
torch.autograd.grad 直接返回梯度，而不是把它累加进 .grad，所以既不用清空旧梯度，也不用恢复。
"""

import torch


def embedding_gradient(model, inputs):
    if "attention_mask" not in inputs:
        raise KeyError("inputs needs an attention_mask to tell real tokens from padding")
    length, limit = inputs["input_ids"].size(1), model.config.max_position_embeddings
    if length > limit:
        raise ValueError(f"a sequence of {length} tokens is longer than the {limit} positions the model has")
    weight = model.embeddings.word_embeddings.weight
    flag = weight.requires_grad
    weight.requires_grad_(True)
    try:
        with torch.enable_grad():
            hidden = model(**inputs).last_hidden_state
            (grad,) = torch.autograd.grad(torch.sum(hidden), weight)
        return grad
    finally:
        weight.requires_grad_(flag)


def rows_with_gradient(grad):
    if not isinstance(grad, torch.Tensor):
        raise TypeError(f"expected the gradient tensor, got {grad!r:.40}")
    if grad.ndim != 2:
        raise ValueError(f"expected a [vocab_size, hidden] gradient, got {grad.ndim} dimensions")
    return torch.count_nonzero(grad, dim=1).nonzero().squeeze(1).tolist()
