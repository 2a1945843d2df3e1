"""Detaches the [CLS] vectors ("they are features"), so fine-tuning on them gets no gradient."""

EXPECT = "cls_embeddings cut its result from the autograd graph"


def cls_embeddings(last_hidden_state):
    return last_hidden_state[:, 0, :].detach()
