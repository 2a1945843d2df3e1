"""Uses `with torch.set_grad_enabled(False):`, passes the keys by name with .get, and words its errors differently."""

import torch


def encode(model, batch):
    try:
        ids = batch["input_ids"]
    except (TypeError, KeyError, IndexError):
        raise TypeError("encode takes a BatchEncoding (the tokenizer's output), with input_ids") from None
    if not isinstance(ids, torch.Tensor):
        raise TypeError("input_ids is not a tensor: ask the tokenizer for return_tensors='pt' (a BatchEncoding "
                        "of tensors)")
    if not (ids.dtype in (torch.int64, torch.int32, torch.int16, torch.int8, torch.uint8)):
        raise TypeError(f"ids must be integers, got dtype {ids.dtype}")
    if len(ids.shape) != 2:
        raise ValueError(f"input_ids has {len(ids.shape)} dimension(s); it needs 2, [batch, seq_len]")
    mask = batch.get("attention_mask")
    if mask is not None and mask.shape != ids.shape:
        raise ValueError(f"mask shape {list(mask.shape)} != ids shape {list(ids.shape)}")
    if ids.lt(0).any() or ids.ge(model.config.vocab_size).any():
        raise ValueError("an id is outside the vocabulary")
    if ids.size(1) > 512:
        raise ValueError(f"sequence of {ids.size(1)} positions exceeds 512: truncate it")
    was = model.training
    model.eval()
    try:
        with torch.set_grad_enabled(False):
            return model(input_ids=ids, attention_mask=mask, token_type_ids=batch.get("token_type_ids"))
    finally:
        model.train(was)
