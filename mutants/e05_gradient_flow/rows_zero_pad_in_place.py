"""Zeroes row 0 ([PAD]) of the caller's gradient in place before looking for rows."""

import torch

EXPECT = "wrote into row 0"


def rows_with_gradient(grad):
    if grad is None:
        raise TypeError("grad is None: no backward() has reached this parameter")
    if not isinstance(grad, torch.Tensor):
        raise TypeError(f"grad must be a torch.Tensor, got a {type(grad).__name__}")
    if grad.dim() != 2:
        raise ValueError(f"grad must be 2-D [vocab_size, hidden], got shape {list(grad.shape)}")
    grad[0] = 0
    return (grad != 0).any(dim=1).nonzero().flatten().tolist()
