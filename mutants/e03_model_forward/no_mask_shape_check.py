"""Checks the ids but not the attention_mask's shape, so a mismatched mask passes the model silently."""

import torch

EXPECT = "does not check the attention_mask's shape"


def encode(model, batch):
    ids = batch.get("input_ids") if hasattr(batch, "get") else None
    if not isinstance(ids, torch.Tensor):
        raise TypeError("pass the BatchEncoding the tokenizer returns (return_tensors='pt')")
    if ids.is_floating_point():
        raise TypeError(f"input_ids must be integer token ids, not {ids.dtype}")
    if ids.dim() != 2:
        raise ValueError(f"input_ids must be [batch, seq_len], got {list(ids.shape)}")
    if ids.min() < 0 or ids.max() >= model.config.vocab_size:
        raise ValueError("input_ids hold ids outside the vocabulary")
    if ids.shape[1] > model.config.max_position_embeddings:
        raise ValueError("more than 512 positions: truncate the batch")
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            return model(**batch)
    finally:
        model.train(was_training)
