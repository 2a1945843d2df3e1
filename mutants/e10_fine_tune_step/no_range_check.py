"""Checks dtype and shape but not the range, leaving out-of-range labels to cross_entropy."""

EXPECT = "cross_entropy says only 'Target 2 is out of bounds'"
import torch
import torch.nn.functional as F


def classification_loss(logits, labels):
    if not isinstance(logits, torch.Tensor) or not logits.is_floating_point():
        raise TypeError("logits must be a floating-point tensor [batch, num_labels]")
    if logits.dim() != 2 or logits.shape[0] == 0:
        raise ValueError(f"logits must be [batch, num_labels], got shape {list(logits.shape)}")
    if not isinstance(labels, torch.Tensor) or labels.is_floating_point() or labels.dtype == torch.bool:
        raise TypeError("labels must be a tensor of class indices (int64), not float labels or one-hot rows")
    if list(labels.shape) != [logits.shape[0]]:
        raise ValueError(f"labels must have shape [{logits.shape[0]}], got {list(labels.shape)}")
    return F.cross_entropy(logits, labels.long())
