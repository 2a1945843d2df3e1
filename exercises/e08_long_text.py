"""Exercise 08: long text.

bert-base-chinese has 512 position embeddings, so one input holds at most 512
tokens, [CLS] and [SEP] included (``tokenizer.model_max_length``). A longer
text tokenized as it is only draws a warning ("Token indices sequence length
is longer than the specified maximum sequence length for this model
(… > 512)"); ``BertModel`` then fails with a ``RuntimeError`` about tensor
sizes ("The size of tensor a (…) must match the size of tensor b (512)"; an
``IndexError`` in older versions: https://github.com/huggingface/transformers/issues/2446).
Cut it with ``truncation=True``, which keeps [SEP] last (slicing
``input_ids[:, :512]`` drops it), or cut the whole document into overlapping
windows: ``return_overflowing_tokens=True`` with ``max_length`` and
``stride``, where ``stride`` is the overlap in tokens between two windows,
not the step. ``overflow_to_sample_mapping`` says which document each window
comes from, and each window's ``tokenizers.Encoding`` keeps ``offsets`` into
the original document, in characters (code points), so every token can be
traced back to its characters.

练习 08：长文本。bert-base-chinese 只有 512 个位置嵌入（position embeddings），所以一次输入最多
512 个 token（含 [CLS] 和 [SEP]，即 ``tokenizer.model_max_length``）。更长的文本直接分词只会得到一条
警告（“Token indices sequence length is longer than the specified maximum sequence length for this
model (… > 512)”），随后 BertModel 报出关于张量大小的 RuntimeError（“The size of tensor a (…) must match
the size of tensor b (512)”；旧版本中是 IndexError）。用 truncation=True 截断，它会让 [SEP]
留在末尾（切片 input_ids[:, :512] 会把它丢掉）；或者把整篇文档切成相互重叠的窗口：
return_overflowing_tokens=True 加上 max_length 和 stride，其中 stride 是相邻两个窗口重叠的 token 数，
而不是步长。overflow_to_sample_mapping 说明每个窗口来自哪篇文档；每个窗口的 tokenizers.Encoding
保留着指向原文的 offsets（以字符，即码位计），所以每个 token 都能追溯到原文中的字符。
"""

from __future__ import annotations

from transformers import BatchEncoding


def truncate(tokenizer, text):
    """One text as one model input, cut to the model's 512 positions with [SEP] kept last.

    Args:
        tokenizer: bert-base-chinese's tokenizer (a tokenizers-backed
            ``PreTrainedTokenizerBase``; ``model_max_length`` 512).
        text: one ``str``, of any length.

    Returns:
        A ``transformers.BatchEncoding`` of PyTorch ``int64`` tensors of shape
        ``[1, n]``: ``input_ids``, ``token_type_ids``, ``attention_mask``, with
        ``n = min(tokens of the text + 2, 512)`` and no padding. A text that
        fits is whole; a longer one keeps its first 510 tokens, between [CLS]
        (101) first and [SEP] (102) last (``truncation=True``: the tokenizer
        cuts tokens, not characters, and never drops [SEP] as slicing
        ``input_ids[:, :512]`` does). The tokenizer's settings are not changed.

    Raises:
        TypeError: ``text`` is not a ``str`` (a list of texts, say).
    """
    # TODO: check the text, then call the tokenizer so it cuts at model_max_length and returns PyTorch tensors
    raise NotImplementedError(
        "e08_long_text.truncate is not written yet: see its docstring, then `bert-kata hint 8`"
    )


def sliding_windows(tokenizer, documents, max_length=None, stride=128):
    """Every document cut into overlapping windows of at most ``max_length`` tokens.

    Each window is a model input of its own: [CLS], up to ``max_length - 2``
    tokens of the document, [SEP]. A window starts ``max_length - 2 - stride``
    tokens after the previous one of the same document, so two consecutive
    windows share exactly ``stride`` tokens (``stride`` is the overlap, as in
    the tokenizer; https://github.com/huggingface/transformers/issues/22391).
    A document that fits gets one window; an empty one gets [CLS] [SEP].
    Every token of every document is in at least one window.

    Args:
        tokenizer: bert-base-chinese's tokenizer (tokenizers-backed).
        documents: a non-empty list (or tuple) of ``str``; a single document is ``[document]``.
        max_length: the positions of a window, [CLS] and [SEP] included, an
            ``int`` from 3 to ``tokenizer.model_max_length`` (512: BertModel has
            no position embedding past it); ``None`` means 512.
        stride: the overlap in tokens, an ``int`` from 0 to ``max_length - 3``
            (the window must move on by at least one token).

    Returns:
        A ``transformers.BatchEncoding`` (``return_overflowing_tokens=True``)
        with PyTorch ``int64`` tensors: ``input_ids``, ``token_type_ids`` and
        ``attention_mask`` of shape ``[windows, width]``, the windows of
        document 0 first, then those of document 1, ...; ``width`` is the
        longest window, shorter ones padded on the right with [PAD] (0);
        and ``overflow_to_sample_mapping`` of shape ``[windows]``: the index in
        ``documents`` of each window's document. ``.encodings`` holds one
        ``tokenizers.Encoding`` per window, whose ``offsets`` are characters
        of that window's document. ``documents`` and the tokenizer's settings
        are not changed.

    Raises:
        TypeError: ``documents`` is a single ``str`` or not a list or tuple, holds
            something other than ``str``; ``max_length`` or ``stride`` is not
            an ``int`` (a ``bool`` is not one).
        ValueError: ``documents`` is empty; ``max_length`` is below 3 or above
            ``tokenizer.model_max_length``; ``stride`` is negative or not below
            ``max_length - 2`` (the tokenizer itself would panic with
            ``pyo3_runtime.PanicException``, which ``except Exception`` does not
            catch; https://github.com/huggingface/tokenizers/issues/1269).
        Each message names the argument (``documents``, ``max_length``,
        ``stride``) and says what it must be.
    """
    # TODO: check the arguments, then one tokenizer call with truncation, max_length, stride, overflowing tokens, padding and PyTorch tensors
    raise NotImplementedError(
        "e08_long_text.sliding_windows is not written yet: see its docstring, then `bert-kata hint 8`"
    )


def window_char_span(windows, window):
    """The characters of its document that window ``window`` covers.

    Args:
        windows: what :func:`sliding_windows` returns (a ``BatchEncoding``
            with one ``tokenizers.Encoding`` per window and
            ``overflow_to_sample_mapping``). Not changed.
        window: the window's index, an ``int`` (not a ``bool``), Python-style
            (``-1`` is the last window).

    Returns:
        ``(start, end)``, two ``int``: the window's document is
        ``documents[windows["overflow_to_sample_mapping"][window]]`` and
        ``document[start:end]`` runs from the first character of the window's
        first real token to the last character of its last one, from the
        Encoding's ``offsets`` (characters, i.e. code points, not bytes;
        one [UNK] can cover a whole word such as "Apple", whitespace has no
        token). [CLS], [SEP] and [PAD] (offsets ``(0, 0)``, told by
        ``special_tokens_mask``) count for nothing. ``None`` for a window with
        no real token (an empty document).

    Raises:
        TypeError: ``windows`` is not such a ``BatchEncoding`` (a plain
            ``dict``, one without ``overflow_to_sample_mapping``); ``window``
            is not an ``int``.
        IndexError: ``window`` is outside the windows.
    """
    # TODO: take the window's Encoding, keep the offsets of its real tokens (special_tokens_mask 0), return the first start and the last end
    raise NotImplementedError(
        "e08_long_text.window_char_span is not written yet: see its docstring, then `bert-kata hint 8`"
    )


def windows_of_char(windows, document, c):
    """Every window of document ``document`` that holds character ``c``, and where.

    In the overlap a character is in two windows (or more, when ``stride`` is
    large); anywhere else in one.

    Args:
        windows: as for :func:`window_char_span`.
        document: the document's index in the ``documents`` given to
            :func:`sliding_windows`, an ``int`` (not a ``bool``), Python-style.
        c: a character (code point) index into that document, an ``int``
            (not a ``bool``), ``>= 0``.

    Returns:
        A ``list`` of ``(window, t)`` tuples of two ``int``, in window order:
        window ``window`` belongs to ``document`` and its token at position
        ``t`` covers character ``c`` (``Encoding.char_to_token``; position 0
        is [CLS], so ``t >= 1``). Only windows of ``document`` count, though
        another document's window can cover a character of the same index.
        ``[]`` when no token covers ``c``: whitespace, a character the
        tokenizer drops, or ``c`` past the end.

    Raises:
        TypeError: as for :func:`window_char_span`; ``document`` or ``c`` is not an ``int``.
        IndexError: ``document`` is outside the documents, or ``c`` is negative.
    """
    # TODO: check the arguments, then for each window of this document (overflow_to_sample_mapping) ask its Encoding which token covers c
    raise NotImplementedError(
        "e08_long_text.windows_of_char is not written yet: see its docstring, then `bert-kata hint 8`"
    )
