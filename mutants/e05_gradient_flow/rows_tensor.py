"""Returns the row indices as a tensor instead of a list of int."""

from bertkata.reference import solution

EXPECT = "return a list of int"
_ref = solution("e05_gradient_flow")
embedding_gradient = _ref.embedding_gradient
freeze_embeddings = _ref.freeze_embeddings
count_trainable_parameters = _ref.count_trainable_parameters


def rows_with_gradient(grad):
    return (grad != 0).any(dim=1).nonzero().flatten()
