"""Appends the loss tensor itself, not loss.item(), keeping every step's graph alive."""

EXPECT = "append loss.item(), not the loss tensor"
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
                optimizer.zero_grad()
                loss = F.cross_entropy(model(**batch).logits, labels)
                loss.backward()
                optimizer.step()
                losses.append(loss)
    finally:
        model.train(was_training)
    return losses
