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


# BEGIN SOLUTION
def _check_hidden_states(last_hidden_state) -> None:
    """The checks both functions share: a float tensor [batch, seq_len, hidden] with seq_len >= 1."""
    if not isinstance(last_hidden_state, torch.Tensor):
        raise TypeError(f"last_hidden_state must be a torch.Tensor [batch, seq_len, hidden], "
                        f"got a {type(last_hidden_state).__name__}")
    if not last_hidden_state.is_floating_point():
        raise TypeError(f"last_hidden_state must be a floating-point tensor, got {last_hidden_state.dtype}: "
                        "input_ids are token ids, not hidden states")
    if last_hidden_state.dim() != 3:
        raise ValueError(f"last_hidden_state must have 3 dimensions [batch, seq_len, hidden], got shape "
                         f"{list(last_hidden_state.shape)}: pass the model output's last_hidden_state, "
                         "not one sentence of it, not pooler_output")
    if last_hidden_state.shape[1] == 0:
        raise ValueError("last_hidden_state has seq_len 0: there is no [CLS] position")
# END SOLUTION


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
    # BEGIN SOLUTION: check the input, then index position 0 of the sequence dimension for every sentence
    _check_hidden_states(last_hidden_state)
    return last_hidden_state[:, 0, :]
    # END SOLUTION


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
    # BEGIN SOLUTION: take last_hidden_state from the output (not pooler_output) and reuse cls_embeddings
    hidden = getattr(model_output, "last_hidden_state", None)
    if hidden is None:
        raise TypeError(f"model_output must be what BertModel returns (with .last_hidden_state), got a "
                        f"{type(model_output).__name__}; for a tensor use cls_embeddings")
    return cls_embeddings(hidden)
    # END SOLUTION


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
    # BEGIN SOLUTION: check the inputs, give the mask a hidden axis, sum the real tokens, divide by their count
    _check_hidden_states(last_hidden_state)
    if not isinstance(attention_mask, torch.Tensor):
        raise TypeError(f"attention_mask must be a torch.Tensor [batch, seq_len], "
                        f"got a {type(attention_mask).__name__}")
    expected = list(last_hidden_state.shape[:2])
    if list(attention_mask.shape) != expected:
        raise ValueError(f"attention_mask must have shape {expected} ([batch, seq_len] of last_hidden_state), "
                         f"got {list(attention_mask.shape)}")
    if not ((attention_mask == 0) | (attention_mask == 1)).all():
        odd = attention_mask[(attention_mask != 0) & (attention_mask != 1)].flatten()[:3].tolist()
        raise ValueError(f"attention_mask must hold only 0 and 1 (a mask, not weights), got {odd}")
    mask = attention_mask.to(last_hidden_state.dtype)
    counts = mask.sum(dim=1, keepdim=True)  # [batch, 1]
    empty = (counts == 0).flatten().nonzero().flatten().tolist()
    if empty:
        raise ValueError(f"attention_mask rows {empty} have no real token: their mean would be 0/0 (NaN)")
    # [batch, seq_len, 1] broadcasts over hidden, zeroing the [PAD] vectors
    summed = (last_hidden_state * mask.unsqueeze(-1)).sum(dim=1)
    return summed / counts
    # END SOLUTION
