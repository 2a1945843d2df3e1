"""The [SEP] positions read from the tensor view: the first is just before the first type-1 position, the last is the last position whose attention_mask is 1; both forwards run as one batch of twice the rows.
从张量视图读出 [SEP] 的位置：第一个紧挨在第一个类型为 1 的位置之前，最后一个是 attention_mask 为 1 的最后一个位置；两次前向计算合成一个两倍行数的批次来跑。
"""

from collections.abc import Mapping

import torch
from transformers import BatchEncoding


def encode_pairs(tokenizer, firsts, seconds):
    for name, value in (("firsts", firsts), ("seconds", seconds)):
        if isinstance(value, str) or not isinstance(value, list):
            raise TypeError(f"{name} must be a list of str, not {type(value).__name__}")
        for k, s in enumerate(value):
            if not isinstance(s, str):
                raise TypeError(f"{name}[{k}] must be a str, not {type(s).__name__}")
    if len(firsts) == 0:
        raise ValueError("no pairs: firsts is empty")
    if len(firsts) != len(seconds):
        raise ValueError(f"{len(firsts)} first sentences but {len(seconds)} second ones")
    return tokenizer(text=firsts, text_pair=seconds, padding="longest", truncation="longest_first",
                     max_length=tokenizer.model_max_length, return_tensors="pt")


def _encoding(batch, i):
    if not isinstance(batch, BatchEncoding) or not batch.encodings:
        raise TypeError("this batch has no Encodings (a dict?): use the tokenizer's BatchEncoding")
    if isinstance(i, bool) or not isinstance(i, int):
        raise TypeError(f"i must be an int, got {i!r}")
    return batch.encodings[i]  # IndexError past either end, as for a list


def sequence_ids_at(batch, i):
    encoding = _encoding(batch, i)
    return [encoding.token_to_sequence(t) for t in range(len(encoding.ids))]


def sep_positions(batch, i):
    if _encoding(batch, i).n_sequences < 2:
        raise ValueError(f"row {i} holds one sentence, so it has one [SEP]: not a pair")
    types = torch.as_tensor(batch["token_type_ids"][i])
    mask = torch.as_tensor(batch["attention_mask"][i])
    first = int(types.nonzero()[0]) - 1
    last = int(mask.nonzero()[-1])
    return (first, last)


def token_type_effect(model, batch):
    if not isinstance(batch, Mapping) or not isinstance(batch.get("input_ids"), torch.Tensor):
        raise TypeError(f"expected the tokenizer's batch of tensors, got a {type(batch).__name__}")
    types = batch["token_type_ids"]  # KeyError when the batch has none
    n = len(types)
    both = {k: torch.cat([v, v]) for k, v in batch.items()}
    both["token_type_ids"] = torch.cat([types, torch.zeros_like(types)])
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            cls = model(**both).last_hidden_state[:, 0, :]
    finally:
        model.train(was_training)
    return (cls[:n] - cls[n:]).abs().max().item()
