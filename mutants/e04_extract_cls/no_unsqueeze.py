"""Multiplies [batch, seq_len, hidden] by the [batch, seq_len] mask without unsqueeze(-1) (RuntimeError)."""

from bertkata.reference import solution

EXPECT = "unsqueeze(-1)"
_ref = solution("e04_extract_cls")
cls_embeddings = _ref.cls_embeddings
sentence_vector = _ref.sentence_vector


def masked_mean_pool(last_hidden_state, attention_mask):
    mask = attention_mask.to(last_hidden_state.dtype)
    return (last_hidden_state * mask).sum(1) / mask.sum(1, keepdim=True)
