"""Counts trainable parameter tensors (199 of them) instead of their elements (numel)."""

from bertkata.reference import solution

EXPECT = "p.numel()"
_ref = solution("e05_gradient_flow")
embedding_gradient = _ref.embedding_gradient
rows_with_gradient = _ref.rows_with_gradient
freeze_embeddings = _ref.freeze_embeddings


def count_trainable_parameters(model):
    return len([p for p in model.parameters() if p.requires_grad])
