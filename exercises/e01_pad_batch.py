"""Exercise 01: pad a batch.

A model takes one rectangular tensor, but sentences have different lengths.
The tokenizer pads the shorter ones on the right with [PAD] (id 0) and marks
real tokens with 1 in ``attention_mask``. First let the tokenizer do it, then
do it by hand.

练习 01：批量填充。模型只接受矩形张量，而句子长短不一。分词器在较短句子的右侧
补 [PAD]（id 0），并在 attention_mask 中把真实 token 记为 1。先让分词器来做，再手工实现。
"""

from __future__ import annotations

import operator

import torch
from transformers import BatchEncoding


def tokenize_batch(tokenizer, sentences):
    """Tokenize ``sentences`` into one batch padded to the longest sentence.

    Args:
        tokenizer: bert-base-chinese's tokenizer (a ``PreTrainedTokenizerBase``).
        sentences: a non-empty list of ``str``.

    Returns:
        A ``transformers.BatchEncoding`` of PyTorch ``int64`` tensors, each of
        shape ``[len(sentences), longest]``: ``input_ids``, ``token_type_ids``,
        ``attention_mask``. Shorter rows end in [PAD] (0) with mask 0.

        A sentence longer than the model's 512 positions ([CLS] and [SEP]
        included; the tokenizer's ``model_max_length``) is cut to 512, still
        ending in [SEP] (``truncation=True``), so ``longest`` is at most 512 and
        the batch can go straight into ``BertModel``. ``sentences`` and the
        tokenizer's settings are not changed.

    Raises:
        ValueError: ``sentences`` is empty.
        TypeError: ``sentences`` is a single ``str``, or holds something other than ``str``.
    """
    # TODO: check the input, then call the tokenizer so it pads to the longest sentence, cuts at 512 and returns PyTorch tensors
    raise NotImplementedError(
        "e01_pad_batch.tokenize_batch is not written yet: see its docstring, then `bert-kata hint 1`"
    )


def pad_token_ids(id_lists, pad_token_id):
    """Pad lists of token ids by hand, the way the tokenizer does (right padding).

    Args:
        id_lists: a non-empty list of lists of ``int`` token ids (each already
            holding [CLS] ... [SEP]); the lists may differ in length.
        pad_token_id: the id to pad with (bert-base-chinese's [PAD] is 0).

    Returns:
        A ``transformers.BatchEncoding`` of ``int64`` tensors of shape
        ``[len(id_lists), longest]``: ``input_ids`` (padded with ``pad_token_id``),
        ``token_type_ids`` (all 0, one segment) and ``attention_mask`` (1 for real
        tokens, 0 for padding).

        Rows are padded, never cut: a row longer than 512 ids stays whole
        (cutting to the model's length is the tokenizer's job, see
        :func:`tokenize_batch`). ``id_lists`` and its rows are not changed.

    Raises:
        ValueError: ``id_lists`` is empty; a row is empty (each holds at least
            [CLS] and [SEP]); an id or ``pad_token_id`` is negative or too large
            for ``int64`` (``>= 2**63``).
        TypeError: ``id_lists`` is not a list of lists (a flat list of ids, say),
            or an id or ``pad_token_id`` is not an ``int`` (a ``bool`` is not an id).
    """
    # TODO: check the input, find the longest row, pad every row on the right and build the mask
    raise NotImplementedError(
        "e01_pad_batch.pad_token_ids is not written yet: see its docstring, then `bert-kata hint 1`"
    )
