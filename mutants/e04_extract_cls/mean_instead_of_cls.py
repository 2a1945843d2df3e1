"""Averages every token (last_hidden_state.mean(1)) and calls it the [CLS] vector."""

from bertkata.reference import solution

EXPECT = "averaged over all tokens"
_ref = solution("e04_extract_cls")
masked_mean_pool = _ref.masked_mean_pool


def cls_embeddings(last_hidden_state):
    return last_hidden_state.mean(1)


def sentence_vector(model_output):
    return cls_embeddings(model_output.last_hidden_state)
