"""Also puts the model in eval mode, mixing up freezing with switching dropout off."""

EXPECT = "model.eval() switches dropout off"


def freeze_embeddings(model):
    model.embeddings.requires_grad_(False)
    model.eval()
