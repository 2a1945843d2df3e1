"""Exercise 04: extract [CLS].

``BertModel`` returns one vector per token: ``last_hidden_state`` has shape
``[batch, seq_len, hidden]``. A sentence needs one vector. Take the vector at
position 0, where the tokenizer puts [CLS] (with its default right padding;
with ``padding_side="left"`` position 0 of a shorter row is [PAD]), or
average the vectors of the real tokens, leaving [PAD] out with the
``attention_mask``. ``pooler_output`` is neither: it is
``tanh(pooler.dense([CLS]))``. All three functions keep the autograd graph and
leave their inputs as they were: the caller may be fine-tuning.

练习 04：取出 [CLS] 向量。BertModel 为每个 token 输出一个向量：last_hidden_state 的形状是
[batch, seq_len, hidden]，而一个句子只需要一个向量。可以取第 0 个位置（分词器默认在右侧填充，
[CLS] 就在这里；若 ``padding_side="left"``，较短句子的第 0 个位置是 [PAD]）的向量，
也可以借助 attention_mask 只对真实 token（不含 [PAD]）求平均。pooler_output 两者都不是：
它等于 tanh(pooler.dense([CLS]))。这些函数保留计算图，也不修改输入：调用者可能正在微调模型。
"""

from __future__ import annotations

import torch


def cls_embeddings(last_hidden_state):
    """The [CLS] vector of every sentence: position 0 of ``last_hidden_state``.

    With right padding (the tokenizer's default, ``padding_side="right"``)
    the tokenizer puts [CLS] (id 101 in bert-base-chinese) first in every row,
    so position 0 is [CLS]. This function never sees the ids: it returns
    position 0 whatever it holds, and with ``padding_side="left"`` position 0
    of a shorter row is [PAD].

    Args:
        last_hidden_state: float tensor ``[batch, seq_len, hidden]``
            (``BertModel(...).last_hidden_state``; hidden is 768 for bert-base-chinese).

    Returns:
        A ``torch.Tensor`` ``[batch, hidden]`` of the same dtype: the vector at
        position 0 of each row. It stays in the autograd graph: when
        ``last_hidden_state`` requires grad (fine-tuning on the [CLS] vector),
        so does the result, and gradients flow back to position 0.
        ``last_hidden_state`` itself is never changed.

    Raises:
        TypeError: not a tensor, or not floating point (token ids are not hidden states).
        ValueError: not 3-D (e.g. one sentence ``[seq_len, hidden]`` or ``pooler_output``
            ``[batch, hidden]``), or seq_len is 0.
    """
    # TODO: check the input, then index position 0 of the sequence dimension for every sentence
    raise NotImplementedError(
        "e04_extract_cls.cls_embeddings is not written yet: see its docstring, then `bert-kata hint 4`"
    )


def sentence_vector(model_output):
    """The [CLS] vector of every sentence, from what ``BertModel`` returned.

    The output holds two candidates. ``last_hidden_state[:, 0, :]`` is the [CLS]
    vector. ``pooler_output`` is ``tanh(model.pooler.dense([CLS]))``, a layer
    trained for next-sentence prediction, not the [CLS] vector
    (https://github.com/huggingface/transformers/issues/7540).

    Args:
        model_output: the ``BaseModelOutputWithPoolingAndCrossAttentions`` that
            ``model(**batch)`` returns.

    Returns:
        A ``torch.Tensor`` ``[batch, hidden]`` with the dtype of
        ``last_hidden_state`` (float32 from ``BertModel``): the [CLS] vectors,
        in the autograd graph like :func:`cls_embeddings`' result. The model
        output is never changed.

    Raises:
        TypeError: ``model_output`` has no ``last_hidden_state`` (e.g. a tensor was passed).
    """
    # TODO: take last_hidden_state from the output (not pooler_output) and reuse cls_embeddings
    raise NotImplementedError(
        "e04_extract_cls.sentence_vector is not written yet: see its docstring, then `bert-kata hint 4`"
    )


def masked_mean_pool(last_hidden_state, attention_mask):
    """The mean of each sentence's token vectors over its real tokens only.

    [PAD] positions (mask 0) are left out, so a sentence gets the same vector
    (within float tolerance) alone or padded in a batch
    (https://github.com/huggingface/transformers/issues/17463). [CLS] and [SEP]
    are real tokens and count. The real tokens may sit anywhere in a row (right
    padding, left padding, a masked span): only the mask decides.

    Args:
        last_hidden_state: float tensor ``[batch, seq_len, hidden]``.
        attention_mask: tensor ``[batch, seq_len]`` of 0 and 1 only, any dtype
            (int64 from the tokenizer, bool or float); 1 marks a real token.
            It is a mask, not weights.

    Returns:
        A ``torch.Tensor`` ``[batch, hidden]`` with the dtype of
        ``last_hidden_state``, in the autograd graph (when ``last_hidden_state``
        requires grad, gradients flow back to the real tokens, as when
        fine-tuning with mean pooling). Values are not checked for NaN: a NaN
        (or inf) among a row's real tokens makes that entry of the row's mean
        NaN (or inf), and leaves the other rows alone. Neither argument is
        changed.

    Raises:
        TypeError: an argument is not a tensor, or ``last_hidden_state`` is not floating point.
        ValueError: ``last_hidden_state`` is not 3-D; ``attention_mask`` is not
            ``[batch, seq_len]`` of ``last_hidden_state`` (the message gives the
            shape it should have); ``attention_mask`` holds a value other than 0
            and 1 (2, 0.5, -1: weights are not a mask); or a row has no real
            token (its mean would be 0/0 = NaN).
    """
    # TODO: check the inputs, give the mask a hidden axis, sum the real tokens, divide by their count
    raise NotImplementedError(
        "e04_extract_cls.masked_mean_pool is not written yet: see its docstring, then `bert-kata hint 4`"
    )
