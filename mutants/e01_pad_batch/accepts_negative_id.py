"""Checks that ids are int but not that they are >= 0, so -5 goes into the batch."""

import torch
from transformers import BatchEncoding

EXPECT = "a token id is from 0 to 2**63 - 1"


def pad_token_ids(id_lists, pad_token_id):
    if not isinstance(id_lists, list) or not id_lists:
        raise ValueError("id_lists must be a non-empty list of lists of int")
    for i, row in enumerate(id_lists):
        if not isinstance(row, list):
            raise TypeError(f"id_lists[{i}] is a {type(row).__name__}, expected a list of int")
        if not row:
            raise ValueError(f"id_lists[{i}] is empty: each row holds at least [CLS] and [SEP]")
        for t in row:
            if isinstance(t, bool) or not isinstance(t, int):
                raise TypeError(f"id_lists[{i}] holds {t!r}, expected an int token id")
    longest = max(len(r) for r in id_lists)
    ids = [r + [pad_token_id] * (longest - len(r)) for r in id_lists]
    mask = [[1] * len(r) + [0] * (longest - len(r)) for r in id_lists]
    return BatchEncoding({"input_ids": torch.tensor(ids, dtype=torch.long),
                          "token_type_ids": torch.zeros(len(ids), longest, dtype=torch.long),
                          "attention_mask": torch.tensor(mask, dtype=torch.long)})
