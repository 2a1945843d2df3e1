"""PyTorch pads sequences of different lengths itself, torch.nn.utils.rnn.pad_sequence(batch_first=True); the attention_mask is each row's ones padded with 0 the same way.
PyTorch 自己就能填充长短不一的序列：torch.nn.utils.rnn.pad_sequence(batch_first=True)；attention_mask 就是把每行的全 1 序列用同样的方式补 0。
"""

import torch
from torch.nn.utils.rnn import pad_sequence
from transformers import BatchEncoding


def pad_token_ids(id_lists, pad_token_id):
    if not isinstance(id_lists, (list, tuple)):
        raise TypeError(f"expected a list of lists of token ids, got a {type(id_lists).__name__}")
    if len(id_lists) == 0:
        raise ValueError("expected at least one row of token ids, got none")
    ids = []
    for row in id_lists:
        if not isinstance(row, (list, tuple)):
            raise TypeError(f"expected each row to be a list of token ids, got a {type(row).__name__}")
        if len(row) == 0:
            raise ValueError("expected every row to hold at least [CLS] and [SEP], got an empty row")
        for t in (*row, pad_token_id):
            if type(t) is bool or not isinstance(t, int):
                raise TypeError(f"expected int token ids, got {t!r}")
            if t < 0 or t > torch.iinfo(torch.long).max:
                raise ValueError(f"expected token ids that fit int64 and are not negative, got {t}")
        ids.append(torch.tensor(row, dtype=torch.long))
    input_ids = pad_sequence(ids, batch_first=True, padding_value=pad_token_id)
    attention_mask = pad_sequence([torch.ones(len(r), dtype=torch.long) for r in ids], batch_first=True)
    return BatchEncoding({"input_ids": input_ids, "token_type_ids": torch.zeros_like(input_ids),
                          "attention_mask": attention_mask})
