"""Lists the row of every non-zero entry (grad.nonzero()[:, 0]), so ids repeat, once per hidden unit."""

EXPECT = "nonzero() lists every non-zero entry"


def rows_with_gradient(grad):
    return grad.nonzero()[:, 0].tolist()
