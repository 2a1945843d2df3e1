"""The pairs as one list of tuples, list(zip(firsts, seconds)), are read as pairs too; BatchEncoding.sequence_ids(i) and Encoding.token_to_sequence read the Encoding; a batch without token_type_ids makes BertModel use zeros.
句对也可以写成元组列表 list(zip(firsts, seconds))；BatchEncoding.sequence_ids(i) 和 Encoding.token_to_sequence 读取的都是 Encoding；不带 token_type_ids 的批次会让 BertModel 使用全 0。
"""

from collections.abc import Mapping

import torch
from transformers import BatchEncoding


def _sentences(value, name):
    if not isinstance(value, (list, tuple)) or any(not isinstance(s, str) for s in value):
        raise TypeError(f"{name} must be a list of str (one sentence per pair), got {value!r:.80}")
    return list(value)


def encode_pairs(tokenizer, firsts, seconds):
    firsts, seconds = _sentences(firsts, "firsts"), _sentences(seconds, "seconds")
    if not firsts or len(firsts) != len(seconds):
        raise ValueError(f"firsts and seconds must be non-empty and as long, got {len(firsts)} and {len(seconds)}")
    return tokenizer(list(zip(firsts, seconds)), padding=True, truncation=True, return_tensors="pt")


def _row(batch, i):
    if not isinstance(batch, BatchEncoding) or batch.encodings is None:
        raise TypeError("no tokenizers.Encoding in this batch: pass the tokenizer's BatchEncoding, not a dict")
    if type(i) is not int:
        raise TypeError(f"the row index must be an int, got {type(i).__name__}")
    n = len(batch.encodings)
    if not -n <= i < n:
        raise IndexError(f"row {i} is out of range for a batch of {n} rows")
    return i % n


def sequence_ids_at(batch, i):
    row = _row(batch, i)
    return batch.sequence_ids(row)


def sep_positions(batch, i):
    row = _row(batch, i)
    encoding = batch.encodings[row]
    if encoding.n_sequences != 2:
        raise ValueError(f"row {i} is a single sentence, not a pair of sentences")
    seq = [encoding.token_to_sequence(t) for t in range(len(encoding))]
    real = [t for t, m in enumerate(encoding.attention_mask) if m]
    # [CLS] is real[0]; the first [SEP] is the first real special position after it
    first = next(t for t in real[1:] if seq[t] is None)
    return (first, real[-1])


def token_type_effect(model, batch):
    if not isinstance(batch, Mapping) or not torch.is_tensor(batch.get("input_ids")):
        raise TypeError("batch must be a mapping holding an input_ids tensor, as the tokenizer returns it")
    if "token_type_ids" not in batch:
        raise KeyError("token_type_ids: the batch has none to compare with")
    without = {k: v for k, v in batch.items() if k != "token_type_ids"}
    mode = model.training
    try:
        model.eval()
        with torch.no_grad():
            a = model(**batch).last_hidden_state[:, 0]
            b = model(**without).last_hidden_state[:, 0]
        return float((a - b).abs().max())
    finally:
        model.train(mode)
