"""Calls model(input_ids=...) without the attention_mask, so a padded sentence's [MASK] attends to [PAD]."""

import torch

EXPECT = "the attention_mask was left out"


def mask_logits(model, tokenizer, batch):
    if model.get_output_embeddings() is None:
        raise TypeError("mask_logits needs BertForMaskedLM, not BertModel")
    positions = mask_positions(tokenizer, batch["input_ids"])
    if len(positions) == 0:
        raise ValueError("the batch holds no [MASK]")
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            logits = model(input_ids=batch["input_ids"]).logits
    finally:
        model.train(was_training)
    return logits[positions[:, 0], positions[:, 1]]
