"""Freezes with model.embeddings.requires_grad = False, a plain attribute that freezes nothing (C15)."""

EXPECT = "only sets a plain Python attribute"


def freeze_embeddings(model):
    model.embeddings.requires_grad = False
