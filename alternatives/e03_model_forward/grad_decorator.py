"""torch.no_grad() also works as a decorator, so a small inner function runs without a graph; model.train(False) is the same as model.eval().
torch.no_grad() 也可以当装饰器用，让一个小的内部函数不建计算图地运行；model.train(False) 与 model.eval() 等价。
"""

from collections.abc import Mapping

import torch


@torch.no_grad()
def _forward(model, inputs):
    return model(**inputs)


def encode(model, batch):
    if not isinstance(batch, Mapping):
        raise TypeError(f"got {type(batch).__name__}; expected a BatchEncoding (tokenizer(..., return_tensors='pt'))")
    inputs = dict(batch)
    ids = inputs.get("input_ids")
    if not isinstance(ids, torch.Tensor):
        raise TypeError("the batch has no input_ids tensor: use the BatchEncoding from "
                        "tokenizer(..., return_tensors='pt')")
    if ids.dim() != 2:
        raise ValueError("input_ids should be 2-D, [batch, seq_len]; unsqueeze(0) a single sentence")
    if ids.shape[-1] > model.config.max_position_embeddings:
        raise ValueError("too many tokens for BERT's position embeddings; truncate to 512 (truncation=True)")
    if torch.is_floating_point(ids):
        raise TypeError("input_ids must be an integer tensor of token ids")
    if ids.numel() and not (0 <= int(ids.min()) and int(ids.max()) < model.config.vocab_size):
        raise ValueError("input_ids contain ids that are not in the vocabulary")
    mask = inputs.get("attention_mask")
    if mask is not None and tuple(mask.shape) != tuple(ids.shape):
        raise ValueError("attention_mask and input_ids must have the same shape")
    training = model.training
    model.train(False)
    try:
        return _forward(model, inputs)
    finally:
        model.train(training)
