"""Counts every parameter, frozen or not, instead of the trainable ones."""

from bertkata.reference import solution

EXPECT = "counted every parameter"
_ref = solution("e05_gradient_flow")
embedding_gradient = _ref.embedding_gradient
rows_with_gradient = _ref.rows_with_gradient
freeze_embeddings = _ref.freeze_embeddings


def count_trainable_parameters(model):
    return sum(p.numel() for p in model.parameters())
