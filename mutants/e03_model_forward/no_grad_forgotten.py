"""Forgets torch.no_grad(): the forward builds an autograd graph for features nobody backpropagates."""

EXPECT = "built an autograd graph"


def encode(model, batch):
    if not hasattr(batch, "keys") or "input_ids" not in batch:
        raise TypeError("pass the BatchEncoding the tokenizer returns")
    was_training = model.training
    model.eval()
    try:
        return model(**batch)
    finally:
        model.train(was_training)
