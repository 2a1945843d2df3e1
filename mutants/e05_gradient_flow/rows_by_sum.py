"""Keeps rows whose sum is non-zero, missing rows whose entries cancel out."""

from bertkata.reference import solution

EXPECT = "cancel"
_ref = solution("e05_gradient_flow")
embedding_gradient = _ref.embedding_gradient
freeze_embeddings = _ref.freeze_embeddings
count_trainable_parameters = _ref.count_trainable_parameters


def rows_with_gradient(grad):
    return (grad.sum(dim=1) != 0).nonzero().flatten().tolist()
