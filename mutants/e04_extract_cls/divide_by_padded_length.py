"""Masks the sum but divides by the padded length seq_len instead of the number of real tokens."""

EXPECT = "padded length"


def masked_mean_pool(last_hidden_state, attention_mask):
    mask = attention_mask.unsqueeze(-1).to(last_hidden_state.dtype)
    return (last_hidden_state * mask).sum(1) / last_hidden_state.shape[1]
