"""Leaves more than 512 positions to the model, whose error talks about expanded sizes, not truncation."""

import torch

EXPECT = "position embeddings (model.config.max_position_embeddings)"


def encode(model, batch):
    ids = batch.get("input_ids") if hasattr(batch, "get") else None
    if not isinstance(ids, torch.Tensor):
        raise TypeError("pass the BatchEncoding the tokenizer returns (return_tensors='pt')")
    if ids.is_floating_point():
        raise TypeError(f"input_ids must be integer token ids, not {ids.dtype}")
    if ids.dim() != 2:
        raise ValueError(f"input_ids must be [batch, seq_len], got {list(ids.shape)}")
    mask = batch.get("attention_mask")
    if mask is not None and mask.shape != ids.shape:
        raise ValueError(f"attention_mask {list(mask.shape)} does not match input_ids {list(ids.shape)}")
    if ids.min() < 0 or ids.max() >= model.config.vocab_size:
        raise ValueError("input_ids hold ids outside the vocabulary")
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            return model(**batch)
    finally:
        model.train(was_training)
