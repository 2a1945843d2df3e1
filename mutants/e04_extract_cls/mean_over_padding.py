"""Mean pooling over every position, [PAD] included: last_hidden_state.mean(1)."""

from bertkata.reference import solution

EXPECT = "[PAD] included"
_ref = solution("e04_extract_cls")
cls_embeddings = _ref.cls_embeddings
sentence_vector = _ref.sentence_vector


def masked_mean_pool(last_hidden_state, attention_mask):
    return last_hidden_state.mean(1)
