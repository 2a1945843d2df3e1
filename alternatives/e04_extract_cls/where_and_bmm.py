"""Summing over positions is a batched matrix product ([batch, 1, seq_len] @ [batch, seq_len, hidden]) once torch.where has zeroed [PAD]; clone() gives the [CLS] vectors memory of their own and still passes the gradient.
用 torch.where 把 [PAD] 置零之后，对位置求和就是一次批量矩阵乘法（[batch, 1, seq_len] @ [batch, seq_len, hidden]）；clone() 让 [CLS] 向量拥有自己的内存，同时仍然传递梯度。
"""

import torch


def _states(last_hidden_state):
    if not isinstance(last_hidden_state, torch.Tensor) or not last_hidden_state.is_floating_point():
        raise TypeError("last_hidden_state must be a float tensor (the model's hidden states, not ids)")
    if last_hidden_state.dim() != 3:
        raise ValueError("last_hidden_state must be 3-D: [batch, seq_len, hidden]")


def cls_embeddings(last_hidden_state):
    _states(last_hidden_state)
    if last_hidden_state.shape[1] == 0:
        raise ValueError("seq_len is 0: no position 0 to take")
    return last_hidden_state[:, 0].clone()


def sentence_vector(model_output):
    hs = getattr(model_output, "last_hidden_state", None)
    if not isinstance(hs, torch.Tensor):
        raise TypeError("model_output must be BertModel's output (with last_hidden_state)")
    return cls_embeddings(hs)


def masked_mean_pool(last_hidden_state, attention_mask):
    _states(last_hidden_state)
    if not isinstance(attention_mask, torch.Tensor):
        raise TypeError("attention_mask must be a tensor")
    want = tuple(last_hidden_state.shape[:2])
    if tuple(attention_mask.shape) != want:
        raise ValueError(f"attention_mask must be [batch, seq_len] = {list(want)}")
    if not torch.isin(attention_mask.to(torch.float64), torch.tensor([0.0, 1.0], dtype=torch.float64)).all():
        raise ValueError("attention_mask holds a value that is neither 0 nor 1")
    keep = attention_mask.bool()
    counts = keep.sum(dim=1, keepdim=True)
    if (counts == 0).any():
        raise ValueError("every row of attention_mask needs at least one 1")
    zeroed = torch.where(keep.unsqueeze(-1), last_hidden_state, torch.zeros((), dtype=last_hidden_state.dtype))
    weights = torch.ones_like(keep, dtype=last_hidden_state.dtype).unsqueeze(1)  # [batch, 1, seq_len]
    summed = torch.bmm(weights, zeroed).squeeze(1)
    return summed / counts.to(last_hidden_state.dtype)
