"""Applies softmax(dim=0), across the [MASK]s, before ranking, which changes each row's order."""

import torch

EXPECT = "softmax(dim=0) normalised across the [MASK]s"


def top_k_tokens(tokenizer, logits, k=5):
    if not isinstance(logits, torch.Tensor) or not logits.is_floating_point():
        raise TypeError("logits must be a float tensor [n_masks, vocab_size]")
    if logits.dim() != 2:
        raise ValueError("logits must be [n_masks, vocab_size]")
    if type(k) is not int:
        raise TypeError("k must be an int")
    if not 1 <= k <= logits.shape[1]:
        raise ValueError("k must be between 1 and vocab_size")
    ids = logits.softmax(dim=0).topk(k, dim=-1).indices
    return ids, [tokenizer.convert_ids_to_tokens(row) for row in ids.tolist()]
