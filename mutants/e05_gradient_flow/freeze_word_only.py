"""Freezes only the word embeddings, not the position and token type embeddings or LayerNorm."""

EXPECT = "froze only word_embeddings"


def freeze_embeddings(model):
    model.embeddings.word_embeddings.requires_grad_(False)
