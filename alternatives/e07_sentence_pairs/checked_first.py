"""Every check written out before the work, the pairs' Encodings read by BatchEncoding methods, and the mode saved and put back with a context manager; the model's output read by key.
所有检查都写在前面，句对的 Encoding 用 BatchEncoding 的方法读取，模型模式用上下文管理器保存和恢复；模型输出按键读取。
"""

import contextlib
from collections.abc import Mapping

import torch
from transformers import BatchEncoding


@contextlib.contextmanager
def _evaluating(model):
    was_training = model.training
    model.eval()
    try:
        yield model
    finally:
        model.train(was_training)


def encode_pairs(tokenizer, firsts, seconds):
    if isinstance(firsts, str) or isinstance(seconds, str):
        raise TypeError("pass two lists of str (firsts, seconds), not a single str; for one pair: [first], [second]")
    firsts, seconds = list(firsts), list(seconds)
    bad = [s for s in firsts + seconds if not isinstance(s, str)]
    if bad:
        raise TypeError(f"every sentence must be a str, got a {type(bad[0]).__name__}")
    if not firsts:
        raise ValueError("there are no pairs: firsts is empty")
    if len(firsts) != len(seconds):
        raise ValueError(f"the two lists must be as long: {len(firsts)} != {len(seconds)}")
    return tokenizer(firsts, seconds, padding=True, truncation=True, return_tensors="pt")


def _check(batch, i):
    if not isinstance(batch, BatchEncoding) or batch.encodings is None:
        raise TypeError("sequence ids live in the Encodings: pass the BatchEncoding itself, not a dict")
    if isinstance(i, bool) or not isinstance(i, int):
        raise TypeError(f"the row must be given as an int, not {type(i).__name__}")
    if not -len(batch.encodings) <= i < len(batch.encodings):
        raise IndexError(f"there is no row {i}: the batch has {len(batch.encodings)}")
    return i % len(batch.encodings)


def sequence_ids_at(batch, i):
    return list(batch[_check(batch, i)].sequence_ids)


def sep_positions(batch, i):
    row = _check(batch, i)
    if batch[row].n_sequences != 2:
        raise ValueError(f"row {i} is a single sentence, not a pair: there is one [SEP]")
    seq = batch.sequence_ids(row)
    mask = batch[row].attention_mask
    ends = [t for t in range(1, len(seq)) if seq[t] is None and mask[t]]
    return (ends[0], ends[1])


def token_type_effect(model, batch):
    if not isinstance(batch, Mapping) or not isinstance(batch.get("input_ids"), torch.Tensor):
        raise TypeError("batch: expected a mapping with an input_ids tensor (return_tensors='pt')")
    if "token_type_ids" not in batch:
        raise KeyError("the batch has no token_type_ids to compare")
    with _evaluating(model), torch.no_grad():
        a = model(**batch)["last_hidden_state"][:, 0]
        b = model(**{**batch, "token_type_ids": batch["token_type_ids"] * 0})["last_hidden_state"][:, 0]
    return (a - b).abs().max().item()
