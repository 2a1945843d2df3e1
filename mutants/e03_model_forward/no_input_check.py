"""Does not check the batch: a list of sentences fails inside model(**batch) with Python's own TypeError."""

import torch

EXPECT = "raise TypeError saying to pass"


def encode(model, batch):
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            return model(**batch)
    finally:
        model.train(was_training)
