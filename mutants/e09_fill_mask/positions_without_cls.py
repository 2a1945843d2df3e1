"""Counts positions after [CLS] (as in tokenizer.tokenize()), so every [MASK] position is one too small."""

EXPECT = "every position is one too small"


def mask_positions(tokenizer, input_ids):
    return (input_ids[:, 1:] == tokenizer.mask_token_id).nonzero()
