"""Exercise 01, pad a batch: checked against bert-base-chinese's own tokenizer and padding."""

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from bertkata.feedback import check, expect_error, expect_ids, expect_tensor, fail, summary, type_name
from bertkata.strategies import sentence_batches

SEED = ["我觉得不行", "我觉得其实还可以"]
SEED_IDS = [[101, 2769, 6230, 2533, 679, 6121, 102, 0, 0, 0],
            [101, 2769, 6230, 2533, 1071, 2141, 6820, 1377, 809, 102]]
SEED_MASK = [[1, 1, 1, 1, 1, 1, 1, 0, 0, 0], [1] * 10]
KEYS = ("input_ids", "token_type_ids", "attention_mask")


def diagnose(ids, mask, want_ids, want_mask, pad_id=0):
    """Name the padding mistake behind a mismatch, in a learner's words."""
    if ids.shape[1] == 512 and len(want_ids[0]) != 512:
        return ('every row was padded to 512 (padding="max_length" pads to model_max_length); '
                "use padding=True to pad to the longest sentence")
    if ids.shape[1] != len(want_ids[0]):
        return "the batch must be exactly as long as its longest sentence, [CLS] and [SEP] included"
    pads = [v for r, w in zip(ids.tolist(), want_mask) for v, m in zip(r, w) if m == 0]
    if pads and all(v == 100 for v in pads) and pad_id != 100:
        return "padded with [UNK] (100) instead of [PAD]: use the tokenizer's pad_token_id"
    if pads and all(v == -1 for v in pads):
        return "padded with -1: -1 is not a token id; pad with [PAD] (the tokenizer's pad_token_id)"
    if pads and any(v != pad_id for v in pads) and any(r[0] == pad_id for r in ids.tolist()):
        return "padding went on the left; BERT's tokenizer pads on the right (padding_side='right')"
    flipped = [[1 - m for m in r] for r in want_mask]
    if mask.tolist() == flipped:
        return "the attention_mask is inverted: 1 marks a real token, 0 marks [PAD]"
    if all(v == 1 for r in mask.tolist() for v in r) and any(0 in r for r in want_mask):
        return "the attention_mask is all ones: [PAD] positions must get 0 so attention ignores them"
    if pads and any(v != pad_id for v in pads):
        return f"padding positions must hold pad_token_id ({pad_id})"
    return None


def expect_padded(call, batch, want_ids, want_mask, decode, pad_id=0):
    """Check one padded batch: type, keys, tensors, dtype, ids, mask, token_type_ids."""
    check(hasattr(batch, "keys") and hasattr(batch, "__getitem__"), call, f"a {type_name(batch)}",
          "a transformers.BatchEncoding (a dict of tensors)")
    missing = [k for k in KEYS if k not in batch.keys()]
    check(not missing, call, f"keys {list(batch.keys())}", f"keys {list(KEYS)}",
          f"missing {missing}: bert-base-chinese's tokenizer returns all three")
    for k in KEYS:
        expect_tensor(f"{call}[{k!r}]", batch[k], dtype=torch.long,
                      mistakes={"type": 'ask for PyTorch tensors with return_tensors="pt" (a list is not a tensor)',
                                "dtype": "token ids and masks are integer (torch.long) tensors"})
    ids, mask = batch["input_ids"], batch["attention_mask"]
    shape = [len(want_ids), len(want_ids[0])]
    if list(ids.shape) != shape:
        fail(f"{call}['input_ids']", summary(ids), f"shape {shape}",
             diagnose(ids, mask, want_ids, want_mask, pad_id))
    expect_ids(f"{call}['input_ids']", ids.tolist(), want_ids, decode,
               diagnose(ids, mask, want_ids, want_mask, pad_id))
    check(mask.tolist() == [list(r) for r in want_mask], f"{call}['attention_mask']", summary(mask),
          f"{list(want_mask)}", diagnose(ids, mask, want_ids, want_mask, pad_id)
          or "attention_mask is 1 for each real token and 0 for each [PAD]")
    tt = batch["token_type_ids"]
    check(list(tt.shape) == shape and not tt.any(), f"{call}['token_type_ids']", summary(tt),
          f"zeros of shape {shape}", "one sentence per row is segment 0 everywhere, padding included")


# ---------------------------------------------------------------- tokenize_batch


def test_seed_batch_is_padded_to_the_longest(impl, tokenizer):
    """The seed pair: 7 and 10 tokens, so the shorter row ends in three [PAD] (0)."""
    call = f"tokenize_batch(tokenizer, {SEED})"
    expect_padded(call, impl.tokenize_batch(tokenizer, SEED), SEED_IDS, SEED_MASK,
                  tokenizer.convert_ids_to_tokens)


def test_returns_a_batch_encoding(impl, tokenizer):
    from transformers import BatchEncoding

    batch = impl.tokenize_batch(tokenizer, SEED)
    check(isinstance(batch, BatchEncoding), "tokenize_batch(tokenizer, SEED)", f"a {type_name(batch)}",
          "a transformers.BatchEncoding", "return what the tokenizer returns; it also keeps the Encodings")


def test_uppercase_latin_is_one_unk(impl, tokenizer):
    """bert-base-chinese does not lower-case, so 'Apple' and 'Hello' are one [UNK] (100) each.

    Reported in https://github.com/huggingface/transformers/issues/9286 and
    https://github.com/huggingface/transformers/issues/14990.
    """
    sentences = ["我用Apple手机", "我用apple手机", "Hello世界"]
    want = [[101, 2769, 4500, 100, 2797, 3322, 102], [101, 2769, 4500, 8350, 2797, 3322, 102],
            [101, 100, 686, 4518, 102, 0, 0]]
    mask = [[1] * 7, [1] * 7, [1] * 5 + [0, 0]]
    expect_padded(f"tokenize_batch(tokenizer, {sentences})", impl.tokenize_batch(tokenizer, sentences),
                  want, mask, tokenizer.convert_ids_to_tokens)


def test_whole_word_unk_and_full_width(impl, tokenizer):
    """'A', 'B' and 'AAA' all become one [UNK]; full-width forms keep their own ids (no NFKC).

    Reported in https://github.com/huggingface/transformers/issues/14990 and
    https://github.com/huggingface/tokenizers/issues/404.
    """
    sentences = ["A", "B", "AAA", "我在北京，ＡＢＣ ａｂｃ😀 test\t好"]
    long_ids = [101, 2769, 1762, 1266, 776, 8024, 100, 100, 10060, 1962, 102]
    want = [[101, 100, 102] + [0] * 8] * 3 + [long_ids]
    mask = [[1, 1, 1] + [0] * 8] * 3 + [[1] * 11]
    expect_padded(f"tokenize_batch(tokenizer, {sentences})", impl.tokenize_batch(tokenizer, sentences),
                  want, mask, tokenizer.convert_ids_to_tokens)


@given(batch=sentence_batches())
def test_matches_the_tokenizers_own_padding(impl, tokenizer, batch):
    """For any batch (Chinese, English in both cases, digits, punctuation, emoji, [UNK]s,
    whitespace, empty strings), the result equals the tokenizer's own padding."""
    ref = tokenizer(batch, padding=True, return_tensors="pt")
    expect_padded(f"tokenize_batch(tokenizer, {batch})", impl.tokenize_batch(tokenizer, batch),
                  ref["input_ids"].tolist(), ref["attention_mask"].tolist(), tokenizer.convert_ids_to_tokens)


# ---------------------------------------------------------------- pad_token_ids


def test_pad_by_hand_gives_the_seed_batch(impl, tokenizer):
    rows = [[101, 2769, 6230, 2533, 679, 6121, 102], [101, 2769, 6230, 2533, 1071, 2141, 6820, 1377, 809, 102]]
    expect_padded(f"pad_token_ids({rows}, 0)", impl.pad_token_ids(rows, 0), SEED_IDS, SEED_MASK,
                  tokenizer.convert_ids_to_tokens)


@given(batch=sentence_batches())
def test_pad_by_hand_matches_the_tokenizer(impl, tokenizer, batch):
    """Padding the unpadded ids by hand gives exactly what the tokenizer's padding gives."""
    rows = [tokenizer(s)["input_ids"] for s in batch]
    ref = tokenizer(batch, padding=True, return_tensors="pt")
    expect_padded(f"pad_token_ids({rows}, {tokenizer.pad_token_id})",
                  impl.pad_token_ids(rows, tokenizer.pad_token_id),
                  ref["input_ids"].tolist(), ref["attention_mask"].tolist(), tokenizer.convert_ids_to_tokens)


@given(rows=st.lists(st.lists(st.integers(1, 21127), min_size=1, max_size=12), min_size=1, max_size=8),
       pad=st.integers(0, 21127))
def test_pad_by_hand_uses_the_given_pad_id(impl, rows, pad):
    """Whatever pad id is asked for, padding positions hold it and the mask marks real tokens."""
    longest = max(map(len, rows))
    want = [r + [pad] * (longest - len(r)) for r in rows]
    mask = [[1] * len(r) + [0] * (longest - len(r)) for r in rows]
    expect_padded(f"pad_token_ids({rows}, {pad})", impl.pad_token_ids(rows, pad), want, mask, None, pad)


# ---------------------------------------------------------------- bad input


BAD_INPUT = [
    ("tokenize_batch", ([],), ValueError, "an empty batch"),
    ("tokenize_batch", ("我觉得不行",), TypeError, "a single str instead of a list"),
    ("tokenize_batch", (["我觉得不行", 3],), TypeError, "a sentence that is not a str"),
    ("tokenize_batch", (["我觉得不行", None],), TypeError, "a sentence that is None"),
    ("pad_token_ids", ([], 0), ValueError, "an empty batch"),
    ("pad_token_ids", ([[101, "我", 102]], 0), TypeError, "a token id that is a str"),
    ("pad_token_ids", ([[101, 102], [101, 1.5, 102]], 0), TypeError, "a ragged batch with a float id"),
    ("pad_token_ids", ([101, 102], 0), TypeError, "a flat list instead of a list of lists"),
]


@pytest.mark.parametrize("func,args,error,what", BAD_INPUT, ids=[b[3] for b in BAD_INPUT])
def test_bad_input_gets_a_clear_error(impl, tokenizer, func, args, error, what):
    """Bad input fails early with the right exception type and a message saying what was expected."""
    if func == "tokenize_batch":
        args = (tokenizer, *args)
    call = f"{func}({', '.join(repr(a) for a in args if a is not tokenizer)}) with {what}"
    expect_error(call, lambda: getattr(impl, func)(*args), error, "'sentences[1] is an int, expected a str'")
