"""Builds token_type_ids by hand: 1 from the first [SEP] on to the end of the row, [PAD] included."""

EXPECT = "[PAD] positions got token type 1"

import torch


def encode_pairs(tokenizer, firsts, seconds):
    if isinstance(firsts, str) or isinstance(seconds, str):
        raise TypeError("firsts and seconds must be lists of str, not a single str")
    if not firsts or len(firsts) != len(seconds):
        raise ValueError("firsts is empty or the two lists differ in length: they must be as long")
    batch = tokenizer(list(firsts), list(seconds), padding=True, truncation=True, return_tensors="pt")
    first_sep = (batch["input_ids"] == tokenizer.sep_token_id).int().argmax(dim=1, keepdim=True)
    positions = torch.arange(batch["input_ids"].shape[1]).unsqueeze(0)
    batch["token_type_ids"] = (positions > first_sep).long()
    return batch
