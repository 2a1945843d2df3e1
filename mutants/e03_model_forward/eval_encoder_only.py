"""Switches only model.encoder to eval (and back), so for a train-mode model the embeddings dropout is still active during the forward and two calls differ."""

EXPECT = "switching a part of the model"
from collections.abc import Mapping

import torch


def _check(model, batch):
    ids = batch.get("input_ids") if isinstance(batch, Mapping) else None
    if not isinstance(ids, torch.Tensor):
        raise TypeError("pass the BatchEncoding the tokenizer returns (return_tensors=\"pt\"), "
                        "a mapping holding an input_ids tensor")
    if ids.is_floating_point() or ids.is_complex():
        raise TypeError(f"input_ids must be integer token ids, got {ids.dtype}")
    if ids.dim() != 2:
        raise ValueError(f"input_ids must be [batch, seq_len], got {tuple(ids.shape)}")
    mask = batch.get("attention_mask")
    if mask is not None and tuple(mask.shape) != tuple(ids.shape):
        raise ValueError("attention_mask must have the shape of input_ids")
    if ids.numel() and (int(ids.min()) < 0 or int(ids.max()) >= model.config.vocab_size):
        raise ValueError("input_ids holds an id outside the vocabulary")
    if ids.shape[1] > model.config.max_position_embeddings:
        raise ValueError("more than 512 positions: truncate (tokenizer(..., truncation=True))")



def encode(model, batch):
    _check(model, batch)
    was_training = model.encoder.training
    model.encoder.eval()  # dropout lives in the transformer layers
    try:
        with torch.no_grad():
            return model(**batch)
    finally:
        model.encoder.train(was_training)
