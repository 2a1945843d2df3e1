"""Builds AdamW without lr=lr, so it trains at its default 1e-3 whatever the caller asked."""

EXPECT = "with its default lr (1e-3)"
import torch
import torch.nn.functional as F


def train_steps(model, batch, labels, steps, lr):
    optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad])
    was_training = model.training
    losses = []
    try:
        model.train()
        with torch.enable_grad():
            for _ in range(steps):
                optimizer.zero_grad()
                loss = F.cross_entropy(model(**batch).logits, labels)
                loss.backward()
                optimizer.step()
                losses.append(loss.item())
    finally:
        model.train(was_training)
    return losses
