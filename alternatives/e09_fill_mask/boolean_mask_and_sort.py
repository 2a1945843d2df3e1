"""Indexing logits with the boolean mask input_ids == mask_token_id keeps reading order; sort(descending=True) ranks like topk; torch.argwhere is nonzero.
用布尔掩码 input_ids == mask_token_id 索引 logits 同样按阅读顺序取出各行；sort(descending=True) 与 topk 排出的顺序相同；torch.argwhere 就是 nonzero。
"""

from collections.abc import Mapping

import torch


def mask_positions(tokenizer, input_ids):
    if not torch.is_tensor(input_ids) or torch.is_floating_point(input_ids):
        raise TypeError("input_ids should be an integer tensor of token ids")
    if input_ids.ndim != 2:
        raise ValueError(f"input_ids should have 2 dimensions [batch, seq_len], not {input_ids.ndim}")
    return torch.argwhere(input_ids.eq(tokenizer.mask_token_id))


def mask_logits(model, tokenizer, batch):
    if not isinstance(batch, Mapping) or not torch.is_tensor(batch.get("input_ids")):
        raise TypeError("pass the tokenizer's output (input_ids, attention_mask, ...), not sentences or a tensor")
    if model.get_output_embeddings() is None:
        raise TypeError("this model has no language-modeling head; use BertForMaskedLM")
    if mask_positions(tokenizer, batch["input_ids"]).numel() == 0:
        raise ValueError(f"no {tokenizer.mask_token} in the batch: nothing to fill in")
    mode = model.training
    model.train(False)
    try:
        with torch.no_grad():
            out = model(**batch)
    finally:
        model.train(mode)
    return out.logits[batch["input_ids"] == tokenizer.mask_token_id]


def top_k_tokens(tokenizer, logits, k=5):
    if not torch.is_tensor(logits) or not torch.is_floating_point(logits):
        raise TypeError("logits should be a float tensor")
    if logits.ndim != 2:
        raise ValueError(f"logits should be [n_masks, vocab_size], got {tuple(logits.shape)}")
    if isinstance(k, bool) or not isinstance(k, int):
        raise TypeError(f"k should be an int, not {type(k).__name__}")
    if k < 1 or k > logits.size(1):
        raise ValueError(f"k should be from 1 to {logits.size(1)}, not {k}")
    ids = torch.sort(logits, dim=1, descending=True, stable=True).indices[:, :k]
    return ids, [[tokenizer.convert_ids_to_tokens(i) for i in row] for row in ids.tolist()]


def decoder_is_tied(model):
    layer = model.get_output_embeddings()
    if layer is None:
        raise TypeError("this model has no output layer to compare (BertModel): use BertForMaskedLM")
    return layer.weight is model.get_input_embeddings().weight
