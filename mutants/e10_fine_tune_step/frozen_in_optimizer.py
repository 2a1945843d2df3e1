"""Gives AdamW every parameter and zeroes gradients in place, so frozen ones holding a stale .grad take steps."""

EXPECT = "a frozen parameter moved"
import torch
import torch.nn.functional as F


def train_steps(model, batch, labels, steps, lr):
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr)
    was_training = model.training
    losses = []
    try:
        model.train()
        with torch.enable_grad():
            for _ in range(steps):
                optimizer.zero_grad(set_to_none=False)
                loss = F.cross_entropy(model(**batch).logits, labels)
                loss.backward()
                optimizer.step()
                losses.append(loss.item())
    finally:
        model.train(was_training)
    return losses
