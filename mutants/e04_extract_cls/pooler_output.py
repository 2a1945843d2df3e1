"""Returns pooler_output (tanh(pooler.dense([CLS]))) as the [CLS] vector of a model output."""

from bertkata.reference import solution

EXPECT = "pooler_output is tanh(pooler.dense([CLS]))"
_ref = solution("e04_extract_cls")
cls_embeddings = _ref.cls_embeddings
masked_mean_pool = _ref.masked_mean_pool


def sentence_vector(model_output):
    return model_output.pooler_output
