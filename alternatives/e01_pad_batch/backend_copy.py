"""Pads and truncates with a copy of the backend tokenizers.Tokenizer (enable_padding/enable_truncation)."""

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
