"""Counts trainable parameter tensors (199 of them) instead of their elements (numel)."""

EXPECT = "you counted parameter tensors"


def count_trainable_parameters(model):
    return len([p for p in model.parameters() if p.requires_grad])
