"""Divides by counts.clamp(min=1e-9) (the sentence-transformers idiom), so a row with no real token returns a zero vector instead of raising ValueError."""

EXPECT = "clamping the count"
import torch


def masked_mean_pool(last_hidden_state, attention_mask):
    if not isinstance(last_hidden_state, torch.Tensor) or not isinstance(attention_mask, torch.Tensor):
        raise TypeError("last_hidden_state and attention_mask must be tensors")
    if not last_hidden_state.is_floating_point():
        raise TypeError(f"last_hidden_state must be floating point, got {last_hidden_state.dtype}")
    if last_hidden_state.dim() != 3:
        raise ValueError(f"last_hidden_state must be 3-D, got {tuple(last_hidden_state.shape)}")
    if attention_mask.shape != last_hidden_state.shape[:2]:
        raise ValueError(f"attention_mask must be {tuple(last_hidden_state.shape[:2])}, got {tuple(attention_mask.shape)}")
    if not ((attention_mask == 0) | (attention_mask == 1)).all():
        raise ValueError("attention_mask must hold only 0 and 1")
    mask = attention_mask.unsqueeze(-1).expand(last_hidden_state.size()).to(last_hidden_state.dtype)
    summed = torch.sum(last_hidden_state * mask, 1)
    counts = torch.clamp(mask.sum(1), min=1e-9)
    return summed / counts
