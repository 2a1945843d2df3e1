"""Ends with model.eval(), whatever mode the caller's model came in."""

EXPECT = "arrived in train mode and left in eval mode: a caller"
import torch
import torch.nn.functional as F


def train_steps(model, batch, labels, steps, lr):
    optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=lr)
    losses = []
    model.train()
    with torch.enable_grad():
        for _ in range(steps):
            optimizer.zero_grad()
            loss = F.cross_entropy(model(**batch).logits, labels)
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
    model.eval()
    return losses
