"""Plain Python loops over tolist() find the [MASK]s and gather their rows; the vocabulary lookup goes through tokenizer.get_vocab().
用普通的 Python 循环遍历 tolist() 来找 [MASK] 并收集对应的行；查词表用 tokenizer.get_vocab()。
"""

import torch


def mask_positions(tokenizer, input_ids):
    if not isinstance(input_ids, torch.Tensor):
        raise TypeError("mask_positions takes input_ids as a tensor")
    if input_ids.dtype.is_floating_point:
        raise TypeError("input_ids are token ids, integers; got floats")
    if input_ids.dim() != 2:
        raise ValueError("input_ids must be 2-D, one row per sentence")
    mask_id = tokenizer.mask_token_id
    pairs = [[i, j] for i, row in enumerate(input_ids.tolist()) for j, t in enumerate(row) if t == mask_id]
    return torch.tensor(pairs, dtype=torch.long).reshape(-1, 2)


def mask_logits(model, tokenizer, batch):
    if not hasattr(batch, "keys") or "input_ids" not in batch.keys():
        raise TypeError("batch must be the tokenizer's output, with input_ids")
    if model.get_output_embeddings() is None:
        raise TypeError(f"{type(model).__name__} has no masked-LM head; use BertForMaskedLM")
    pairs = mask_positions(tokenizer, batch["input_ids"]).tolist()
    if not pairs:
        raise ValueError("no [MASK] token in the batch; add tokenizer.mask_token to a sentence")
    was_training = model.training
    try:
        model.eval()
        with torch.no_grad():
            logits = model(**batch).logits
    finally:
        model.train(was_training)
    return torch.stack([logits[i, j] for i, j in pairs])


def top_k_tokens(tokenizer, logits, k=5):
    if not isinstance(logits, torch.Tensor) or not logits.dtype.is_floating_point:
        raise TypeError("logits must be a floating-point tensor")
    if logits.dim() != 2:
        raise ValueError("logits must be 2-D [n_masks, vocab_size] (unsqueeze(0) one [MASK]'s logits)")
    if type(k) is not int:
        raise TypeError("k must be an int")
    if k < 1 or k > logits.shape[1]:
        raise ValueError(f"k must be in [1, {logits.shape[1]}]")
    by_id = {i: t for t, i in tokenizer.get_vocab().items()}
    ids = torch.stack([row.topk(k).indices for row in logits])
    return ids, [[by_id[i] for i in row] for row in ids.tolist()]


def decoder_is_tied(model):
    out = model.get_output_embeddings()
    if out is None:
        raise TypeError("no output embeddings: this is not a masked-LM model")
    return out.weight is model.bert.embeddings.word_embeddings.weight
