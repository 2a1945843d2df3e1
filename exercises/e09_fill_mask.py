"""Exercise 09: fill the mask by hand.

``BertForMaskedLM`` is ``BertModel`` with a masked-language-model head on top
(``model.cls``): for every position it returns ``logits`` of shape
``[batch, seq_len, vocab_size]`` (21128 for bert-base-chinese), one score per
token of the vocabulary. Filling a blank is reading those scores at the [MASK]
positions: find them (``input_ids == tokenizer.mask_token_id``, 103 in
bert-base-chinese), take their rows ``[n_masks, vocab_size]``, and rank the
vocabulary with ``topk`` over the last axis. This is what
``pipeline("fill-mask")`` does. The head's output layer
has no matrix of its own: its weight is the word-embedding matrix
(``tie_word_embeddings``), so a token's score is, up to a bias, the dot product
of the transformed hidden state with that token's own embedding.

练习 09：亲手填空。BertForMaskedLM 就是在 BertModel 上加一个掩码语言模型头（model.cls）：
它为每个位置返回形状为 [batch, seq_len, vocab_size]（bert-base-chinese 为 21128）的 logits，
词表中每个 token 一个分数。填空就是在 [MASK] 的位置读这些分数：先找出这些位置
（input_ids == tokenizer.mask_token_id，bert-base-chinese 中为 103），取出它们的行
[n_masks, vocab_size]，再在最后一个轴上用 topk 给词表排序。pipeline("fill-mask") 做的就是这件事。
这个头的输出层没有自己的矩阵：它的权重就是词嵌入矩阵
（tie_word_embeddings，权重绑定），所以一个 token 的分数（除去偏置）就是变换后的隐藏状态与该 token
自身嵌入向量的点积。
"""

from __future__ import annotations

from collections.abc import Mapping

import torch


def mask_positions(tokenizer, input_ids):
    """Where the [MASK] tokens are: one ``(row, position)`` pair per [MASK].

    The [MASK] id is ``tokenizer.mask_token_id`` (103 in bert-base-chinese;
    another tokenizer can have another mask token and id). The tokenizer
    turns "[MASK]" typed in a sentence into that one id; positions count
    [CLS] at 0, so the first character of a sentence is at position 1.

    Args:
        tokenizer: the tokenizer that made ``input_ids``.
        input_ids: int tensor ``[batch, seq_len]`` (``batch["input_ids"]``).

    Returns:
        An int64 ``torch.Tensor`` ``[n_masks, 2]``: row and position of every
        [MASK], in reading order (sentence by sentence, left to right);
        ``[0, 2]`` when there is none. ``input_ids`` is not changed.

    Raises:
        TypeError: ``input_ids`` is not a tensor, or holds floats.
        ValueError: ``input_ids`` is not 2-D.
    """
    # TODO: compare input_ids with tokenizer.mask_token_id and list where they are equal
    raise NotImplementedError(
        "e09_fill_mask.mask_positions is not written yet: see its docstring, then `bert-kata hint 9`"
    )


def mask_logits(model, tokenizer, batch):
    """The masked-LM scores at every [MASK] of a batch: ``[n_masks, vocab_size]``.

    Runs ``model(**batch)`` in eval mode (dropout off) without building an
    autograd graph, and leaves the model's train/eval mode as it was, every
    submodule with it (``model.train(was_training)``; for a model whose
    submodules the caller set to different modes, what comes back is not
    specified).
    ``BertModel`` has no masked-LM head and no ``logits``: this needs
    ``BertForMaskedLM``.

    Args:
        model: a ``BertForMaskedLM`` (``AutoModelForMaskedLM``).
        tokenizer: its tokenizer (for ``mask_token_id``).
        batch: what ``tokenizer(sentences, padding=True, return_tensors="pt")``
            returns; every key reaches the model (the ``attention_mask`` keeps
            [PAD] out). Sentences may hold any number of [MASK], zero included,
            as long as the batch holds one.

    Returns:
        A float32 ``torch.Tensor`` ``[n_masks, vocab_size]`` with no autograd
        graph: row j holds the logits at the j-th [MASK] in reading order
        (the order of :func:`mask_positions`). A sentence's rows are the same
        (within float tolerance) alone or padded in a batch. The batch is not
        changed.

    Raises:
        TypeError: ``batch`` is not a mapping with an ``input_ids`` tensor, or
            the model has no masked-LM head (``BertModel``).
        ValueError: the batch holds no [MASK] (type ``tokenizer.mask_token`` into
            the sentence), or ``input_ids`` is not 2-D.
    """
    # TODO: find the [MASK] positions, run the model in eval mode without a graph, index its logits there
    raise NotImplementedError(
        "e09_fill_mask.mask_logits is not written yet: see its docstring, then `bert-kata hint 9`"
    )


def top_k_tokens(tokenizer, logits, k=5):
    """The ``k`` best tokens for each [MASK], best first: their ids and their tokens.

    The ranking is over the vocabulary (the last axis). ``softmax`` does not
    change it, and ``pipeline("fill-mask", top_k=k)`` gives the same tokens for a
    sentence with one [MASK]. Tokens are vocabulary entries, as
    ``tokenizer.convert_ids_to_tokens`` gives them ("##a" keeps its "##",
    [UNK] stays "[UNK]"); ``tokenizer.decode`` joins ids into one string.

    Args:
        tokenizer: the tokenizer whose vocabulary the logits score.
        logits: float tensor ``[n_masks, vocab_size]`` (from :func:`mask_logits`).
        k: how many tokens per [MASK], 1 to vocab_size (an int).

    Returns:
        A tuple ``(ids, tokens)``: ``ids`` an int64 ``torch.Tensor``
        ``[n_masks, k]``, row j sorted by descending logit; ``tokens`` a list of
        ``n_masks`` lists of ``k`` str, the tokens of those ids. ``logits`` is not
        changed.

    Raises:
        TypeError: ``logits`` is not a floating-point tensor, or ``k`` is not an int
            (``True`` is not one).
        ValueError: ``logits`` is not 2-D (one [MASK]'s ``[vocab_size]`` needs
            ``unsqueeze(0)``), or ``k`` is outside 1 to vocab_size.
    """
    # TODO: topk over the vocabulary axis, then turn each row of ids into tokens
    raise NotImplementedError(
        "e09_fill_mask.top_k_tokens is not written yet: see its docstring, then `bert-kata hint 9`"
    )


def decoder_is_tied(model):
    """Whether the masked-LM head's output layer uses the word-embedding matrix itself.

    In ``BertForMaskedLM`` (``tie_word_embeddings=True``, the default)
    ``model.cls.predictions.decoder.weight`` *is* ``model.bert.embeddings.
    word_embeddings.weight``: one ``[vocab_size, hidden]`` parameter, so training
    one trains the other. Equal values are not enough (a copy is not tied),
    and the config's flag is not proof (the weights can be untied after
    loading): the two must be the same tensor.

    Args:
        model: a model with a masked-LM head (``BertForMaskedLM``).

    Returns:
        ``True`` when the output layer's weight is the input embeddings' weight
        (the same ``torch.nn.Parameter``), else ``False``. The model is not changed.

    Raises:
        TypeError: the model has no masked-LM head (``BertModel``).
    """
    # TODO: compare the output layer's weight with the word embeddings' weight by identity
    raise NotImplementedError(
        "e09_fill_mask.decoder_is_tied is not written yet: see its docstring, then `bert-kata hint 9`"
    )
