"""Lists the row of every non-zero entry (grad.nonzero()[:, 0]), so ids repeat, once per hidden unit."""

from bertkata.reference import solution

EXPECT = "any(dim=1)"
_ref = solution("e05_gradient_flow")
embedding_gradient = _ref.embedding_gradient
freeze_embeddings = _ref.freeze_embeddings
count_trainable_parameters = _ref.count_trainable_parameters


def rows_with_gradient(grad):
    return grad.nonzero()[:, 0].tolist()
