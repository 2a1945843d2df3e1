"""Counts with named_parameters(remove_duplicate=False), so a tied weight counts twice."""

EXPECT = "counted twice"


def count_trainable_parameters(model):
    return sum(p.numel() for _, p in model.named_parameters(remove_duplicate=False) if p.requires_grad)
