"""Encoding and padding are separate steps: encode each sentence alone, then tokenizer.pad the encodings into one batch (as DataCollatorWithPadding does); by hand, fill a torch.full tensor of [PAD] row by row.
编码和填充是两个独立的步骤：先逐句编码，再用 tokenizer.pad 把这些编码补齐成一个批次（DataCollatorWithPadding 就是这样做的）；手工实现时，先用 torch.full 建一个全是 [PAD] 的张量，再逐行填入。
"""

import torch
from transformers import BatchEncoding


def tokenize_batch(tokenizer, sentences):
    if not isinstance(sentences, list):
        raise TypeError(f"sentences: expected a list of str, got {type(sentences).__name__}")
    if not sentences:
        raise ValueError("sentences: expected at least one sentence, got an empty list")
    if not all(isinstance(s, str) for s in sentences):
        raise TypeError("sentences: expected every item to be a str")
    encoded = [tokenizer(s, truncation=True) for s in sentences]
    return tokenizer.pad(encoded, padding=True, return_tensors="pt")


def pad_token_ids(id_lists, pad_token_id):
    if not isinstance(id_lists, list):
        raise TypeError("id_lists: expected a list of lists of int")
    if not id_lists:
        raise ValueError("id_lists: expected at least one row")
    if not all(isinstance(r, list) for r in id_lists):
        raise TypeError("id_lists: expected every row to be a list of int, not a flat list of ids")
    if not all(id_lists):
        raise ValueError("id_lists: every row needs at least [CLS] and [SEP]; one is empty")
    values = [t for r in id_lists for t in r] + [pad_token_id]
    if any(isinstance(t, bool) or not isinstance(t, int) for t in values):
        raise TypeError("id_lists / pad_token_id: expected int ids (not bool, float or str)")
    if any(not 0 <= t < 2**63 for t in values):
        raise ValueError("id_lists / pad_token_id: ids must be in [0, 2**63) to fit int64")
    input_ids = torch.full((len(id_lists), max(map(len, id_lists))), pad_token_id, dtype=torch.long)
    attention_mask = torch.zeros_like(input_ids)
    for i, row in enumerate(id_lists):
        input_ids[i, :len(row)] = torch.tensor(row, dtype=torch.long)
        attention_mask[i, :len(row)] = 1
    return BatchEncoding({"input_ids": input_ids, "token_type_ids": torch.zeros_like(input_ids),
                          "attention_mask": attention_mask})
