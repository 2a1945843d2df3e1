"""Returns the logits of every position [batch, seq_len, vocab_size] instead of those at the [MASK]s."""

import torch

EXPECT = "logits of every position"


def mask_logits(model, tokenizer, batch):
    if model.get_output_embeddings() is None:
        raise TypeError("mask_logits needs BertForMaskedLM, not BertModel")
    if not (batch["input_ids"] == tokenizer.mask_token_id).any():
        raise ValueError("the batch holds no [MASK]")
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            return model(**batch).logits
    finally:
        model.train(was_training)
