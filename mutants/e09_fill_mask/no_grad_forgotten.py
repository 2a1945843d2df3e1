"""Switches to eval mode but runs the forward without torch.no_grad(), building an autograd graph for a prediction."""

EXPECT = "the forward built an autograd graph"


def mask_logits(model, tokenizer, batch):
    if model.get_output_embeddings() is None:
        raise TypeError("mask_logits needs BertForMaskedLM, not BertModel")
    positions = mask_positions(tokenizer, batch["input_ids"])
    if len(positions) == 0:
        raise ValueError("the batch holds no [MASK]")
    was_training = model.training
    model.eval()
    try:
        logits = model(**batch).logits
    finally:
        model.train(was_training)
    return logits[positions[:, 0], positions[:, 1]]
