"""Keeps rows whose sum is non-zero, missing rows whose entries cancel out."""

EXPECT = "whose entries cancel"


def rows_with_gradient(grad):
    return (grad.sum(dim=1) != 0).nonzero().flatten().tolist()
