"""Collects the ids in a set and returns them in the set's order, not sorted."""

from bertkata.reference import solution

EXPECT = "not sorted"
_ref = solution("e05_gradient_flow")
embedding_gradient = _ref.embedding_gradient
freeze_embeddings = _ref.freeze_embeddings
count_trainable_parameters = _ref.count_trainable_parameters


def rows_with_gradient(grad):
    return list({int(i) for i in grad.nonzero()[:, 0]})
