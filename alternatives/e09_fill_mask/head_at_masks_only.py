"""Runs the encoder (model.bert) on the whole batch and the head (model.cls) only at the [MASK] rows, in torch.inference_mode(); softmax over the vocabulary before topk keeps the order.
先对整个批次运行编码器（model.bert），再只在 [MASK] 所在的行上运行头（model.cls），放在 torch.inference_mode() 中；在词表维上先做 softmax 再取 topk，顺序不变。
"""

from collections.abc import Mapping

import torch


def mask_logits(model, tokenizer, batch):
    if not isinstance(batch, Mapping) or "input_ids" not in batch:
        raise TypeError("batch: expected the mapping that tokenizer(..., return_tensors='pt') returns")
    if not hasattr(model, "cls") or model.get_output_embeddings() is None:
        raise TypeError("model: expected BertForMaskedLM (BertModel has no masked-LM head)")
    where = mask_positions(tokenizer, batch["input_ids"])
    if where.shape[0] == 0:
        raise ValueError("batch: no [MASK] token; insert tokenizer.mask_token where a token should be predicted")
    modes = {m: m.training for m in model.modules()}
    model.eval()
    try:
        with torch.inference_mode():
            hidden = model.bert(**batch).last_hidden_state
            return model.cls(hidden[where[:, 0], where[:, 1]]).clone()
    finally:
        for m, training in modes.items():
            m.training = training


def top_k_tokens(tokenizer, logits, k=5):
    if not isinstance(logits, torch.Tensor) or logits.dtype not in (torch.float16, torch.bfloat16, torch.float32,
                                                                     torch.float64):
        raise TypeError("logits: expected a floating-point tensor")
    if len(logits.shape) != 2:
        raise ValueError("logits: expected 2 dimensions, [n_masks, vocab_size]")
    if type(k) is not int:
        raise TypeError("k: expected an int")
    if k <= 0 or k > logits.shape[-1]:
        raise ValueError(f"k: expected 1..{logits.shape[-1]}")
    probs = torch.softmax(logits.double(), dim=-1)
    ids = torch.topk(probs, k, dim=-1).indices
    return ids, [tokenizer.convert_ids_to_tokens(row.tolist()) for row in ids]


def decoder_is_tied(model):
    if not hasattr(model, "get_output_embeddings") or model.get_output_embeddings() is None:
        raise TypeError("model: expected BertForMaskedLM, which has an output layer")
    a, b = model.get_output_embeddings().weight, model.get_input_embeddings().weight
    return a.data_ptr() == b.data_ptr() and a.shape == b.shape
