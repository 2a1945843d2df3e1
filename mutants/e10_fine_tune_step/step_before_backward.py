"""Calls optimizer.step() before loss.backward(), when every .grad is still None."""

EXPECT = "optimizer.step() ran before loss.backward()"
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
                optimizer.step()
                loss.backward()
                losses.append(loss.item())
    finally:
        model.train(was_training)
    return losses
