"""Builds the autograd graph and detaches the outputs afterwards, instead of running under torch.no_grad()."""

from transformers.modeling_outputs import BaseModelOutputWithPoolingAndCrossAttentions

EXPECT = "built an autograd graph"


def encode(model, batch):
    if not hasattr(batch, "keys") or "input_ids" not in batch:
        raise TypeError("pass the BatchEncoding the tokenizer returns")
    was_training = model.training
    model.eval()
    try:
        out = model(**batch)
    finally:
        model.train(was_training)
    return BaseModelOutputWithPoolingAndCrossAttentions(
        last_hidden_state=out.last_hidden_state.detach(), pooler_output=out.pooler_output.detach())
