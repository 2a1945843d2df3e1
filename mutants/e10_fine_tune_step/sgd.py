"""Uses plain SGD, the optimizer of the tutorials, instead of the AdamW the docstring names."""

EXPECT = "these are SGD's steps"
import torch
import torch.nn.functional as F


def train_steps(model, batch, labels, steps, lr):
    optimizer = torch.optim.SGD([p for p in model.parameters() if p.requires_grad], lr=lr)
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
