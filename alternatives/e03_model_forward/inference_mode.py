"""torch.inference_mode() is a stricter, faster torch.no_grad(): its outputs are inference tensors that can never take part in a backward() later, which features nobody backpropagates through can afford.
torch.inference_mode() 是更严格也更快的 torch.no_grad()：它产生的推理张量以后永远不能参与 backward()；对于不会有人反向传播的特征，这个代价完全可以接受。
"""

import torch


def encode(model, batch):
    if not hasattr(batch, "keys") or not torch.is_tensor(batch.get("input_ids")):
        raise TypeError("encode needs the BatchEncoding the tokenizer returns with return_tensors='pt'")
    ids = batch["input_ids"]
    if ids.dtype.is_floating_point:
        raise TypeError(f"token ids are integers; input_ids is {ids.dtype}")
    if ids.ndim != 2:
        raise ValueError(f"expected input_ids of shape [batch, seq_len], not {tuple(ids.shape)}")
    if "attention_mask" in batch and batch["attention_mask"].shape != ids.shape:
        raise ValueError(f"attention_mask {tuple(batch['attention_mask'].shape)} does not fit input_ids "
                         f"{tuple(ids.shape)}")
    if bool(((ids < 0) | (ids >= model.config.vocab_size)).any()):
        raise ValueError(f"every id must be in [0, {model.config.vocab_size}); some are not")
    if ids.shape[1] > model.config.max_position_embeddings:
        raise ValueError(f"{ids.shape[1]} tokens is more than the model's {model.config.max_position_embeddings}; "
                         "truncate the input")
    modes = {m: m.training for m in model.modules()}
    model.eval()
    try:
        with torch.inference_mode():
            return model(**batch)
    finally:
        for m, training in modes.items():
            m.training = training
