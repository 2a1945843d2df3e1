"""Checks the batch but not its rows, so [[]] becomes a row of no tokens."""

import torch
from transformers import BatchEncoding

EXPECT = "each row holds at least [CLS] and [SEP]"


def pad_token_ids(id_lists, pad_token_id):
    if not id_lists:
        raise ValueError("id_lists is empty: pass at least one list of token ids")
    longest = max(len(r) for r in id_lists)
    ids = torch.full((len(id_lists), longest), pad_token_id, dtype=torch.long)
    mask = torch.zeros(len(id_lists), longest, dtype=torch.long)
    for i, row in enumerate(id_lists):
        ids[i, :len(row)] = torch.tensor(row, dtype=torch.long)
        mask[i, :len(row)] = 1
    return BatchEncoding({"input_ids": ids, "token_type_ids": torch.zeros_like(ids), "attention_mask": mask})
