"""Applies softmax to the logits before cross_entropy, which applies log_softmax itself."""

EXPECT = "softmax was applied before cross_entropy"
import torch.nn.functional as F


def classification_loss(logits, labels):
    return F.cross_entropy(logits.softmax(dim=-1), labels.long())
