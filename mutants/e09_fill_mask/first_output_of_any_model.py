"""Takes model(**batch)[0] without checking the model, so BertModel's last_hidden_state passes for logits."""

import torch

EXPECT = "so this returned hidden states"


def mask_logits(model, tokenizer, batch):
    positions = mask_positions(tokenizer, batch["input_ids"])
    if len(positions) == 0:
        raise ValueError("the batch holds no [MASK]")
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            logits = model(**batch)[0]
    finally:
        model.train(was_training)
    return logits[positions[:, 0], positions[:, 1]]
