"""Returns the [CLS] vectors as a NumPy array (.numpy()), ready for scikit-learn, instead of a tensor."""

EXPECT = "not a NumPy array"


def sentence_vector(model_output):
    return model_output.last_hidden_state[:, 0, :].numpy()
