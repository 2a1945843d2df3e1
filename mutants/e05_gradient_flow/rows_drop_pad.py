"""Always leaves out row 0, reading 'except [PAD]' as a rule to apply."""

import torch

EXPECT = "do not drop it"


def rows_with_gradient(grad):
    if grad is None:
        raise TypeError("grad is None: no backward() has reached this parameter")
    if not isinstance(grad, torch.Tensor):
        raise TypeError(f"grad must be a torch.Tensor, got a {type(grad).__name__}")
    if grad.dim() != 2:
        raise ValueError(f"grad must be 2-D [vocab_size, hidden], got shape {list(grad.shape)}")
    return [i for i in (grad != 0).any(dim=1).nonzero().flatten().tolist() if i != 0]
