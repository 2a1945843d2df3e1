"""Calls model.train() and never puts the caller's eval mode back."""

EXPECT = "the model was left in train mode"
import torch
import torch.nn.functional as F


def train_steps(model, batch, labels, steps, lr):
    optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=lr)
    model.train()
    losses = []
    with torch.enable_grad():
        for _ in range(steps):
            optimizer.zero_grad()
            loss = F.cross_entropy(model(**batch).logits, labels)
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
    return losses
