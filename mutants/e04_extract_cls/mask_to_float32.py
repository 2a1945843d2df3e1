"""Casts the mask with .float(), so float16/bfloat16 hidden states come back as float32 instead of keeping last_hidden_state's dtype."""

EXPECT = "promotes half-precision"
import torch


def masked_mean_pool(last_hidden_state, attention_mask):
    if not isinstance(last_hidden_state, torch.Tensor) or not isinstance(attention_mask, torch.Tensor):
        raise TypeError("last_hidden_state and attention_mask must be tensors")
    if not last_hidden_state.is_floating_point():
        raise TypeError(f"last_hidden_state must be floating point, got {last_hidden_state.dtype}")
    if last_hidden_state.dim() != 3:
        raise ValueError(f"last_hidden_state must be 3-D, got {tuple(last_hidden_state.shape)}")
    if tuple(attention_mask.shape) != tuple(last_hidden_state.shape[:2]):
        raise ValueError(f"attention_mask must be {tuple(last_hidden_state.shape[:2])}, got {tuple(attention_mask.shape)}")
    if not ((attention_mask == 0) | (attention_mask == 1)).all():
        raise ValueError("attention_mask must hold only 0 and 1")
    mask = attention_mask.unsqueeze(-1).float()
    counts = mask.sum(dim=1)
    if (counts == 0).any():
        raise ValueError("a row of attention_mask has no real token: its mean would be NaN")
    return (last_hidden_state * mask).sum(dim=1) / counts
