"""Sums the cross-entropy over the rows (reduction="sum") instead of averaging it."""

EXPECT = "the loss is the sum over the rows"
import torch.nn.functional as F


def classification_loss(logits, labels):
    return F.cross_entropy(logits, labels.long(), reduction="sum")
