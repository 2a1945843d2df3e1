"""The masked sum is one contraction, torch.einsum("bsh,bs->bh"), in which the mask weights each position; select(1, 0) is [:, 0] written as a method.
带掩码的求和就是一次张量缩并 torch.einsum("bsh,bs->bh")，其中掩码给每个位置加权；select(1, 0) 就是写成方法的 [:, 0]。
"""

import torch


def _hidden(x, what="last_hidden_state"):
    if not torch.is_tensor(x):
        raise TypeError(f"{what}: expected a torch.Tensor of shape [batch, seq_len, hidden]")
    if not torch.is_floating_point(x):
        raise TypeError(f"{what} holds {x.dtype}, but hidden states are floats (were input_ids passed?)")
    if x.ndim != 3:
        raise ValueError(f"{what} should be [batch, seq_len, hidden], its shape is {tuple(x.shape)}")
    return x


def cls_embeddings(last_hidden_state):
    hs = _hidden(last_hidden_state)
    if hs.size(1) < 1:
        raise ValueError("there are no positions at all (seq_len == 0), so no [CLS]")
    return hs.select(1, 0)


def sentence_vector(model_output):
    if not hasattr(model_output, "last_hidden_state"):
        raise TypeError("sentence_vector expects the model's output object; pass tensors to cls_embeddings")
    return cls_embeddings(model_output[0])


def masked_mean_pool(last_hidden_state, attention_mask):
    hs = _hidden(last_hidden_state)
    if not torch.is_tensor(attention_mask):
        raise TypeError("attention_mask: expected a torch.Tensor [batch, seq_len]")
    if tuple(attention_mask.shape) != tuple(hs.shape[:2]):
        raise ValueError(f"attention_mask is {tuple(attention_mask.shape)}; it must be {tuple(hs.shape[:2])}")
    w = attention_mask.to(hs.dtype)
    if bool(((w != 0) & (w != 1)).any()):
        raise ValueError("attention_mask may contain only zeros and ones")
    n = w.sum(1, keepdim=True)
    if bool((n == 0).any()):
        raise ValueError("some sentence has no token left after masking: its mean is undefined")
    return torch.einsum("bsh,bs->bh", hs, w) / n
