"""Never checks for a masked-LM head, so BertModel gets an AttributeError on None instead of a TypeError."""

EXPECT = "its output has no logits"


def decoder_is_tied(model):
    return model.get_output_embeddings().weight is model.get_input_embeddings().weight
