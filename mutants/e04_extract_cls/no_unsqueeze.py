"""Multiplies [batch, seq_len, hidden] by the [batch, seq_len] mask without unsqueeze(-1) (RuntimeError)."""

EXPECT = "give the mask a last axis"


def masked_mean_pool(last_hidden_state, attention_mask):
    mask = attention_mask.to(last_hidden_state.dtype)
    return (last_hidden_state * mask).sum(1) / mask.sum(1, keepdim=True)
