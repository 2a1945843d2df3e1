"""Counts every parameter, frozen or not, instead of the trainable ones."""

EXPECT = "counted every parameter"


def count_trainable_parameters(model):
    return sum(p.numel() for p in model.parameters())
