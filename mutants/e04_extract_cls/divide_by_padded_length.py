"""Masks the sum but divides by the padded length seq_len instead of the number of real tokens."""

from bertkata.reference import solution

EXPECT = "padded length"
_ref = solution("e04_extract_cls")
cls_embeddings = _ref.cls_embeddings
sentence_vector = _ref.sentence_vector


def masked_mean_pool(last_hidden_state, attention_mask):
    mask = attention_mask.unsqueeze(-1).to(last_hidden_state.dtype)
    return (last_hidden_state * mask).sum(1) / last_hidden_state.shape[1]
