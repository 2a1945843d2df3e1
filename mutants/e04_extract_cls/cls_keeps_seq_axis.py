"""Slices last_hidden_state[:, 0:1, :], which keeps a seq_len axis of 1: [batch, 1, hidden]."""

EXPECT = "keeps a seq_len axis of 1"


def cls_embeddings(last_hidden_state):
    return last_hidden_state[:, 0:1, :]
