"""`with torch.set_grad_enabled(False):` is torch.no_grad() with a switch (one function can serve training and evaluation), and BertModel's inputs can be passed one by one by name, a missing token_type_ids as None.
`with torch.set_grad_enabled(False):` 就是带开关的 torch.no_grad()（同一个函数可以兼顾训练和评估）；BertModel 的输入也可以按名字逐个传入，缺少的 token_type_ids 传 None 即可。
"""

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
