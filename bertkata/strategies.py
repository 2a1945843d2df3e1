"""Hypothesis strategies for Chinese and mixed sentences, shared by every exercise's tests.

The Chinese characters are drawn from the real bert-base-chinese vocabulary
(read lazily from the resolved model source, on the first draw), so the
tokenizer's behaviour is exercised where learners meet it.
"""

from __future__ import annotations

import string
from functools import cache

from hypothesis import strategies as st

FULL_WIDTH_PUNCTUATION = "，。！？；：“”‘’（）、《》【】…—～"
ASCII_PUNCTUATION = ",.!?;:'\"()[]-_/@#%&*+="
EMOJI = ["😀", "🎉", "👍", "❤", "🔥", "🐼"]
WHITESPACE = [" ", "\t", "\n", "\u3000", "  "]
FULL_WIDTH_LATIN = "ＡＢＣａｂｃ１２３"


@cache
def vocab_chinese_chars() -> tuple[str, ...]:
    """Single CJK characters that are tokens of bert-base-chinese's vocabulary."""
    from bertkata.source import resolve

    words = (resolve().path / "vocab.txt").read_text(encoding="utf-8").splitlines()
    return tuple(w for w in words if len(w) == 1 and "\u4e00" <= w <= "\u9fff")


@cache
def out_of_vocab_chars() -> tuple[str, ...]:
    """CJK characters the vocabulary lacks (they tokenize to [UNK])."""
    known = set(vocab_chinese_chars())
    basic = [chr(c) for c in range(0x4E00, 0x9FFF) if chr(c) not in known][:200]
    return tuple(basic) + ("𠀀", "𪚥")


def chinese_text(min_size: int = 1, max_size: int = 12) -> st.SearchStrategy[str]:
    """Chinese text made only of characters in the vocabulary (one token per character)."""
    chars = st.deferred(lambda: st.sampled_from(vocab_chinese_chars()))
    return st.lists(chars, min_size=min_size, max_size=max_size).map("".join)


def _latin_word() -> st.SearchStrategy[str]:
    return st.text(alphabet=string.ascii_letters, min_size=1, max_size=8)


def pieces() -> st.SearchStrategy[str]:
    return st.one_of(
        chinese_text(1, 4),
        _latin_word(),  # upper case becomes [UNK]: bert-base-chinese does not lower-case
        st.text(alphabet=string.digits, min_size=1, max_size=4),
        st.sampled_from(FULL_WIDTH_PUNCTUATION),
        st.sampled_from(ASCII_PUNCTUATION),
        st.sampled_from(FULL_WIDTH_LATIN),
        st.sampled_from(EMOJI),
        st.deferred(lambda: st.sampled_from(out_of_vocab_chars())),
        st.sampled_from(WHITESPACE),
    )


def mixed_sentences(max_pieces: int = 8) -> st.SearchStrategy[str]:
    """Sentences mixing Chinese, English in both cases, digits, punctuation of both widths,
    emoji, characters outside the vocabulary and whitespace; the empty string included."""
    return st.lists(pieces(), min_size=0, max_size=max_pieces).map("".join)


def sentence_batches(min_size: int = 1, max_size: int = 8, sentences=None) -> st.SearchStrategy[list[str]]:
    """Batches of 1 to 8 sentences (mixed by default)."""
    return st.lists(sentences or mixed_sentences(), min_size=min_size, max_size=max_size)


def chinese_batches(min_size: int = 1, max_size: int = 4) -> st.SearchStrategy[list[str]]:
    """Batches of Chinese-only sentences: every character is one token with a one-character span."""
    return st.lists(chinese_text(1, 12), min_size=min_size, max_size=max_size)
