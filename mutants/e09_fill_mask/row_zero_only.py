"""Reads every [MASK]'s logits from row 0 of the batch (logits[0, positions]), whatever row it is in."""

import torch

EXPECT = "you read every [MASK] from row 0"


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
            logits = model(**batch).logits
    finally:
        model.train(was_training)
    return logits[0, positions[:, 1]]
