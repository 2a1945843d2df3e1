"""Reads config.tie_word_embeddings, a flag, instead of checking the weights themselves."""

EXPECT = "the config's flag is not what ties"


def decoder_is_tied(model):
    if model.get_output_embeddings() is None:
        raise TypeError("decoder_is_tied needs a masked-LM head (BertForMaskedLM), not BertModel")
    return bool(model.config.tie_word_embeddings)
