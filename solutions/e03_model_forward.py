"""Exercise 03: model forward.

Run ``BertModel`` on a tokenized batch. Pass every key of the batch as a
keyword argument (``model(**batch)``) so the ``attention_mask`` keeps [PAD]
out of attention; switch dropout off with ``model.eval()`` (``torch.no_grad()``
does not); and skip the autograd graph with ``torch.no_grad()``, since nothing
will call ``backward()`` on these features.

练习 03：模型前向计算。用 ``model(**batch)`` 把批次的每个键作为关键字参数传入，
这样 attention_mask 才能让注意力忽略 [PAD]；用 ``model.eval()`` 关闭 dropout
（``torch.no_grad()`` 不会关闭它）；并用 ``torch.no_grad()`` 跳过自动求导的计算图，
因为这些特征不会再做 ``backward()``。
"""

from __future__ import annotations

from collections.abc import Mapping

import torch


def encode(model, batch):
    """The model's output for ``batch``, in eval mode, without an autograd graph.

    Args:
        model: a ``transformers.BertModel`` (bert-base-chinese: hidden size 768).
        batch: the ``BatchEncoding`` the tokenizer returns with
            ``return_tensors="pt"`` (any mapping of ``int64`` tensors of shape
            ``[batch, seq_len]`` works): ``input_ids`` and ``attention_mask``,
            and ``token_type_ids`` if the tokenizer made them.

    Returns:
        The ``BaseModelOutputWithPoolingAndCrossAttentions`` of
        ``model(**batch)``: ``last_hidden_state`` of shape
        ``[batch, seq_len, hidden_size]`` and ``pooler_output`` of shape
        ``[batch, hidden_size]``, ``float32``, none of them requiring grad.
        Dropout is off during the call (``model.eval()``), so two calls give
        identical tensors. The model's training flag is put back afterwards:
        calling ``encode`` inside a training loop does not silently switch
        dropout off for the training steps.

    Raises:
        TypeError: ``batch`` is not a mapping holding ``input_ids`` (a list of
            sentences, a bare tensor of ids, ...).
    """
    # BEGIN SOLUTION: check the batch, switch dropout off, run model(**batch) under torch.no_grad(), put the training flag back
    if not isinstance(batch, Mapping) or "input_ids" not in batch:
        raise TypeError(
            f"batch is a {type(batch).__name__}: pass the BatchEncoding the tokenizer returns "
            "(tokenizer(sentences, padding=True, return_tensors=\"pt\")), a mapping with input_ids "
            "and attention_mask"
        )
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            return model(**batch)
    finally:
        model.train(was_training)
    # END SOLUTION
