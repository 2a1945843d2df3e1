"""Relies on the caller's grad mode: inside the caller's torch.no_grad() no graph is built."""

EXPECT = "inside the caller's torch.no_grad() nothing builds a graph"
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
            loss = F.cross_entropy(model(**batch).logits, labels)
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
    finally:
        model.train(was_training)
    return losses
