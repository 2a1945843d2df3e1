"""An embedding lookup's backward is a scatter-add: differentiate with respect to inputs_embeds, then index_add_ each position's gradient into its token's row (and zero padding_idx, as nn.Embedding does).
嵌入查表的反向传播就是按下标累加：先对 inputs_embeds 求梯度，再用 index_add_ 把每个位置的梯度加到其 token 所在的行（并像 nn.Embedding 那样把 padding_idx 行清零）。
"""

import torch


def embedding_gradient(model, inputs):
    ids, mask = inputs["input_ids"], inputs["attention_mask"]
    if ids.shape[-1] > model.config.max_position_embeddings:
        raise ValueError(f"input_ids has {ids.shape[-1]} positions, more than "
                         f"max_position_embeddings={model.config.max_position_embeddings}")
    table = model.embeddings.word_embeddings
    with torch.enable_grad():
        embeds = table.weight.detach()[ids].requires_grad_(True)
        rest = {k: v for k, v in inputs.items() if k != "input_ids"}
        hidden = model(inputs_embeds=embeds, **rest).last_hidden_state
        # d(sum)/d(hidden) is all ones: hand it to autograd.grad instead of building the sum
        (d_embeds,) = torch.autograd.grad(hidden, embeds, grad_outputs=torch.ones_like(hidden))
    grad = torch.zeros_like(table.weight, memory_format=torch.contiguous_format)
    grad.index_add_(0, ids.reshape(-1), d_embeds.reshape(-1, d_embeds.shape[-1]))
    if table.padding_idx is not None:
        grad[table.padding_idx] = 0  # nn.Embedding gives the padding row no gradient
    return grad
