"""Error messages may be written in the learner's own language: what matters is that they say what was wrong and what to do (here in Chinese), and the model's modes can be saved and restored module by module with a dict.
错误消息可以用学员自己的语言写：要紧的是说清哪里错了、该怎么办（这里用简体中文）；模型各模块的模式也可以用一个 dict 逐个保存、再逐个恢复。
"""

from collections.abc import Mapping

import torch


def encode(model, batch):
    if not isinstance(batch, Mapping) or "input_ids" not in batch:
        raise TypeError("encode 需要一个含 input_ids 的 BatchEncoding（分词器的输出）")
    ids = batch["input_ids"]
    if not isinstance(ids, torch.Tensor):
        raise TypeError("input_ids 不是张量：请传入分词器返回的 BatchEncoding（调用时加 return_tensors='pt'）")
    if ids.is_floating_point() or ids.is_complex() or ids.dtype == torch.bool:
        raise TypeError(f"token id 必须是整数，这里是 {ids.dtype}")
    if ids.dim() != 2:
        raise ValueError(f"input_ids 必须是 [batch, seq_len] 两维，这里是 {list(ids.shape)}")
    mask = batch.get("attention_mask")
    if mask is not None and tuple(mask.shape) != tuple(ids.shape):
        raise ValueError(f"attention_mask 的形状 {list(mask.shape)} 与 input_ids 的 {list(ids.shape)} 不一致")
    if ids.numel() and (int(ids.min()) < 0 or int(ids.max()) >= model.config.vocab_size):
        raise ValueError(f"id 必须在 0 到 {model.config.vocab_size - 1} 之间")
    if ids.shape[1] > model.config.max_position_embeddings:
        raise ValueError(f"{ids.shape[1]} 个位置超过了 BERT 的上限 {model.config.max_position_embeddings}："
                         "请在分词时截断（truncation=True）")
    modes = {m: m.training for m in model.modules()}
    model.eval()
    try:
        with torch.no_grad():
            return model(**batch)
    finally:
        for m, training in modes.items():
            m.training = training
