"""Finds the [MASK]s in input_ids[:, 1:] ("after [CLS]") but reads the full logits there: one position too early."""

import torch

EXPECT = "one position too early"


def mask_logits(model, tokenizer, batch):
    if model.get_output_embeddings() is None:
        raise TypeError("mask_logits needs BertForMaskedLM, not BertModel")
    where = (batch["input_ids"][:, 1:] == tokenizer.mask_token_id).nonzero()
    if len(where) == 0:
        raise ValueError("the batch holds no [MASK]")
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            logits = model(**batch).logits
    finally:
        model.train(was_training)
    return logits[where[:, 0], where[:, 1]]
