"""Divides by the number of real tokens without checking for 0, so an all-zero mask row gives NaN."""

EXPECT = "its mean is 0/0 = NaN"


def masked_mean_pool(last_hidden_state, attention_mask):
    mask = attention_mask.unsqueeze(-1).to(last_hidden_state.dtype)
    return (last_hidden_state * mask).sum(1) / mask.sum(1)
