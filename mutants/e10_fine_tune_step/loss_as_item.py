"""Returns the loss as a fresh tensor of its value, cut off from the graph."""

EXPECT = "the loss must keep the autograd graph"
import torch
import torch.nn.functional as F


def classification_loss(logits, labels):
    return torch.tensor(F.cross_entropy(logits, labels.long()).item(), dtype=logits.dtype)
