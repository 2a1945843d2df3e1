"""Forgets torch.enable_grad(): inside the caller's torch.no_grad() no graph is built and backward() fails."""

from bertkata.reference import solution

EXPECT = "enable_grad"
_ref = solution("e05_gradient_flow")
rows_with_gradient = _ref.rows_with_gradient
freeze_embeddings = _ref.freeze_embeddings
count_trainable_parameters = _ref.count_trainable_parameters


def embedding_gradient(model, inputs):
    model.zero_grad()
    hidden = model(**inputs).last_hidden_state
    mask = inputs["attention_mask"].unsqueeze(-1).to(hidden.dtype)
    ((hidden * mask).sum(1) / mask.sum(1)).pow(2).mean().backward()
    grad = model.embeddings.word_embeddings.weight.grad.clone()
    model.zero_grad()
    return grad
