"""Mean pooling over every position, [PAD] included: last_hidden_state.mean(1)."""

EXPECT = "[PAD] included"


def masked_mean_pool(last_hidden_state, attention_mask):
    return last_hidden_state.mean(1)
