"""Compares the decoder and embedding weights by value (torch.equal), so an equal copy passes for a tie."""

import torch

EXPECT = "equal values, equal shapes"


def decoder_is_tied(model):
    out = model.get_output_embeddings()
    if out is None:
        raise TypeError("decoder_is_tied needs a masked-LM head (BertForMaskedLM), not BertModel")
    return torch.equal(out.weight, model.get_input_embeddings().weight)
