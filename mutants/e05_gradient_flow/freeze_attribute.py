"""Freezes with model.embeddings.requires_grad = False, a plain attribute that freezes nothing (C15)."""

EXPECT = "requires_grad_(False)"


def freeze_embeddings(model):
    model.embeddings.requires_grad = False
