"""masked_fill zeroes the [PAD] vectors without a multiplication, count_nonzero counts the real tokens, and unbind(1)[0] is one more way to reach position 0.
masked_fill 不用乘法就能把 [PAD] 的向量置零，count_nonzero 统计真实 token 的个数，unbind(1)[0] 是取第 0 个位置的又一种写法。
"""

import torch


def cls_embeddings(last_hidden_state):
    if not isinstance(last_hidden_state, torch.Tensor):
        raise TypeError("cls_embeddings takes a tensor")
    if not last_hidden_state.dtype.is_floating_point:
        raise TypeError("cls_embeddings takes float hidden states, not token ids")
    if len(last_hidden_state.shape) != 3:
        raise ValueError("cls_embeddings takes [batch, seq_len, hidden]")
    if not last_hidden_state.shape[1]:
        raise ValueError("cls_embeddings needs at least one position")
    return last_hidden_state.unbind(dim=1)[0]


def sentence_vector(model_output):
    if not hasattr(model_output, "last_hidden_state"):
        raise TypeError("sentence_vector takes the model output (it has last_hidden_state)")
    return cls_embeddings(model_output.last_hidden_state)


def masked_mean_pool(last_hidden_state, attention_mask):
    cls_embeddings(last_hidden_state)  # the same checks of the hidden states
    if not isinstance(attention_mask, torch.Tensor):
        raise TypeError("masked_mean_pool takes the attention_mask as a tensor")
    b, s, _ = last_hidden_state.shape
    if attention_mask.dim() != 2 or attention_mask.shape[0] != b or attention_mask.shape[1] != s:
        raise ValueError(f"masked_mean_pool needs a mask of {b} x {s}")
    if ((attention_mask != 0) & (attention_mask != 1)).any():
        raise ValueError("masked_mean_pool takes a 0/1 mask")
    counts = torch.count_nonzero(attention_mask, dim=1)
    if (counts == 0).any():
        raise ValueError("masked_mean_pool: a row has no real token")
    pad = (attention_mask == 0).unsqueeze(-1)
    summed = last_hidden_state.masked_fill(pad, 0).sum(dim=1)
    return summed / counts.unsqueeze(-1).to(last_hidden_state.dtype)
