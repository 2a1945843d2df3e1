"""Exercise 02: index encodings.

A ``BatchEncoding`` is two things at once. Indexed with a string,
``batch["input_ids"]`` is a model input: a tensor (or list) with one row per
sentence. Indexed with an integer, ``batch[i]`` is the i-th
``tokenizers.Encoding``, which knows each position's token, its character
``offsets`` in the original sentence and its ``word_ids``. For Chinese a
"word" is one character: BERT's tokenizer splits every Chinese character off
on its own, so in "我觉得不行" 觉 and 得 are words 1 and 2, not one word 觉得
(a run of Latin letters such as "Apple" is one word). Only a
tokenizers-backed ("fast") tokenizer keeps these Encodings. In transformers
5.x the BERT tokenizer that ``AutoTokenizer`` or ``BertTokenizer`` gives
(even with ``use_fast=False``) is tokenizers-backed; only the pure-Python
``BertTokenizerLegacy`` (``is_fast`` False) keeps none, so its ``batch[i]``
raises ``KeyError``. A widespread note says "slow tokenizer才有 Encoding" (only the slow tokenizer has Encodings): it has it backwards.

练习 02：索引 Encoding。BatchEncoding 同时是两样东西：用字符串索引时，
batch["input_ids"] 是模型输入（每句一行的张量或列表）；用整数索引时，batch[i] 是第 i 个
tokenizers.Encoding，它知道每个位置的 token、在原句中的字符 offsets 以及 word_ids。
对中文来说，一个“词”（word）就是一个字：BERT 的分词器把每个汉字单独切开，所以在“我觉得不行”中，
“觉”和“得”是第 1 和第 2 个词，而不是一个词“觉得”（一串拉丁字母，如 “Apple”，才算一个词）。
只有基于 tokenizers 的（fast）分词器才保留 Encoding。transformers 5.x 中 AutoTokenizer 或
BertTokenizer 给出的 BERT 分词器（即使 use_fast=False）都基于 tokenizers；只有纯 Python 的
BertTokenizerLegacy（is_fast 为 False）不保留 Encoding，它的 batch[i] 会抛 KeyError。
网上流传的“slow tokenizer 才有 Encoding”的说法恰好说反了。
"""

from __future__ import annotations

from transformers import BatchEncoding

# BEGIN SOLUTION
import operator


def _check_index(value, name: str, size: int, items: str, container: str) -> int:
    """``value`` as an index into ``size`` items, Python-style (negative counts from the end)."""
    if isinstance(value, bool) or not hasattr(value, "__index__"):
        raise TypeError(f"{name} is {value!r} ({type(value).__name__}), expected an int")
    value = operator.index(value)
    if not -size <= value < size:
        raise IndexError(f"{name}={value} is out of range: the {container} has {size} {items} "
                         f"(valid: 0 to {size - 1}, or -{size} to -1 from the end)")
    return value
# END SOLUTION


def encoding_at(batch, i):
    """The ``tokenizers.Encoding`` of sentence ``i`` of ``batch``: ``batch[i]``.

    Not ``batch["input_ids"][i]``, which is only that sentence's row of ids.

    Args:
        batch: a ``BatchEncoding`` from a tokenizers-backed (fast) tokenizer,
            with tensors (``return_tensors="pt"``) or lists; padded or not,
            truncated or not (rows may be longer than the model's 512
            positions). None of this exercise's functions changes the batch.
        i: the sentence's index in the batch, an ``int`` (not a ``bool``),
            Python-style: ``-1`` is the last sentence. The batch size is
            ``len(batch.encodings)``; ``len(batch)`` counts the keys
            (``input_ids``, ``token_type_ids``, ``attention_mask``), not the
            sentences.

    Returns:
        The ``tokenizers.Encoding`` (``.ids``, ``.tokens``, ``.offsets``,
        ``.word_ids``, ``.special_tokens_mask``, one entry per position,
        [PAD] positions included).

    Raises:
        TypeError: ``batch`` holds no Encodings: a plain ``dict``, a
            ``BatchEncoding`` built by hand, or one from the pure-Python
            ``BertTokenizerLegacy``; or ``i`` is not an ``int`` (a ``str`` key
            such as ``"input_ids"``, a ``float``, a ``bool``).
        IndexError: ``i`` is outside the batch (the message gives the batch size).
    """
    # BEGIN SOLUTION: check that the batch keeps Encodings (batch.encodings), check i against the number of sentences, return batch[i]
    encodings = batch.encodings if isinstance(batch, BatchEncoding) else None
    if encodings is None:
        raise TypeError(
            f"a {type(batch).__name__} without Encodings: pass the BatchEncoding returned by a "
            "tokenizers-backed (fast) tokenizer such as AutoTokenizer; a plain dict, a BatchEncoding "
            "built by hand and the pure-Python BertTokenizerLegacy keep no tokenizers.Encoding"
        )
    i = _check_index(i, "i", len(encodings), "sentences", "batch")
    return batch[i]
    # END SOLUTION


def tokens_at(batch, i):
    """The tokens of sentence ``i``, one ``str`` per position, [PAD] included.

    For the padded batch of ``["你好", "今天天气很好"]``, sentence 0 gives
    ``["[CLS]", "你", "好", "[SEP]", "[PAD]", "[PAD]", "[PAD]", "[PAD]"]``.

    Args:
        batch: as for :func:`encoding_at`.
        i: as for :func:`encoding_at`.

    Returns:
        A ``list`` of ``str`` as long as the batch's rows; equal to
        ``tokenizer.convert_ids_to_tokens(batch["input_ids"][i])``.

    Raises:
        TypeError, IndexError: as for :func:`encoding_at`.
    """
    # BEGIN SOLUTION: read the tokens of the Encoding of sentence i
    return list(encoding_at(batch, i).tokens)
    # END SOLUTION


def token_char_span(batch, i, t):
    """The characters of sentence ``i`` that token ``t`` came from.

    Offsets are indices of Python characters (code points) in the original
    sentence: ``sentence[start:end]`` is the token's text. A whole-word [UNK]
    covers the whole word ("Apple" in "我用Apple手机" is ``(2, 7)``).

    Args:
        batch: as for :func:`encoding_at`.
        i: as for :func:`encoding_at`.
        t: the token's position in the row, an ``int`` (not a ``bool``),
            Python-style (``-1`` is the last position); position 0 is [CLS].

    Returns:
        ``(start, end)``, two ``int``; ``None`` for [CLS], [SEP] and [PAD],
        which come from no character. Special tokens are told by the
        Encoding's ``special_tokens_mask`` (their offsets are ``(0, 0)``, but
        a real token can start at character 0 too).

    Raises:
        TypeError: as for :func:`encoding_at`, or ``t`` is not an ``int`` (or is a ``bool``).
        IndexError: ``i`` is outside the batch, or ``t`` outside the row.
    """
    # BEGIN SOLUTION: take the Encoding, check t against its length, return None for special tokens, else its offsets
    encoding = encoding_at(batch, i)
    t = _check_index(t, "t", len(encoding), "positions", "row")
    if encoding.special_tokens_mask[t]:
        return None
    start, end = encoding.offsets[t]
    return (start, end)
    # END SOLUTION


def token_for_char(batch, i, c):
    """The position of the token that covers character ``c`` of sentence ``i``.

    Args:
        batch: as for :func:`encoding_at`.
        i: as for :func:`encoding_at`.
        c: a character (code point) index into the original sentence, an
            ``int`` (not a ``bool``), ``>= 0``.

    Returns:
        An ``int`` position in the row (never 0, which is [CLS]), or ``None``
        when no token covers ``c``: whitespace; a character the tokenizer's
        cleaning drops (control characters such as ``"\\x00"``, zero-width ones
        such as ``"\\u200b"``: for ``"我\\x00好\\u200b"``, c = 0, 1, 2, 3 give
        1, None, 2, None); or a character past the end. The batch does not
        keep the sentence's text, so it cannot tell these apart.

    Raises:
        TypeError: as for :func:`encoding_at`, or ``c`` is not an ``int`` (or is a ``bool``).
        IndexError: ``i`` is outside the batch, or ``c`` is negative (without
            the text, a character cannot be counted from the end).
    """
    # BEGIN SOLUTION: take the Encoding, reject a negative c, ask the Encoding which token covers character c
    encoding = encoding_at(batch, i)
    if isinstance(c, bool) or not hasattr(c, "__index__"):
        raise TypeError(f"c is {c!r} ({type(c).__name__}), expected an int")
    c = operator.index(c)
    if c < 0:
        raise IndexError(f"c={c} is negative: character indices start at 0, and the batch "
                         "does not keep the sentence to count from its end")
    return encoding.char_to_token(c)
    # END SOLUTION
