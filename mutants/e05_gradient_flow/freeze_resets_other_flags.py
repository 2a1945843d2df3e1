"""Sets every parameter's requires_grad from its name, unfreezing what the caller had frozen."""

EXPECT = "leave the other flags"


def freeze_embeddings(model):
    for name, p in model.named_parameters():
        p.requires_grad = not name.startswith("embeddings.")
