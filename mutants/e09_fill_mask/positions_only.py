"""Keeps only the position column of nonzero(), losing which sentence each [MASK] belongs to."""

EXPECT = "lost the rows"


def mask_positions(tokenizer, input_ids):
    return (input_ids == tokenizer.mask_token_id).nonzero()[:, 1]
