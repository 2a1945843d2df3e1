"""Forgets torch.no_grad(): the forward builds an autograd graph for features nobody backpropagates."""

from bertkata.reference import solution

EXPECT = "gradients were never switched off"


def encode(model, batch):
    solution("e03_model_forward")._check_batch(model, batch)
    was_training = model.training
    model.eval()
    try:
        return model(**batch)
    finally:
        model.train(was_training)
