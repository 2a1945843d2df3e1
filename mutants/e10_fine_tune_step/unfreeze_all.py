"""Calls model.requires_grad_(True) "so that gradients flow", unfreezing what the caller froze."""

EXPECT = "model.requires_grad_(True) unfreezes"
import torch
import torch.nn.functional as F


def train_steps(model, batch, labels, steps, lr):
    model.requires_grad_(True)
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr)
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
