"""Returns pooler_output (tanh(pooler.dense([CLS]))) as the [CLS] vector of a model output."""

EXPECT = "pooler_output is tanh(pooler.dense([CLS]))"


def sentence_vector(model_output):
    return model_output.pooler_output
