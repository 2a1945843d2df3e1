"""A transformers tokenizer wraps a tokenizers.Tokenizer (backend_tokenizer) that pads and truncates by itself with enable_padding and enable_truncation; those settings stick, so work on a copy.
transformers 的分词器包着一个 tokenizers.Tokenizer（backend_tokenizer），它自己就能用 enable_padding 和 enable_truncation 填充和截断；这些设置会一直保留，所以要在副本上操作。
"""

import copy

import torch
from transformers import BatchEncoding


def tokenize_batch(tokenizer, sentences):
    if isinstance(sentences, str):
        raise TypeError("pass a list of sentences, not one str")
    sentences = list(sentences)
    if not sentences:
        raise ValueError("there are no sentences to tokenize")
    for i, s in enumerate(sentences):
        if not isinstance(s, str):
            raise TypeError(f"sentence {i} is {s!r}, not a str")
    backend = copy.deepcopy(tokenizer.backend_tokenizer)  # the caller's tokenizer keeps its own settings
    backend.enable_truncation(max_length=tokenizer.model_max_length)
    backend.enable_padding(pad_id=tokenizer.pad_token_id, pad_token=tokenizer.pad_token)
    encodings = backend.encode_batch(sentences)
    data = {"input_ids": [e.ids for e in encodings], "token_type_ids": [e.type_ids for e in encodings],
            "attention_mask": [e.attention_mask for e in encodings]}
    return BatchEncoding({k: torch.tensor(v, dtype=torch.long) for k, v in data.items()}, encoding=encodings)
