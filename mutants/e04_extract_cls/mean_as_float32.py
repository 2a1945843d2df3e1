"""Converts everything to float32 (mask.float(), hidden.float()), so float64 hidden states come back float32."""

EXPECT = "keep the dtype of last_hidden_state"


def masked_mean_pool(last_hidden_state, attention_mask):
    mask = attention_mask.float().unsqueeze(-1)
    return (last_hidden_state.float() * mask).sum(1) / mask.sum(1)
