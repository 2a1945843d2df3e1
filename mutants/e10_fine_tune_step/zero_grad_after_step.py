"""Clears the gradients at the end of each step, so the first step adds the caller's stale .grad to its own."""

EXPECT = "used the caller's stale .grad"
import torch
import torch.nn.functional as F


def train_steps(model, batch, labels, steps, lr):
    optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=lr)
    was_training = model.training
    losses = []
    try:
        model.train()
        with torch.enable_grad():
            for _ in range(steps):
                loss = F.cross_entropy(model(**batch).logits, labels)
                loss.backward()
                optimizer.step()
                optimizer.zero_grad()
                losses.append(loss.item())
    finally:
        model.train(was_training)
    return losses
