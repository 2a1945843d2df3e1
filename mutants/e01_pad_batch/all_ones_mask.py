"""Builds an attention_mask of all ones, so attention also reads [PAD]."""

import torch

from bertkata.reference import solution

EXPECT = "all ones"


def pad_token_ids(id_lists, pad_token_id):
    batch = solution("e01_pad_batch").pad_token_ids(id_lists, pad_token_id)
    batch["attention_mask"] = torch.ones_like(batch["attention_mask"])
    return batch
