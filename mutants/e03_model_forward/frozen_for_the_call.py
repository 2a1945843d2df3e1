"""Freezes every parameter for the forward (and restores each flag) instead of disabling grad with torch.no_grad()."""

from bertkata.reference import solution

EXPECT = "every parameter frozen for it"


def encode(model, batch):
    solution("e03_model_forward")._check_batch(model, batch)
    was_training = model.training
    flags = [p.requires_grad for p in model.parameters()]
    model.eval()
    model.requires_grad_(False)
    try:
        return model(**batch)
    finally:
        for p, flag in zip(model.parameters(), flags):
            p.requires_grad_(flag)
        model.train(was_training)
