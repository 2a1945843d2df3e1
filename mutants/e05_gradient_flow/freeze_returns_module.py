"""Returns what requires_grad_() returns, the embeddings module, instead of None."""

EXPECT = "returns None"


def freeze_embeddings(model):
    return model.embeddings.requires_grad_(False)
