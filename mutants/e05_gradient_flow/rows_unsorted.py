"""Collects the ids in a set and returns them in the set's order, not sorted."""

EXPECT = "not sorted"


def rows_with_gradient(grad):
    return list({int(i) for i in grad.nonzero()[:, 0]})
