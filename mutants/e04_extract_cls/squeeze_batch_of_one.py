"""Takes last_hidden_state[:, :1, :].squeeze(), which also squeezes the batch axis: a batch of one sentence returns [hidden] instead of [1, hidden]."""

EXPECT = "removes every axis of size 1"
import torch


def cls_embeddings(last_hidden_state):
    if not isinstance(last_hidden_state, torch.Tensor):
        raise TypeError(f"expected a tensor, got {type(last_hidden_state).__name__}")
    if not last_hidden_state.is_floating_point():
        raise TypeError(f"expected hidden states (float), got {last_hidden_state.dtype}")
    if last_hidden_state.dim() != 3:
        raise ValueError(f"expected [batch, seq_len, hidden], got {tuple(last_hidden_state.shape)}")
    if last_hidden_state.shape[1] == 0:
        raise ValueError("seq_len is 0: there is no [CLS] position")
    return last_hidden_state[:, :1, :].squeeze()
