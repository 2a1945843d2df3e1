"""The seed notebook's loss as written (loss = outputs.last_hidden_state.sum(); loss.backward()) between two model.zero_grad() calls, which the docstring allows; named_parameters() freezes by name, and a dict keyed by id() counts a tied parameter once.
种子笔记本里的损失原样照搬（loss = outputs.last_hidden_state.sum(); loss.backward()），前后各调用一次 model.zero_grad()，这是文档字符串允许的做法；用 named_parameters() 可以按名字冻结，以 id() 为键的字典让绑定的参数只计一次。
"""

import torch


def embedding_gradient(model, inputs):
    inputs["attention_mask"]  # KeyError without one
    if inputs["input_ids"].shape[1] > model.config.max_position_embeddings:
        raise ValueError("too many positions: input_ids is longer than model.config.max_position_embeddings")
    weight = model.embeddings.word_embeddings.weight
    frozen = not weight.requires_grad
    model.zero_grad(set_to_none=True)
    weight.requires_grad = True
    try:
        with torch.enable_grad():
            outputs = model(**inputs)  # the seed notebook's loss, as written
            loss = outputs.last_hidden_state.sum()
            loss.backward()
        return weight.grad.clone().detach()
    finally:
        model.zero_grad(set_to_none=True)
        weight.requires_grad = not frozen


def freeze_embeddings(model):
    for name, p in model.named_parameters():
        if name.startswith("embeddings."):
            p.requires_grad = False


def count_trainable_parameters(model):
    unique = {id(p): p for _, p in model.named_parameters()}
    return sum(p.numel() for p in unique.values() if p.requires_grad)
