"""Ranks with topk(k, dim=0), across the [MASK]s, instead of over the vocabulary."""

import torch

EXPECT = "you ranked along dim 0"


def top_k_tokens(tokenizer, logits, k=5):
    if not isinstance(logits, torch.Tensor) or not logits.is_floating_point():
        raise TypeError("logits must be a float tensor [n_masks, vocab_size]")
    if logits.dim() != 2:
        raise ValueError("logits must be [n_masks, vocab_size]")
    if type(k) is not int:
        raise TypeError("k must be an int")
    if not 1 <= k <= logits.shape[1]:
        raise ValueError("k must be between 1 and vocab_size")
    ids = logits.topk(min(k, logits.shape[0]), dim=0).indices
    return ids, [tokenizer.convert_ids_to_tokens(row) for row in ids.tolist()]
