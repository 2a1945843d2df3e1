"""Keeps rows whose norm is non-zero: a tiny entry's square underflows to 0 in float32."""

import torch

EXPECT = "underflows"


def rows_with_gradient(grad):
    if grad is None:
        raise TypeError("grad is None: no backward() has reached this parameter")
    if not isinstance(grad, torch.Tensor):
        raise TypeError(f"grad must be a torch.Tensor, got a {type(grad).__name__}")
    if grad.dim() != 2:
        raise ValueError(f"grad must be 2-D [vocab_size, hidden], got shape {list(grad.shape)}")
    return (grad.norm(dim=1) != 0).nonzero().flatten().tolist()
