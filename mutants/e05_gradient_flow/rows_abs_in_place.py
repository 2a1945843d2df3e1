"""Takes abs_() of the caller's gradient in place so entries cannot cancel, then sums rows."""

import torch

EXPECT = "grad.abs_() made the caller"


def rows_with_gradient(grad):
    if grad is None:
        raise TypeError("grad is None: no backward() has reached this parameter")
    if not isinstance(grad, torch.Tensor):
        raise TypeError(f"grad must be a torch.Tensor, got a {type(grad).__name__}")
    if grad.dim() != 2:
        raise ValueError(f"grad must be 2-D [vocab_size, hidden], got shape {list(grad.shape)}")
    return (grad.abs_().sum(dim=1) != 0).nonzero().flatten().tolist()
