"""Runs the forward under torch.no_grad() but never calls model.eval(), so a model in train mode keeps its dropout."""

import torch

EXPECT = "dropout changed the logits"


def mask_logits(model, tokenizer, batch):
    if model.get_output_embeddings() is None:
        raise TypeError("mask_logits needs BertForMaskedLM, not BertModel")
    positions = mask_positions(tokenizer, batch["input_ids"])
    if len(positions) == 0:
        raise ValueError("the batch holds no [MASK]")
    with torch.no_grad():
        logits = model(**batch).logits
    return logits[positions[:, 0], positions[:, 1]]
