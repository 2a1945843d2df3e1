"""Fills [PAD] with NaN and takes nanmean, which also skips NaN at real tokens instead of keeping it."""

EXPECT = "you skipped the NaN"


def masked_mean_pool(last_hidden_state, attention_mask):
    if not attention_mask.bool().any(dim=1).all():
        raise ValueError("a row of attention_mask has no real token")
    pad = ~attention_mask.bool().unsqueeze(-1)
    return last_hidden_state.masked_fill(pad, float("nan")).nanmean(dim=1)
