"""Zeroes the [PAD] vectors with last_hidden_state *= mask, changing the caller's hidden states in place."""

EXPECT = "zeroed the caller's [PAD] vectors in place"


def masked_mean_pool(last_hidden_state, attention_mask):
    mask = attention_mask.unsqueeze(-1).to(last_hidden_state.dtype)
    last_hidden_state *= mask
    return last_hidden_state.sum(1) / mask.sum(1)
