"""Exercise 07: sentence pairs.

BERT reads two sentences at once (a question and a passage, two sentences to
compare) as one row: ``[CLS] first [SEP] second [SEP]``. ``tokenizer(first,
second)`` builds it: two arguments, not one list (``tokenizer([first,
second])`` is a batch of two single sentences) and not one string
(``tokenizer(first + second)`` has no [SEP] between them). ``token_type_ids``
tell the model which sentence a position belongs to: 0 on ``[CLS] first
[SEP]``, 1 on ``second [SEP]``, and 0 on [PAD]. ``BertModel`` adds a learned
vector for each of the two types, so its output changes when the sentences
are swapped or the ``token_type_ids`` are left out (it then uses zeros, as if
everything were the first sentence). The ``tokenizers.Encoding`` of each row
knows which sentence each position came from (``sequence_ids``: 0, 1, or None
for [CLS], [SEP] and [PAD]), which the ``token_type_ids`` cannot say.

练习 07：句子对。BERT 把两个句子（一个问题和一段文章，或两个要比较的句子）放在同一行里读：
``[CLS] 第一句 [SEP] 第二句 [SEP]``。``tokenizer(first, second)`` 会构造出这一行：要传两个参数，
而不是一个列表（``tokenizer([first, second])`` 是由两个单句组成的批次），也不是一个字符串
（``tokenizer(first + second)`` 在两句之间没有 [SEP]）。token_type_ids（句段编号）告诉模型
每个位置属于哪一句：``[CLS] 第一句 [SEP]`` 为 0，``第二句 [SEP]`` 为 1，[PAD] 为 0。
BertModel 为这两种句段各学了一个向量，所以交换两句，或者不传 token_type_ids（此时模型用全 0，
好像全都是第一句），输出都会变。每一行的 tokenizers.Encoding 知道每个位置来自哪一句
（sequence_ids：0、1，[CLS]、[SEP]、[PAD] 为 None），这是 token_type_ids 说不出来的。
"""

from __future__ import annotations

from collections.abc import Mapping

import torch
from transformers import BatchEncoding


# BEGIN SOLUTION
def _check_sentences(value, name: str) -> list:
    """A list of str (not a single str)."""
    if isinstance(value, str):
        raise TypeError(f"{name} must be a list of str, not a single str: wrap one sentence as [sentence]")
    if not isinstance(value, (list, tuple)):
        raise TypeError(f"{name} must be a list of str, got a {type(value).__name__}")
    for k, s in enumerate(value):
        if not isinstance(s, str):
            raise TypeError(f"{name}[{k}] is a {type(s).__name__}, expected a str")
    return list(value)


def _encoding(batch, i):
    """Row ``i``'s ``tokenizers.Encoding``, ``i`` Python-style (negative counts from the end)."""
    encodings = batch.encodings if isinstance(batch, BatchEncoding) else None
    if encodings is None:
        raise TypeError(f"a {type(batch).__name__} without Encodings: pass the BatchEncoding a tokenizers-backed "
                        "tokenizer returns (tokenizer(firsts, seconds, ...)), not a dict")
    if isinstance(i, bool) or not isinstance(i, int):
        raise TypeError(f"i is {i!r} ({type(i).__name__}), expected an int row index")
    n = len(encodings)
    if not -n <= i < n:
        raise IndexError(f"i={i} is out of range: the batch has {n} rows (0 to {n - 1}, or -{n} to -1)")
    return encodings[i]
# END SOLUTION


def encode_pairs(tokenizer, firsts, seconds):
    """A padded batch of sentence pairs: row k is ``[CLS] firsts[k] [SEP] seconds[k] [SEP]`` then [PAD].

    Args:
        tokenizer: bert-base-chinese's tokenizer (a ``PreTrainedTokenizerBase``).
        firsts: a non-empty list of ``str``, the first sentence of each pair.
        seconds: a list of ``str`` as long as ``firsts``, the second sentence of each pair.

    Returns:
        The tokenizer's ``transformers.BatchEncoding`` of PyTorch ``int64`` tensors
        of shape ``[len(firsts), longest]``, with its ``tokenizers.Encoding`` per row
        (``batch[k].sequence_ids``):

        - ``input_ids``: ``[CLS]`` (101), the first sentence, ``[SEP]`` (102), the
          second sentence, ``[SEP]``, then ``[PAD]`` (0) up to the longest row.
          An empty sentence is still a sentence: ``("你好", "")`` gives
          ``[CLS] 你 好 [SEP] [SEP]``.
        - ``token_type_ids``: 0 on ``[CLS]``, the first sentence and its ``[SEP]``;
          1 on the second sentence and the last ``[SEP]``; 0 on ``[PAD]`` (the
          tokenizer's ``pad_token_type_id``).
        - ``attention_mask``: 1 on every real token, 0 on ``[PAD]``.

        A pair longer than the model's 512 positions is cut to 512 the way
        ``truncation=True`` (``"longest_first"``) cuts it: tokens come off the end
        of the longer sentence, and both sentences keep their ``[SEP]``. Uppercase
        Latin letters are not lower-cased (bert-base-chinese's ``do_lower_case`` is
        False): "Apple" is one ``[UNK]`` (100). Neither list, nor the tokenizer's
        settings, is changed.

    Raises:
        TypeError: ``firsts`` or ``seconds`` is a single ``str`` or not a list,
            or holds something other than a ``str``.
        ValueError: ``firsts`` is empty, or the two lists differ in length.
    """
    # BEGIN SOLUTION: check the two lists, then call the tokenizer with them as two arguments, padding, truncating and returning PyTorch tensors
    firsts, seconds = _check_sentences(firsts, "firsts"), _check_sentences(seconds, "seconds")
    if not firsts:
        raise ValueError("firsts is empty: pass at least one pair")
    if len(firsts) != len(seconds):
        raise ValueError(f"firsts has {len(firsts)} sentences and seconds {len(seconds)}: "
                         "pair k is (firsts[k], seconds[k]), so they must be as long")
    return tokenizer(firsts, seconds, padding=True, truncation=True, return_tensors="pt")
    # END SOLUTION


def sequence_ids_at(batch, i):
    """Which sentence of the pair each position of row ``i`` belongs to.

    Read from the row's ``tokenizers.Encoding`` (``batch[i].sequence_ids``, or
    ``batch.sequence_ids(i)``; ``Encoding.token_to_sequence(t)`` for one
    position): 0 for a token of the first sentence, 1 for one of the second,
    ``None`` for ``[CLS]``, ``[SEP]`` and ``[PAD]``, which belong to neither.
    This is not ``token_type_ids``, the tensor view the model reads: there
    ``[CLS]`` and the first ``[SEP]`` are 0, the last ``[SEP]`` is 1 and
    ``[PAD]`` is 0. For a batch of single sentences every real token is 0.

    Args:
        batch: a ``BatchEncoding`` from a tokenizers-backed tokenizer (as
            :func:`encode_pairs` returns), tensors or lists, padded or not.
        i: the row, an ``int`` (not a ``bool``), Python-style: ``-1`` is the last row.

    Returns:
        A ``list`` as long as the row (``[PAD]`` included) of ``0``, ``1`` and ``None``.
        The batch is not changed.

    Raises:
        TypeError: ``batch`` keeps no Encodings (a plain ``dict``), or ``i`` is not an ``int``
            (``True`` is not a row index).
        IndexError: ``i`` is outside the batch.
    """
    # BEGIN SOLUTION: check the batch and i, then read the sequence ids of row i's Encoding
    return list(_encoding(batch, i).sequence_ids)
    # END SOLUTION


def sep_positions(batch, i):
    """The positions of the two ``[SEP]`` of pair ``i``: the one closing the first sentence and the last one.

    For ``encode_pairs(tokenizer, ["你好"], ["今天天气很好"])`` row 0 is
    ``[CLS] 你 好 [SEP] 今 天 天 气 很 好 [SEP]``, so the result is ``(3, 10)``.
    The positions come from the Encoding (its ``special_tokens_mask``, or
    where ``sequence_ids`` change), not from the id 102: "[SEP]" typed into a
    sentence is a real token of that sentence with the id 102. In a padded row
    the last ``[SEP]`` is followed by ``[PAD]``; with an empty second sentence
    the two ``[SEP]`` are neighbours.

    Args:
        batch: as for :func:`sequence_ids_at`, tokenized from pairs.
        i: as for :func:`sequence_ids_at`.

    Returns:
        A ``tuple`` of two ``int`` ``(first, second)``, ``0 < first < second``.
        The batch is not changed.

    Raises:
        TypeError, IndexError: as for :func:`sequence_ids_at`.
        ValueError: row ``i`` is a single sentence, not a pair (it has one ``[SEP]``).
    """
    # BEGIN SOLUTION: check the batch, i and that row i is a pair, then find the special tokens that are not [PAD]: [CLS], then the two [SEP]
    encoding = _encoding(batch, i)
    if encoding.n_sequences != 2:
        raise ValueError(f"row {i} is a single sentence, not a pair: it has one [SEP]; "
                         "tokenize pairs with tokenizer(firsts, seconds)")
    special = [t for t, (s, m) in enumerate(zip(encoding.special_tokens_mask, encoding.attention_mask)) if s and m]
    # [CLS], the first [SEP], the last [SEP]
    return (special[1], special[2])
    # END SOLUTION


def token_type_effect(model, batch):
    """How much the ``token_type_ids`` change ``BertModel``'s [CLS] vector for ``batch``.

    Runs the model twice, in eval mode and without an autograd graph: on the
    batch as it is, and on the same batch with ``token_type_ids`` all 0, which is
    what ``BertModel`` uses when ``token_type_ids`` are not passed (so
    ``model(input_ids=..., attention_mask=...)`` reads a pair as one sentence).
    The effect is the largest absolute difference between the two [CLS]
    vectors, ``last_hidden_state[:, 0, :]``. [CLS] has type 0 either way, yet
    its vector changes for a pair: it attends to the second sentence, whose
    type-1 tokens get another learned vector
    (``model.embeddings.token_type_embeddings``, 2 rows). It is 0.0 for a batch
    of single sentences, whose ``token_type_ids`` are all 0 already.

    Args:
        model: a ``transformers.BertModel``; its train/eval mode (every submodule with it:
            ``model.train(was_training)``; for a model whose submodules the caller set to
            different modes, what comes back is not specified), ``requires_grad`` flags and
            gradients are left as they were.
        batch: a mapping of ``int64`` tensors ``[batch, seq_len]`` holding
            ``input_ids``, ``attention_mask`` and ``token_type_ids`` (as
            :func:`encode_pairs` returns), at most 512 positions. It is not changed.

    Returns:
        A ``float``, at least 0.0: ``max |Δ last_hidden_state[:, 0, :]|`` over the batch.

    Raises:
        TypeError: ``batch`` is not a mapping holding an ``input_ids`` tensor.
        KeyError: ``batch`` has no ``token_type_ids``.
    """
    # BEGIN SOLUTION: check the batch; in eval mode, without a graph, run the model on the batch and on a copy with zero token_type_ids; compare the [CLS] vectors; put the mode back
    if not isinstance(batch, Mapping) or not isinstance(batch.get("input_ids"), torch.Tensor):
        raise TypeError(f"batch must be a mapping holding an input_ids tensor (the tokenizer's BatchEncoding with "
                        f"return_tensors=\"pt\"), got a {type(batch).__name__}")
    if "token_type_ids" not in batch:
        raise KeyError("batch has no token_type_ids: tokenize with tokenizer(firsts, seconds, ...), which returns them")
    inputs = dict(batch)
    zeros = {**inputs, "token_type_ids": torch.zeros_like(inputs["token_type_ids"])}
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            with_types = model(**inputs).last_hidden_state[:, 0, :]
            without = model(**zeros).last_hidden_state[:, 0, :]
    finally:
        model.train(was_training)
    return (with_types - without).abs().max().item()
    # END SOLUTION
