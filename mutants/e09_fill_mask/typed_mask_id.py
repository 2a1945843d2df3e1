"""Types bert-base-chinese's [MASK] id, 103, instead of reading tokenizer.mask_token_id."""

EXPECT = "the [MASK] id was typed in"


def mask_positions(tokenizer, input_ids):
    return (input_ids == 103).nonzero()
