"""Returns the row indices as a tensor instead of a list of int."""

EXPECT = "return a list of int"


def rows_with_gradient(grad):
    return (grad != 0).any(dim=1).nonzero().flatten()
