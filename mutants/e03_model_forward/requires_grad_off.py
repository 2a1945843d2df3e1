"""Skips the graph with model.requires_grad_(False) instead of torch.no_grad(), freezing the caller's model."""

from bertkata.reference import solution

EXPECT = "froze the caller's parameters"


def encode(model, batch):
    solution("e03_model_forward")._check_batch(model, batch)
    was_training = model.training
    model.eval()
    model.requires_grad_(False)
    try:
        return model(**batch)
    finally:
        model.train(was_training)
