"""A plain backward() fills every parameter's .grad, so save and restore them all; transformers' model.num_parameters(only_trainable=True) counts each parameter once.
普通的 backward() 会填充每个参数的 .grad，所以要把它们全部保存并恢复；transformers 的 model.num_parameters(only_trainable=True) 对每个参数只计一次。
"""

import torch


def embedding_gradient(model, inputs):
    input_ids = inputs["input_ids"]
    if "attention_mask" not in inputs:
        raise KeyError("attention_mask")
    if input_ids.shape[1] > model.embeddings.position_embeddings.num_embeddings:
        raise ValueError(f"{input_ids.shape[1]} positions do not fit the model's position embeddings")
    params = dict(model.named_parameters())
    saved = {n: (p.grad, p.requires_grad) for n, p in params.items()}
    weight = model.embeddings.word_embeddings.weight
    try:
        for p in params.values():
            p.grad = None
        weight.requires_grad_(True)
        with torch.enable_grad():
            model(**inputs).last_hidden_state.sum(dim=(0, 1, 2)).backward()
        return weight.grad.detach().clone()
    finally:
        for n, p in params.items():
            p.grad, flag = saved[n]
            p.requires_grad_(flag)


def rows_with_gradient(grad):
    if grad is None or not torch.is_tensor(grad):
        raise TypeError("rows_with_gradient needs a gradient tensor; .grad is None before any backward()")
    if len(grad.shape) != 2:
        raise ValueError(f"rows_with_gradient needs a 2-D gradient, got shape {tuple(grad.shape)}")
    return [i for i, nonzero in enumerate(grad.ne(0).any(dim=1).tolist()) if nonzero]


def freeze_embeddings(model):
    for p in model.embeddings.parameters():
        p.requires_grad = False


def count_trainable_parameters(model):
    if hasattr(model, "num_parameters"):  # transformers' PreTrainedModel counts each parameter once
        return model.num_parameters(only_trainable=True)
    return sum(p.numel() for p in model.parameters() if p.requires_grad)
