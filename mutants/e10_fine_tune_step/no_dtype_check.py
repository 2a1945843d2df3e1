"""Checks shapes and range but not the dtype, and converts whatever labels come with .long()."""

EXPECT = "float labels were accepted"
import torch.nn.functional as F


def classification_loss(logits, labels):
    if logits.dim() != 2 or list(labels.shape) != [logits.shape[0]]:
        raise ValueError(f"labels must have shape [{logits.shape[0]}], got {list(labels.shape)}")
    if ((labels < 0) | (labels >= logits.shape[1])).any():
        raise ValueError(f"labels must be class indices in 0 .. {logits.shape[1] - 1}, got {labels.tolist()}")
    return F.cross_entropy(logits, labels.long())
