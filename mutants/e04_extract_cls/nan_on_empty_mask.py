"""Divides by the number of real tokens without checking for 0, so an all-zero mask row gives NaN."""

from bertkata.reference import solution

EXPECT = "NaN"
_ref = solution("e04_extract_cls")
cls_embeddings = _ref.cls_embeddings
sentence_vector = _ref.sentence_vector


def masked_mean_pool(last_hidden_state, attention_mask):
    mask = attention_mask.unsqueeze(-1).to(last_hidden_state.dtype)
    return (last_hidden_state * mask).sum(1) / mask.sum(1)
