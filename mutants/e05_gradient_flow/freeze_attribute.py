"""Freezes with model.embeddings.requires_grad = False, a plain attribute that freezes nothing (C15)."""

from bertkata.reference import solution

EXPECT = "requires_grad_(False)"
_ref = solution("e05_gradient_flow")
embedding_gradient = _ref.embedding_gradient
rows_with_gradient = _ref.rows_with_gradient
count_trainable_parameters = _ref.count_trainable_parameters


def freeze_embeddings(model):
    model.embeddings.requires_grad = False
