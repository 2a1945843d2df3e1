"""Hypothesis strategies for Chinese and mixed sentences, shared by every exercise's tests.

The Chinese characters are drawn from the real bert-base-chinese vocabulary
(read lazily from the resolved model source, on the first draw), so the
tokenizer's behaviour is exercised where learners meet it.
"""

from __future__ import annotations

import string
from functools import cache

from hypothesis import Phase, settings
from hypothesis import strategies as st

FULL_WIDTH_PUNCTUATION = "，。！？；：“”‘’（）、《》【】…—～"
ASCII_PUNCTUATION = ",.!?;:'\"()[]-_/@#%&*+="
EMOJI = ["😀", "🎉", "👍", "❤", "🔥", "🐼"]
WHITESPACE = [" ", "\t", "\n", "\u3000", "  "]
FULL_WIDTH_LATIN = "ＡＢＣａｂｃ１２３"
# Typed into the text, these are real tokens (special_tokens_mask 0, offsets in the text) that share
# the special tokens' ids: "[PAD]" typed gives id 0 with attention_mask 1.
TYPED_SPECIAL_TOKENS = ["[CLS]", "[SEP]", "[PAD]", "[UNK]", "[MASK]"]


def per_model_run(ci_examples: int) -> settings:
    """Settings for a property that runs the model on every example: ``ci_examples`` under the
    thorough ``ci`` profile and as many in proportion under the others (the learner's quick profile
    runs a quarter as many), at least 2; a fixed example in the same file already discriminates.
    No shrinking: each shrink step runs the model again, which turns one found failure into a time-out
    (12 layers on one core), and these strategies draw small examples anyway."""
    ci = settings.get_profile("ci").max_examples
    return settings(max_examples=max(2, round(ci_examples * settings.default.max_examples / ci)),
                    phases=[Phase.explicit, Phase.reuse, Phase.generate])


@cache
def vocab_chinese_chars() -> tuple[str, ...]:
    """Single CJK characters that are tokens of bert-base-chinese's vocabulary."""
    from bertkata.source import resolve

    words = (resolve().path / "vocab.txt").read_text(encoding="utf-8").split("\n")
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


def pieces(typed_special_tokens: bool = False) -> st.SearchStrategy[str]:
    extra = [st.sampled_from(TYPED_SPECIAL_TOKENS)] if typed_special_tokens else []
    return st.one_of(
        *extra,
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


def mixed_sentences(max_pieces: int = 8, typed_special_tokens: bool = False) -> st.SearchStrategy[str]:
    """Sentences mixing Chinese, English in both cases, digits, punctuation of both widths,
    emoji, characters outside the vocabulary and whitespace; the empty string included.
    ``typed_special_tokens``: also "[SEP]", "[PAD]", ... typed into the text."""
    return st.lists(pieces(typed_special_tokens), min_size=0, max_size=max_pieces).map("".join)


def sentence_batches(min_size: int = 1, max_size: int = 8, sentences=None) -> st.SearchStrategy[list[str]]:
    """Batches of 1 to 8 sentences (mixed by default)."""
    return st.lists(sentences if sentences is not None else mixed_sentences(), min_size=min_size, max_size=max_size)


def sentence_pair_batches(min_size: int = 1, max_size: int = 6, firsts=None, seconds=None) -> st.SearchStrategy:
    """``(firsts, seconds)``: two lists of the same length, 1 to 6 by default, for ``tokenizer(firsts, seconds)``.
    The sentences are mixed (:func:`mixed_sentences`, empty strings included) unless ``firsts`` or ``seconds``
    give other strategies."""
    first = firsts if firsts is not None else mixed_sentences()
    second = seconds if seconds is not None else mixed_sentences()
    pairs = st.lists(st.tuples(first, second), min_size=min_size, max_size=max_size)
    return pairs.map(lambda ps: ([a for a, _ in ps], [b for _, b in ps]))


def long_sentences() -> st.SearchStrategy[str]:
    """Sentences of about 100 to 5000 tokens: a mixed piece and '我', repeated (past BERT's 512 positions)."""
    return st.tuples(mixed_sentences(4), st.integers(100, 700)).map(lambda p: (p[0] + "我") * p[1])


def chinese_batches(min_size: int = 1, max_size: int = 4) -> st.SearchStrategy[list[str]]:
    """Batches of Chinese-only sentences: every character is one token with a one-character span."""
    return st.lists(chinese_text(1, 12), min_size=min_size, max_size=max_size)


def masked_sentences(min_chars: int = 2, max_chars: int = 10, max_masks: int = 3) -> st.SearchStrategy[str]:
    """Chinese sentences (characters of the vocabulary) with 0 to ``max_masks`` "[MASK]" typed at drawn
    places, next to each other or at either end included; the tokenizer makes each one token."""

    @st.composite
    def draw_sentence(draw):
        chars = list(draw(chinese_text(min_chars, max_chars)))
        for _ in range(draw(st.integers(0, max_masks))):
            chars.insert(draw(st.integers(0, len(chars))), "[MASK]")
        return "".join(chars)

    return draw_sentence()


# ---------------------------------------------------------------- tensors (no model needed)
# torch is imported inside the strategies: importing it costs seconds, and exercises
# without tensors should not pay for it.

MASK_DTYPES = ("int64", "int32", "bool", "float32")
HIDDEN_DTYPES = ("float32", "float64")


def attention_masks(batch: int, seq_len: int, right_padded: bool | None = None,
                    dtypes=MASK_DTYPES) -> st.SearchStrategy:
    """``attention_mask`` tensors ``[batch, seq_len]`` of 0 and 1 with at least one 1 per row.

    ``right_padded=True``: each row is 1s then 0s, as the tokenizer pads.
    ``False``: any 0/1 pattern (zeros anywhere, as with left padding or masked spans).
    ``None``: either. The dtype is drawn from ``dtypes`` (names of torch dtypes):
    the tokenizer gives int64, but bool and float masks are common too.
    """

    @st.composite
    def draw_mask(draw):
        import torch

        padded = right_padded if right_padded is not None else draw(st.booleans())
        if padded:
            lengths = draw(st.lists(st.integers(1, seq_len), min_size=batch, max_size=batch))
            rows = [[1] * n + [0] * (seq_len - n) for n in lengths]
        else:
            row = st.lists(st.integers(0, 1), min_size=seq_len, max_size=seq_len).filter(any)
            rows = draw(st.lists(row, min_size=batch, max_size=batch))
        dtype = getattr(torch, draw(st.sampled_from(dtypes)))
        return torch.tensor(rows, dtype=torch.long).to(dtype)

    return draw_mask()


def hidden_states(max_batch: int = 4, max_seq_len: int = 6, max_hidden: int = 5,
                  dtypes=HIDDEN_DTYPES) -> st.SearchStrategy:
    """Small float tensors shaped like ``last_hidden_state`` ``[batch, seq_len, hidden]``,
    values in [-10, 10], dtype drawn from ``dtypes`` (names of torch dtypes)."""

    @st.composite
    def draw_states(draw):
        import torch

        b, s, h = (draw(st.integers(1, n)) for n in (max_batch, max_seq_len, max_hidden))
        values = draw(st.lists(st.floats(-10, 10, width=32), min_size=b * s * h, max_size=b * s * h))
        dtype = getattr(torch, draw(st.sampled_from(dtypes)))
        return torch.tensor(values, dtype=dtype).reshape(b, s, h)

    return draw_states()


def hidden_states_and_masks(max_batch: int = 4, max_seq_len: int = 6, max_hidden: int = 5,
                            right_padded: bool | None = None) -> st.SearchStrategy:
    """Pairs ``(last_hidden_state, attention_mask)`` of matching ``[batch, seq_len]``,
    drawn by :func:`hidden_states` and :func:`attention_masks`."""

    @st.composite
    def draw_pair(draw):
        hs = draw(hidden_states(max_batch, max_seq_len, max_hidden))
        return hs, draw(attention_masks(hs.shape[0], hs.shape[1], right_padded))

    return draw_pair()


def sparse_gradients(max_vocab: int = 40, max_hidden: int = 6) -> st.SearchStrategy:
    """float32 tensors ``[vocab, hidden]`` shaped like ``word_embeddings.weight.grad``:
    zero except in a drawn set of rows. A non-zero row may hold a single tiny entry,
    negative entries, or two entries that cancel (the row sums to 0 but is not zero)."""

    @st.composite
    def draw_grad(draw):
        import torch

        vocab, hidden = draw(st.integers(1, max_vocab)), draw(st.integers(2, max_hidden))
        grad = torch.zeros(vocab, hidden)
        nonzero = st.floats(-1e3, 1e3, width=32, allow_subnormal=False).filter(lambda x: x != 0)
        for row in draw(st.sets(st.integers(0, vocab - 1), max_size=vocab)):
            cols = draw(st.lists(st.integers(0, hidden - 1), min_size=1, max_size=hidden, unique=True))
            if len(cols) >= 2 and draw(st.booleans()):
                value = draw(nonzero)
                grad[row, cols[0]], grad[row, cols[1]] = value, -value
            else:
                for c in cols:
                    grad[row, c] = draw(nonzero)
        return grad

    return draw_grad()


def logits_and_labels(max_batch: int = 6, max_labels: int = 5) -> st.SearchStrategy:
    """Pairs ``(logits, labels)`` as a classifier makes them: float32 logits ``[batch, num_labels]`` with
    values in [-30, 30] (large enough that a softmax saturates) and int64 class indices ``[batch]`` in
    ``0 .. num_labels - 1``; ``num_labels`` >= 2."""

    @st.composite
    def draw_pair(draw):
        import torch

        b, k = draw(st.integers(1, max_batch)), draw(st.integers(2, max_labels))
        values = draw(st.lists(st.floats(-30, 30, width=32), min_size=b * k, max_size=b * k))
        labels = draw(st.lists(st.integers(0, k - 1), min_size=b, max_size=b))
        return torch.tensor(values, dtype=torch.float32).reshape(b, k), torch.tensor(labels, dtype=torch.long)

    return draw_pair()


# ---------------------------------------------------------------- long text (exercise 08)


def documents(max_pieces: int = 40) -> st.SearchStrategy[str]:
    """Documents of up to ``max_pieces`` mixed pieces (:func:`mixed_sentences`): long enough to need several
    windows of a small ``max_length``, with the empty document, whitespace and whole-word [UNK] among them."""
    return mixed_sentences(max_pieces=max_pieces)


def window_settings(max_max_length: int = 24) -> st.SearchStrategy[tuple[int, int]]:
    """``(max_length, stride)`` for ``return_overflowing_tokens=True``: ``max_length`` from 3 (room for
    [CLS], one token and [SEP]) to ``max_max_length``, ``stride`` (the overlap) from 0 to ``max_length - 3``."""
    return st.integers(3, max_max_length).flatmap(lambda n: st.tuples(st.just(n), st.integers(0, n - 3)))
