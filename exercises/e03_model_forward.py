"""Exercise 03: model forward.

Run ``BertModel`` on a tokenized batch. Pass every key of the batch as a
keyword argument (``model(**batch)``) so the ``attention_mask`` keeps [PAD]
out of attention and ``token_type_ids`` tell the two sentences of a pair
apart; switch dropout off with ``model.eval()`` (``torch.no_grad()`` does
not); and skip the autograd graph with ``torch.no_grad()``, since nothing
will call ``backward()`` on these features. ``BertModel.from_pretrained``
already returns the model in eval mode, which is why a plain
``model(**batch)`` right after loading gives the same numbers twice; but a
caller may have switched it to train mode (to fine-tune), so ``encode``
switches dropout off itself. Check the batch first: the model's own errors
for a bad batch (``index out of range in self``) do not say what was wrong,
and some ``attention_mask`` shapes that do not match ``input_ids`` (a longer
mask, one column) pass without any error.

练习 03：模型前向计算。用 ``model(**batch)`` 把批次的每个键作为关键字参数传入，
这样 attention_mask 才能让注意力忽略 [PAD]，token_type_ids 才能区分句对中的两个句子；
用 ``model.eval()`` 关闭 dropout（``torch.no_grad()`` 不会关闭它）；并用
``torch.no_grad()`` 跳过自动求导的计算图，因为这些特征不会再做 ``backward()``。
``BertModel.from_pretrained`` 返回的模型本来就处于 eval 模式，所以刚加载后直接调用两次
``model(**batch)`` 结果相同；但调用者可能已把它切换到训练模式（为了微调），
所以 ``encode`` 要自己关闭 dropout。
先检查批次：模型自己对错误批次报的错（``index out of range in self``）说不清哪里错了，
而有些与 input_ids 形状不符的 attention_mask（更长的，或只有一列的）甚至不会报错。
"""

from __future__ import annotations

from collections.abc import Mapping

import torch


def encode(model, batch):
    """The model's output for ``batch``, in eval mode, without an autograd graph.

    Args:
        model: a ``transformers.BertModel`` (bert-base-chinese: hidden size 768,
            ``config.max_position_embeddings`` 512, ``config.vocab_size`` 21128).
        batch: the ``BatchEncoding`` the tokenizer returns with
            ``return_tensors="pt"`` (any mapping of integer tensors of shape
            ``[batch, seq_len]`` works): ``input_ids`` and ``attention_mask``,
            and ``token_type_ids`` if the tokenizer made them. For a sentence
            pair (``tokenizer(first, second)``) ``token_type_ids`` is 1 on the
            second sentence, and the output depends on it.

    Returns:
        The ``BaseModelOutputWithPoolingAndCrossAttentions`` of
        ``model(**batch)``: ``last_hidden_state`` of shape
        ``[batch, seq_len, hidden_size]`` and ``pooler_output`` of shape
        ``[batch, hidden_size]``, ``float32``, none of them requiring grad
        (no autograd graph is built: the forward runs with grad disabled).
        ``seq_len`` is the batch's own, up to 512 positions: ``encode`` never
        cuts a batch.

        Dropout is off during the forward (the model and every submodule in
        eval mode), so two calls give identical tensors. Nothing the caller
        set is changed: a model that arrives in train mode comes back in train
        mode and one in eval mode in eval mode, every submodule with it
        (``model.train(was_training)`` does that; for a model whose submodules
        the caller set to different modes, what comes back is not specified),
        ``torch.is_grad_enabled()`` is as it was, every
        parameter keeps its ``requires_grad`` flag and its ``.grad``, and the
        batch keeps its keys and tensors.

    Raises (each checked before the model runs):
        TypeError: ``batch`` is not a mapping holding ``input_ids`` as a tensor
            (a list of sentences, a bare tensor of ids, a batch made without
            ``return_tensors="pt"``); the message says to pass the
            ``BatchEncoding`` the tokenizer returns. Also when ``input_ids``
            holds floats: token ids are integers.
        ValueError: ``input_ids`` is not 2-D ``[batch, seq_len]`` (one
            sentence's ids ``[seq_len]`` need a batch axis); an ``attention_mask``
            whose shape is not that of ``input_ids``; an id outside the
            vocabulary (negative, or ``>= config.vocab_size``); or more than
            ``config.max_position_embeddings`` (512) positions, where the
            message says to truncate (``tokenizer(..., truncation=True)``).
    """
    # TODO: check the batch, switch dropout off, run model(**batch) under torch.no_grad(), put the training flag back
    raise NotImplementedError(
        "e03_model_forward.encode is not written yet: see its docstring, then `bert-kata hint 3`"
    )
