"""Indexes last_hidden_state[0] (every token of sentence 0) instead of last_hidden_state[:, 0, :]."""

EXPECT = "every token of sentence 0"


def cls_embeddings(last_hidden_state):
    return last_hidden_state[0]
