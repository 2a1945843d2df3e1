"""Sizes each parameter with np.prod(p.shape), returning a numpy.int64 instead of an int."""

import numpy as np

EXPECT = "np.prod(p.shape) gives numpy ints"


def count_trainable_parameters(model):
    return sum(np.prod(p.shape) for p in model.parameters() if p.requires_grad)
