"""Turns each row of ids into text with tokenizer.decode, one string per [MASK], instead of a list of tokens."""

import torch

EXPECT = "tokenizer.decode joins ids into one string"


def top_k_tokens(tokenizer, logits, k=5):
    if not isinstance(logits, torch.Tensor) or not logits.is_floating_point():
        raise TypeError("logits must be a float tensor [n_masks, vocab_size]")
    if logits.dim() != 2:
        raise ValueError("logits must be [n_masks, vocab_size]")
    if type(k) is not int:
        raise TypeError("k must be an int")
    if not 1 <= k <= logits.shape[1]:
        raise ValueError("k must be between 1 and vocab_size")
    ids = logits.topk(k, dim=-1).indices
    return ids, [tokenizer.decode(row) for row in ids.tolist()]
