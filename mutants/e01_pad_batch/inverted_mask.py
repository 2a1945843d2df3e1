"""Builds the attention_mask inverted: 1 for [PAD], 0 for real tokens."""

from bertkata.reference import solution

EXPECT = "inverted"


def pad_token_ids(id_lists, pad_token_id):
    batch = solution("e01_pad_batch").pad_token_ids(id_lists, pad_token_id)
    batch["attention_mask"] = 1 - batch["attention_mask"]
    return batch
