"""Does not check the ids' dtype: float input_ids reach the embedding lookup, which fails with a RuntimeError."""

import torch

EXPECT = "the embedding lookup needs integer ids"


def encode(model, batch):
    ids = batch.get("input_ids") if hasattr(batch, "get") else None
    if not isinstance(ids, torch.Tensor):
        raise TypeError("pass the BatchEncoding the tokenizer returns (return_tensors='pt')")
    if ids.dim() != 2:
        raise ValueError(f"input_ids must be [batch, seq_len], got {list(ids.shape)}")
    mask = batch.get("attention_mask")
    if mask is not None and mask.shape != ids.shape:
        raise ValueError(f"attention_mask {list(mask.shape)} does not match input_ids {list(ids.shape)}")
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
