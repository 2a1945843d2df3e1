"""The plainest statement of the mean, each row's hs[i][mask[i].bool()].mean(0) in a Python loop: clear, but slower than one batched expression; narrow(1, 0, 1).squeeze(1) takes position 0.
平均池化最直白的写法：在 Python 循环中对每一行求 hs[i][mask[i].bool()].mean(0)，清楚，但比一次批量运算慢；narrow(1, 0, 1).squeeze(1) 取出第 0 个位置。
"""

import torch


def _check(hs):
    if not isinstance(hs, torch.Tensor):
        raise TypeError("hidden states must be a tensor [batch, seq_len, hidden]")
    if hs.dtype not in (torch.float16, torch.bfloat16, torch.float32, torch.float64):
        raise TypeError(f"hidden states must be floating point, not {hs.dtype}")
    if hs.dim() != 3:
        raise ValueError(f"need 3 dimensions [batch, seq_len, hidden], got {hs.dim()}")


def cls_embeddings(last_hidden_state):
    _check(last_hidden_state)
    if last_hidden_state.shape[1] == 0:
        raise ValueError("empty sequence: seq_len is 0")
    return last_hidden_state.narrow(1, 0, 1).squeeze(1)


def sentence_vector(model_output):
    try:
        hs = model_output["last_hidden_state"]
    except (TypeError, KeyError, IndexError):
        raise TypeError("pass BertModel's output, which has a last_hidden_state") from None
    return cls_embeddings(hs)


def masked_mean_pool(last_hidden_state, attention_mask):
    _check(last_hidden_state)
    if not isinstance(attention_mask, torch.Tensor):
        raise TypeError("the mask must be a tensor [batch, seq_len]")
    batch, seq_len = last_hidden_state.shape[:2]
    if attention_mask.shape != (batch, seq_len):
        raise ValueError(f"expected a mask of shape ({batch}, {seq_len}), got {tuple(attention_mask.shape)}")
    rows = []
    for i in range(batch):
        row = attention_mask[i]
        if not bool(((row == 0) | (row == 1)).all()):
            raise ValueError(f"mask row {i} has values other than 0 and 1")
        keep = row.bool()
        if not bool(keep.any()):
            raise ValueError(f"mask row {i} is all zeros: nothing to average")
        rows.append(last_hidden_state[i][keep].mean(dim=0))
    return torch.stack(rows)
