"""Pads by hand with [UNK] (100) instead of the given pad_token_id."""

from bertkata.reference import solution

EXPECT = "padded with [UNK]"


def pad_token_ids(id_lists, pad_token_id):
    return solution("e01_pad_batch").pad_token_ids(id_lists, 100)
