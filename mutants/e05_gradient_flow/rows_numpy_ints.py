"""Finds the rows with numpy and returns numpy.int64 indices instead of Python ints."""

import numpy as np
import torch

EXPECT = ".tolist() converts a tensor of indices"


def rows_with_gradient(grad):
    if grad is None:
        raise TypeError("grad is None: no backward() has reached this parameter")
    if not isinstance(grad, torch.Tensor):
        raise TypeError(f"grad must be a torch.Tensor, got a {type(grad).__name__}")
    if grad.dim() != 2:
        raise ValueError(f"grad must be 2-D [vocab_size, hidden], got shape {list(grad.shape)}")
    return list(np.flatnonzero((grad != 0).any(dim=1).numpy()))
