"""Keeps the feature-extraction `with torch.no_grad():` around the training forward."""

EXPECT = "you ran the forward inside torch.no_grad()"
import torch
import torch.nn.functional as F


def train_steps(model, batch, labels, steps, lr):
    optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=lr)
    was_training = model.training
    losses = []
    try:
        model.train()
        for _ in range(steps):
            optimizer.zero_grad()
            with torch.no_grad():
                logits = model(**batch).logits
            loss = F.cross_entropy(logits, labels)
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
    finally:
        model.train(was_training)
    return losses
