"""Calls model.eval() and never puts the caller's train mode back."""

import torch

EXPECT = "left in eval mode"


def mask_logits(model, tokenizer, batch):
    if model.get_output_embeddings() is None:
        raise TypeError("mask_logits needs BertForMaskedLM, not BertModel")
    positions = mask_positions(tokenizer, batch["input_ids"])
    if len(positions) == 0:
        raise ValueError("the batch holds no [MASK]")
    model.eval()
    with torch.no_grad():
        logits = model(**batch).logits
    return logits[positions[:, 0], positions[:, 1]]
