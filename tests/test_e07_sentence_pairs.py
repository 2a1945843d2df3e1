"""Exercise 07, sentence pairs: checked against bert-base-chinese's own tokenizer (pairs, Encodings) and BertModel.

Expected rows are built at test time from each sentence's own tokens (``tokenizer(s,
add_special_tokens=False)``) laid out as ``[CLS] first [SEP] second [SEP]``, or taken from the
tokenizer's own pair call; the model's numbers come from BertModel at test time. Every call of the
learner's code goes through :func:`bertkata.calls.observe`, which also checks that the caller's lists,
batch, tokenizer and model come back as they were; the helpers that call it (:func:`encode`,
:func:`effect`, ...) take the learner's function wrapped by :func:`bertkata.calls.observing`. The cheap,
discriminating tests come first: the meta tests stop at the first failure. The tests come first, the
diagnosis helpers after them.
"""

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from transformers import BatchEncoding

from bertkata.calls import observe, observing
from bertkata.feedback import check, expect_ids, expect_tensor, fail, summary, type_name
from bertkata.i18n import T, say
from bertkata.strategies import chinese_text, mixed_sentences, sentence_pair_batches
from bertkata import seed

SEED = list(seed.SEED)
# The seed ids of DESIGN.md: 我觉得不行 is [101, 2769, 6230, 2533, 679, 6121, 102], 我觉得其实还可以 10 ids.
SEED_IDS = [[101, 2769, 6230, 2533, 679, 6121, 102], [101, 2769, 6230, 2533, 1071, 2141, 6820, 1377, 809, 102]]
# Two pairs of different lengths: row 0 is the seed pair (16 positions), row 1 is padded.
FIRSTS, SECONDS = [SEED[0], "你好"], [SEED[1], "今天天气"]
CLS, SEP, PAD, UNK = 101, 102, 0, 100
KEYS = ("input_ids", "token_type_ids", "attention_mask")
MAX_POSITIONS = 512
# The same float32 forward on the same batch agrees to rounding; a forward with other inputs
# (ones for token types, no mask, dropout on) moves the [CLS] vector by far more.
ATOL = 1e-4


# ---------------------------------------------------------------- encode_pairs


def test_the_seed_pair_is_one_row(impl, tokenizer):
    """encode_pairs(tokenizer, [我觉得不行], [我觉得其实还可以]) is one row: the first sentence's ids, [SEP], the
    second's, [SEP]; token_type_ids 0 on [CLS] first [SEP] and 1 on second [SEP] (16 positions: 7 of type 0, 9 of
    type 1). Built from DESIGN.md's seed ids.

    https://huggingface.co/docs/transformers/glossary#token-type-ids
    """
    encode_pairs = observing(impl.encode_pairs)
    want_ids = [SEED_IDS[0] + SEED_IDS[1][1:]]
    want_types = [[0] * 7 + [1] * 9]
    # what the two wrong calls give: a batch of two single sentences, and one sentence with no [SEP] between
    assert tokenizer(SEED)["input_ids"] == SEED_IDS and not any(map(any, tokenizer(SEED)["token_type_ids"]))
    assert tokenizer(SEED[0] + SEED[1])["input_ids"] == SEED_IDS[0][:-1] + SEED_IDS[1][1:]
    text = f"encode_pairs(tokenizer, [{SEED[0]!r}], [{SEED[1]!r}])"
    batch = encode(encode_pairs, tokenizer, [SEED[0]], [SEED[1]], text)
    expect_pair_batch(text, batch, tokenizer, [SEED[0]], [SEED[1]], want_ids, want_types, [[1] * 16])


def test_a_batch_of_pairs_is_padded(impl, tokenizer):
    """Two pairs of different lengths: one row per pair, the shorter padded with [PAD] (0), whose
    token_type_ids and attention_mask are 0.

    https://github.com/huggingface/transformers/issues/995 (padding gets token type 0, not 1);
    https://github.com/huggingface/tokenizers/issues/1531 (two lists, one of firsts and one of seconds)
    """
    encode_pairs = observing(impl.encode_pairs)
    ids, types, mask = pair_rows(tokenizer, FIRSTS, SECONDS)
    text = f"encode_pairs(tokenizer, {FIRSTS}, {SECONDS})"
    expect_pair_batch(text, encode(encode_pairs, tokenizer, FIRSTS, SECONDS, text), tokenizer, FIRSTS, SECONDS,
                      ids, types, mask)


def test_an_empty_sentence_is_still_a_sentence(impl, tokenizer):
    """("你好", "") is [CLS] 你 好 [SEP] [SEP]: the empty second sentence keeps its [SEP] and type 1. A single
    call tokenizer("你好", "") drops it (the pair is taken as one sentence when the second is falsy), so
    tokenizing pair by pair and padding afterwards loses it; the batch call keeps it.

    https://github.com/huggingface/transformers/pull/37537
    """
    encode_pairs = observing(impl.encode_pairs)
    firsts, seconds = ["你好", "", ""], ["", "你好", ""]
    ids, types, mask = pair_rows(tokenizer, firsts, seconds)
    assert ids[0][:5] == [CLS, 872, 1962, SEP, SEP] and types[0][:5] == [0, 0, 0, 0, 1]
    text = f"encode_pairs(tokenizer, {firsts}, {seconds})"
    expect_pair_batch(text, encode(encode_pairs, tokenizer, firsts, seconds, text), tokenizer, firsts, seconds,
                      ids, types, mask)


def test_uppercase_latin_stays_unk(impl, tokenizer):
    """bert-base-chinese does not lower-case: "Hello" and "Apple" are one [UNK] (100) each, in either sentence.

    Case C01: https://github.com/huggingface/transformers/issues/9286
    """
    encode_pairs = observing(impl.encode_pairs)
    firsts, seconds = ["Hello"], ["我用Apple手机"]
    ids, types, mask = pair_rows(tokenizer, firsts, seconds)
    assert ids == [[CLS, UNK, SEP, 2769, 4500, UNK, 2797, 3322, SEP]]
    text = f"encode_pairs(tokenizer, {firsts}, {seconds})"
    expect_pair_batch(text, encode(encode_pairs, tokenizer, firsts, seconds, text), tokenizer, firsts, seconds,
                      ids, types, mask)


def test_long_pairs_are_cut_longest_first(impl, tokenizer):
    """A pair past 512 positions is cut to 512 as truncation=True ("longest_first") cuts it: tokens come off
    the longer sentence, whichever it is, and both keep their [SEP]. truncation="only_second" (or
    "only_first") raises when the sentence it may cut is the short one.

    https://github.com/huggingface/transformers/pull/5472 (pair truncation should be longest first)
    """
    encode_pairs = observing(impl.encode_pairs)
    firsts, seconds = ["我" * 600, "你好" * 5, "你" * 300], ["你好" * 5, "我" * 600, "我" * 300]
    text = 'encode_pairs(tokenizer, ["我" * 600, "你好" * 5, "你" * 300], ["你好" * 5, "我" * 600, "我" * 300])'
    ref = tokenizer(firsts, seconds, padding=True, truncation="longest_first", max_length=MAX_POSITIONS)
    rows = ref["input_ids"]
    assert all(len(r) == MAX_POSITIONS and r[-1] == SEP and r.count(SEP) == 2 for r in rows)
    assert rows[0][-12:] == [SEP] + [872, 1962] * 5 + [SEP]  # the short second sentence is whole
    expect_pair_batch(text, encode(encode_pairs, tokenizer, firsts, seconds, text), tokenizer, firsts, seconds,
                      rows, ref["token_type_ids"], ref["attention_mask"])


TYPED = mixed_sentences(typed_special_tokens=True)


@given(pairs=sentence_pair_batches(firsts=TYPED, seconds=TYPED))
def test_matches_the_tokenizers_own_pairs(impl, tokenizer, pairs):
    """For any batch of pairs (Chinese, English in both cases, digits, punctuation, emoji, "[SEP]" typed into
    the text, whitespace, empty strings), the result equals tokenizer(firsts, seconds, padding=True,
    truncation=True), and each row's Encoding knows its two sentences (n_sequences 2, sequence_ids)."""
    encode_pairs = observing(impl.encode_pairs)
    firsts, seconds = pairs
    ref = tokenizer(firsts, seconds, padding=True, truncation=True)
    text = f"encode_pairs(tokenizer, {firsts}, {seconds})"
    batch = encode(encode_pairs, tokenizer, firsts, seconds, text)
    expect_pair_batch(text, batch, tokenizer, firsts, seconds, ref["input_ids"], ref["token_type_ids"],
                      ref["attention_mask"])
    expect_encodings(text, batch, ref)


def test_swapping_the_sentences_changes_the_cls_vector(impl, model, tokenizer):
    """The model reads the learner's batch as the pair it is: its [CLS] vector equals the one for the
    tokenizer's own pair batch, and differs when the two sentences are swapped (the types say which is which).

    https://github.com/huggingface/transformers/issues/2506 (token types change BertModel's output)
    """
    encode_pairs = observing(impl.encode_pairs)
    vectors = []
    for a, b in ((SEED[0], SEED[1]), (SEED[1], SEED[0])):
        text = f"encode_pairs(tokenizer, [{a!r}], [{b!r}])"
        batch = encode(encode_pairs, tokenizer, [a], [b], text)
        ids, types, mask = pair_rows(tokenizer, [a], [b])
        expect_pair_batch(text, batch, tokenizer, [a], [b], ids, types, mask)
        got, want = cls_vector(model, batch), cls_vector(model, tokenizer([a], [b], return_tensors="pt"))
        check(torch.allclose(got, want, atol=ATOL), say(f"model(**{text}).last_hidden_state[:, 0]",
                                                        f"model(**{text}).last_hidden_state[:, 0]"),
              summary(got), T("the [CLS] vector of the tokenizer's own pair batch", "分词器自己的句对批次的 [CLS] 向量"),
              T("pass the tokenizer's batch as it is", "原样返回分词器给出的批次"))
        vectors.append(got)
    assert (vectors[0] - vectors[1]).abs().max() > 100 * ATOL  # a fact of the model: order matters


BAD_PAIRS = [
    ("我觉得不行", ["我觉得其实还可以"], TypeError, T("a single str as firsts", "firsts 是单个 str"),
     T("'firsts must be a list of str, not a single str'", "'firsts 必须是 str 的列表，不能是单个 str'")),
    (["我觉得不行"], "我觉得其实还可以", TypeError, T("a single str as seconds", "seconds 是单个 str"),
     T("'seconds must be a list of str, not a single str'", "'seconds 必须是 str 的列表，不能是单个 str'")),
    (["我觉得不行", 3], ["a", "b"], TypeError, T("a sentence that is not a str", "不是 str 的句子"),
     T("'firsts[1] is an int, expected a str'", "'firsts[1] 是 int，应为 str'")),
    (["我觉得不行"], [None], TypeError, T("a second sentence that is None", "第二句为 None"),
     T("'seconds[0] is a NoneType, expected a str'", "'seconds[0] 是 NoneType，应为 str'")),
    ([], [], ValueError, T("no pairs", "没有句对"), T("'firsts is empty: pass at least one pair'",
                                                     "'firsts 为空：至少传入一个句对'")),
    (["我觉得不行", "你好"], ["我觉得其实还可以"], ValueError, T("lists of different lengths", "两个列表长度不同"),
     T("'firsts has 2 sentences and seconds 1: they must be as long'", "'firsts 有 2 句而 seconds 有 1 句：两者必须一样长'")),
]


@pytest.mark.parametrize("firsts,seconds,error,what,example", BAD_PAIRS, ids=[b[3].en for b in BAD_PAIRS])
def test_bad_pairs_get_a_clear_error(impl, tokenizer, firsts, seconds, error, what, example):
    """Bad input fails early with the documented exception and a message saying what was expected: the
    tokenizer itself would read a single str as one sentence, and silently pair lists of different lengths
    only as far as the shorter one goes."""
    rec = observe(f"encode_pairs(tokenizer, {firsts!r}, {seconds!r})  # {what}", impl.encode_pairs, tokenizer,
                  firsts, seconds, tokenizer=tokenizer)
    rec.expect_error(error, example)
    rec.expect_no_side_effects(modes=False, flags=False)


# ---------------------------------------------------------------- sequence_ids_at


def test_sequence_ids_of_a_padded_pair(impl, tokenizer):
    """Row 1 of the tokenizer's pair batch, [CLS] 你 好 [SEP] 今 天 天 气 [SEP] [PAD]...: None, 0, 0, None, 1, 1, 1,
    1, None, then None for every [PAD]: [CLS], [SEP] and [PAD] belong to neither sentence. token_type_ids say
    0 for [CLS], the first [SEP] and [PAD], and 1 for the last [SEP]."""
    sequence_ids_at = observing(impl.sequence_ids_at)
    batch = pair_batch(tokenizer, FIRSTS, SECONDS)
    width = batch["input_ids"].shape[1]
    want = [None, 0, 0, None, 1, 1, 1, 1, None] + [None] * (width - 9)
    for i in (1, -1):
        text = f"sequence_ids_at(tokenizer({FIRSTS}, {SECONDS}, padding=True, return_tensors='pt'), {i})"
        got = sequence_ids(sequence_ids_at, batch, i, text)
        check(got == want, text, summary(got), str(want), ids_diagnosis(got, batch, 1, tokenizer))


def test_a_typed_sep_belongs_to_its_sentence(impl, tokenizer):
    """"[SEP]" typed into the first sentence is a token of that sentence (sequence id 0) with the id 102: only
    the Encoding tells it from the real [SEP]."""
    sequence_ids_at = observing(impl.sequence_ids_at)
    batch = pair_batch(tokenizer, ["你好[SEP]今天"], ["明天"])
    assert batch["input_ids"][0].tolist().count(SEP) == 3
    text = "sequence_ids_at(tokenizer(['你好[SEP]今天'], ['明天'], padding=True, return_tensors='pt'), 0)"
    got = sequence_ids(sequence_ids_at, batch, 0, text)
    want = [None, 0, 0, 0, 0, 0, None, 1, 1, None]
    check(got == want, text, summary(got), str(want), ids_diagnosis(got, batch, 0, tokenizer))


def test_single_sentences_are_all_sequence_0(impl, tokenizer):
    """In a batch of single sentences every real token is sequence 0; [CLS], [SEP] and [PAD] are None."""
    sequence_ids_at = observing(impl.sequence_ids_at)
    batch = tokenizer(SEED, padding=True, return_tensors="pt")
    text = f"sequence_ids_at(tokenizer({SEED}, padding=True, return_tensors='pt'), 0)"
    got = sequence_ids(sequence_ids_at, batch, 0, text)
    want = [None, 0, 0, 0, 0, 0, None, None, None, None]
    check(got == want, text, summary(got), str(want), ids_diagnosis(got, batch, 0, tokenizer))


@given(pairs=sentence_pair_batches(firsts=TYPED), data=st.data())
def test_sequence_ids_match_the_encodings(impl, tokenizer, pairs, data):
    """For any padded batch of pairs and any row i (negative too), the result is batch[i].sequence_ids."""
    sequence_ids_at = observing(impl.sequence_ids_at)
    firsts, seconds = pairs
    batch = pair_batch(tokenizer, firsts, seconds)
    i = data.draw(st.integers(-len(firsts), len(firsts) - 1), label="i")
    text = f"sequence_ids_at(tokenizer({firsts}, {seconds}, ...), {i})"
    got = sequence_ids(sequence_ids_at, batch, i, text)
    want = list(batch[i].sequence_ids)
    check(got == want, text, summary(got), str(want), ids_diagnosis(got, batch, i % len(firsts), tokenizer))


def test_sequence_ids_of_a_batch_of_lists(impl, tokenizer):
    """A batch tokenized without return_tensors (lists, not padded) keeps the same Encodings: the same
    sequence ids."""
    sequence_ids_at = observing(impl.sequence_ids_at)
    batch = tokenizer(FIRSTS, SECONDS)
    assert isinstance(batch["input_ids"], list) and len(batch["input_ids"][1]) == 9
    text = f"sequence_ids_at(tokenizer({FIRSTS}, {SECONDS}), 1)"
    got = sequence_ids(sequence_ids_at, batch, 1, text)
    want = [None, 0, 0, None, 1, 1, 1, 1, None]
    check(got == want, text, summary(got), str(want), ids_diagnosis(got, batch, 1, tokenizer))


# ---------------------------------------------------------------- sep_positions


def test_sep_positions_of_the_docstring_example(impl, tokenizer):
    """[CLS] 你 好 [SEP] 今 天 天 气 很 好 [SEP]: the two [SEP] are at 3 and 10 (the docstring's example)."""
    sep_positions = observing(impl.sep_positions)
    batch = pair_batch(tokenizer, ["你好"], ["今天天气很好"])
    assert batch["input_ids"][0].tolist()[3] == SEP and batch["input_ids"][0].tolist()[10] == SEP
    text = "sep_positions(encode_pairs(tokenizer, ['你好'], ['今天天气很好']), 0)"
    expect_seps(text, seps(sep_positions, batch, 0, text), (3, 10), batch, 0)


def test_sep_positions_in_a_padded_row(impl, tokenizer):
    """Row 1 of the padded pair batch: the last [SEP] is at 8, followed by [PAD]; it is not the row's end."""
    sep_positions = observing(impl.sep_positions)
    batch = pair_batch(tokenizer, FIRSTS, SECONDS)
    first, second = sep_reference(batch, 1)
    assert (first, second) == (3, 8) and batch["input_ids"].shape[1] > second + 1
    for i in (1, -1):
        text = f"sep_positions(encode_pairs(tokenizer, {FIRSTS}, {SECONDS}), {i})"
        expect_seps(text, seps(sep_positions, batch, i, text), (first, second), batch, 1)


def test_a_typed_sep_is_not_a_separator(impl, tokenizer):
    """"[SEP]" typed into the first sentence has the id 102 but is a token of that sentence: the separators
    are at 6 and 9, not 3."""
    sep_positions = observing(impl.sep_positions)
    batch = pair_batch(tokenizer, ["你好[SEP]今天"], ["明天"])
    text = "sep_positions(encode_pairs(tokenizer, ['你好[SEP]今天'], ['明天']), 0)"
    expect_seps(text, seps(sep_positions, batch, 0, text), (6, 9), batch, 0)


def test_sep_positions_with_empty_sentences(impl, tokenizer):
    """With an empty second sentence the two [SEP] are neighbours; with an empty first one the first [SEP]
    follows [CLS]."""
    sep_positions = observing(impl.sep_positions)
    batch = pair_batch(tokenizer, ["你好", "", ""], ["", "你好", ""])
    for i, want in ((0, (3, 4)), (1, (1, 4)), (2, (1, 2))):
        text = f"sep_positions(encode_pairs(tokenizer, ['你好', '', ''], ['', '你好', '']), {i})"
        expect_seps(text, seps(sep_positions, batch, i, text), want, batch, i)


@given(pairs=sentence_pair_batches(max_size=4, firsts=TYPED, seconds=chinese_text(0, 6)), data=st.data())
def test_sep_positions_match_the_encodings(impl, tokenizer, pairs, data):
    """For any padded batch of pairs, the two positions whose sequence_ids close sentence 0 and sentence 1."""
    sep_positions = observing(impl.sep_positions)
    firsts, seconds = pairs
    batch = pair_batch(tokenizer, firsts, seconds)
    i = data.draw(st.integers(-len(firsts), len(firsts) - 1), label="i")
    text = f"sep_positions(encode_pairs(tokenizer, {firsts}, {seconds}), {i})"
    expect_seps(text, seps(sep_positions, batch, i, text), sep_reference(batch, i % len(firsts)), batch, i % len(firsts))


def test_sep_positions_in_a_batch_of_lists(impl, tokenizer):
    """A batch tokenized without return_tensors (lists, not padded): the same [SEP] positions."""
    batch = tokenizer(FIRSTS, SECONDS)
    assert isinstance(batch["input_ids"], list)
    text = f"sep_positions(tokenizer({FIRSTS}, {SECONDS}), 1)"
    rec = observe(text, impl.sep_positions, batch, 1)
    got = rec.result(default=T("the batch may hold lists (no return_tensors): read the row's Encoding, batch[i], "
                               "which is the same either way",
                               "批次里可能是列表（没有 return_tensors）：读取这一行的 Encoding，即 batch[i]，两种情况下它都一样"))
    rec.expect_inputs_unchanged()
    expect_seps(text, got, (3, 8), batch, 1)


BAD_ROWS = [
    ("sequence_ids_at", "dict", 0, TypeError, T("a plain dict, which keeps no Encodings", "普通 dict，不含 Encoding"),
     T("'a dict without Encodings: pass the tokenizer's BatchEncoding'", "'dict 不含 Encoding：请传入分词器返回的 BatchEncoding'")),
    ("sequence_ids_at", "pairs", 2, IndexError, T("a row past the end", "超出末尾的行"),
     T("'i=2 is out of range: the batch has 2 rows'", "'i=2 超出范围：批次只有 2 行'")),
    ("sequence_ids_at", "pairs", "0", TypeError, T("a str index", "str 下标"),
     T("\"i is '0' (str), expected an int\"", "\"i 是 '0'（str），应为 int\"")),
    ("sep_positions", "pairs", True, TypeError, T("i=True, a bool", "i=True，一个 bool"),
     T("\"i is True (bool), expected an int\"", "\"i 是 True（bool），应为 int\"")),
    ("sep_positions", "pairs", -3, IndexError, T("a row before the start", "超出开头的行"),
     T("'i=-3 is out of range: the batch has 2 rows'", "'i=-3 超出范围：批次只有 2 行'")),
    ("sep_positions", "dict", 0, TypeError, T("a plain dict, which keeps no Encodings", "普通 dict，不含 Encoding"),
     T("'a dict without Encodings: pass the tokenizer's BatchEncoding'", "'dict 不含 Encoding：请传入分词器返回的 BatchEncoding'")),
    ("sep_positions", "singles", 0, ValueError, T("a single sentence, not a pair", "单句而不是句对"),
     T("'row 0 is a single sentence, not a pair'", "'第 0 行是单句，不是句对'")),
]


@pytest.mark.parametrize("func,kind,i,error,what,example", BAD_ROWS, ids=[f"{b[0]} {b[4].en}" for b in BAD_ROWS])
def test_bad_rows_get_a_clear_error(impl, tokenizer, func, kind, i, error, what, example):
    """A batch without Encodings and a bad row index fail with the documented exception; so does asking for
    the [SEP] of a pair in a batch of single sentences."""
    batch = tokenizer(SEED, padding=True, return_tensors="pt") if kind == "singles" else pair_batch(
        tokenizer, FIRSTS, SECONDS)
    batch = dict(batch) if kind == "dict" else batch
    shown = {"dict": say("dict(pair batch)", "dict(句对批次)"), "pairs": say("pair batch", "句对批次"),
             "singles": f"tokenizer({SEED}, padding=True, return_tensors='pt')"}[kind]
    rec = observe(f"{func}({shown}, {i!r})  # {what}", getattr(impl, func), batch, i)
    rec.expect_error(error, example)
    rec.expect_no_side_effects(modes=False, flags=False)


# ---------------------------------------------------------------- token_type_effect


def test_a_pair_has_an_effect(impl, model, tokenizer):
    """For the pair batch, the largest |Δ| between the [CLS] vectors with the batch's token_type_ids and with
    zeros (what BertModel uses when none are passed), computed with the model at test time.

    https://github.com/huggingface/transformers/issues/263 (pairs run without token_type_ids)
    """
    token_type_effect = observing(impl.token_type_effect)
    batch = pair_batch(tokenizer, FIRSTS, SECONDS)
    want = reference_effect(model, batch)
    assert want > 100 * ATOL  # a fact of the model: the second sentence's type changes [CLS]
    without = {k: v for k, v in batch.items() if k != "token_type_ids"}
    assert torch.equal(cls_vector(model, without), cls_vector(model, {**batch, "token_type_ids": 0 * batch[
        "token_type_ids"]}))  # BertModel without token_type_ids uses zeros
    text = f"token_type_effect(model, encode_pairs(tokenizer, {FIRSTS}, {SECONDS}))"
    got = effect(token_type_effect, model, batch, text)
    expect_effect(text, got, want, lambda: effect_diagnosis(model, batch, got))


def test_the_effect_is_the_largest_change_whichever_its_sign(impl, model, tokenizer):
    """A pair whose [CLS] entry that changes most goes down (the first of a few, chosen with the model at test
    time): the effect is max |Δ|, not the largest signed difference, which is smaller there."""
    token_type_effect = observing(impl.token_type_effect)
    for first, second in (("你好", "今天天气"), ("你好", ""), ("今天天气", "你好"), (SEED[1], SEED[0])):
        batch = pair_batch(tokenizer, [first], [second])
        want = reference_effect(model, batch)
        zeros = {**batch, "token_type_ids": torch.zeros_like(batch["token_type_ids"])}
        if (cls_vector(model, batch) - cls_vector(model, zeros)).max().item() < want - 100 * ATOL:
            break
    else:
        raise AssertionError("no pair's largest [CLS] change is a decrease")  # a fact of the model, checked
    text = f"token_type_effect(model, encode_pairs(tokenizer, [{first!r}], [{second!r}]))"
    got = effect(token_type_effect, model, batch, text)
    expect_effect(text, got, want, lambda: effect_diagnosis(model, batch, got))


def test_single_sentences_have_no_effect(impl, model, tokenizer):
    """A batch of single sentences has token_type_ids all 0 already: the effect is exactly 0.0."""
    token_type_effect = observing(impl.token_type_effect)
    batch = tokenizer(SEED, padding=True, return_tensors="pt")
    text = f"token_type_effect(model, tokenizer({SEED}, padding=True, return_tensors='pt'))"
    got = effect(token_type_effect, model, batch, text)
    expect_effect(text, got, 0.0, lambda: effect_diagnosis(model, batch, got), atol=0.0)


def test_a_training_model_keeps_its_mode(impl, model, tokenizer):
    """Called while fine-tuning (model.train()), the forwards still run in eval mode (dropout off, so the
    value is the eval one) and the model is left in train mode, every submodule.

    Case C12: https://github.com/huggingface/transformers/issues/9039
    """
    token_type_effect = observing(impl.token_type_effect)
    batch = pair_batch(tokenizer, [SEED[0]], [SEED[1]])
    want = reference_effect(model, batch)
    model.train()
    text = f"model.train(); token_type_effect(model, encode_pairs(tokenizer, [{SEED[0]!r}], [{SEED[1]!r}]))"
    got = effect(token_type_effect, model, batch, text)
    expect_effect(text, got, want, lambda: effect_diagnosis(model, batch, got))


def test_no_token_type_ids_is_a_key_error(impl, model, tokenizer):
    """A batch tokenized with return_token_type_ids=False has nothing to compare: KeyError naming token_type_ids."""
    batch = tokenizer([SEED[0]], [SEED[1]], return_tensors="pt", return_token_type_ids=False)
    text = (f"token_type_effect(model, tokenizer([{SEED[0]!r}], [{SEED[1]!r}], return_tensors='pt', "
            "return_token_type_ids=False))")
    rec = observe(text, impl.token_type_effect, model, batch, model=model, grads=True)
    rec.expect_error(KeyError, T("'batch has no token_type_ids'", "'批次中没有 token_type_ids'"), "token_type_ids",
                     T("without token_type_ids the model uses zeros for both forwards, so the effect would be 0.0 "
                       "for any pair: check 'token_type_ids' in batch and raise KeyError",
                       "没有 token_type_ids 时，两次前向计算模型都用全 0，任何句对的结果都会是 0.0："
                       "检查 'token_type_ids' in batch，没有就抛出 KeyError"))
    rec.expect_no_side_effects(grads=True)


def test_a_list_is_a_type_error(impl, model, tokenizer):
    """Ids as a list of lists are not a batch: TypeError saying what to pass."""
    ids = tokenizer([SEED[0]], [SEED[1]])["input_ids"]
    rec = observe(f"token_type_effect(model, {ids})", impl.token_type_effect, model, ids, model=model)
    rec.expect_error(TypeError, T("'batch must be a mapping holding an input_ids tensor'",
                                  "'batch 必须是含 input_ids 张量的映射'"))
    rec.expect_no_side_effects()


# ================================================================ calling the learner's code


def encode(encode_pairs, tokenizer, firsts, seconds, text):
    """encode_pairs(tokenizer, firsts, seconds), observed: copies of the lists go in, and the lists and the
    tokenizer's settings must come back as they were."""
    rec = encode_pairs(text, tokenizer, list(firsts), list(seconds), tokenizer=tokenizer)
    value = rec.result(mistakes=[("Truncation error", ONLY_ONE), ("truncate", ONLY_ONE), ("TextEncodeInput", TRANSPOSED)])
    rec.expect_inputs_unchanged()
    rec.expect_tokenizer_kept()
    return value


def sequence_ids(sequence_ids_at, batch, i, text):
    rec = sequence_ids_at(text, batch, i)
    value = rec.result()
    rec.expect_inputs_unchanged()
    return value


def seps(sep_positions, batch, i, text):
    rec = sep_positions(text, batch, i)
    typed = row_of(batch, "input_ids", i).count(SEP) > 2  # "[SEP]" typed into a sentence
    value = rec.result(default=TYPED_SEP if typed else None)
    rec.expect_inputs_unchanged()
    return value


TYPED_SEP = T("this row is a valid pair: '[SEP]' typed into a sentence is a real token of that sentence with the id "
              "102, so a row can hold more than two 102s; find the two separators in the Encoding "
              "(special_tokens_mask, sequence_ids) instead of counting ids",
              "这一行是合法的句对：句子里直接写的 '[SEP]' 是这句话中的真实 token，id 也是 102，所以一行里可以有"
              "不止两个 102；应在 Encoding 中找这两个分隔符（special_tokens_mask、sequence_ids），不要数 id")


def effect(token_type_effect, model, batch, text):
    """token_type_effect(model, batch), observed: the forwards ran in eval mode; the batch, grad mode, every
    submodule's mode, the requires_grad flags and the gradients are as the caller left them."""
    rec = token_type_effect(text, model, batch, model=model, grads=True)
    value = rec.result()
    rec.expect_inputs_unchanged(T("the caller's batch was changed: build the zero token_type_ids in a new dict "
                                  "({**batch, 'token_type_ids': torch.zeros_like(...)}), never in the batch",
                                  "调用者的批次被改动了：把全 0 的 token_type_ids 放进一个新字典"
                                  "（{**batch, 'token_type_ids': torch.zeros_like(...)}），不要改批次本身"))
    rec.expect_grad_mode_kept()
    rec.expect_forward_mode(False, DROPOUT)
    rec.expect_modes_kept()
    rec.expect_flags_kept()
    rec.expect_grads_kept(T("the forwards built a graph and something called backward(): compare the vectors "
                            "inside `with torch.no_grad():`",
                            "前向计算建立了计算图，并且有东西调用了 backward()：在 `with torch.no_grad():` 中比较这些向量"))
    return value


# ================================================================ references (the library, at test time)


def pair_batch(tokenizer, firsts, seconds):
    """The tokenizer's own padded pair batch, as encode_pairs documents it."""
    return tokenizer(firsts, seconds, padding=True, truncation=True, return_tensors="pt")


def pair_rows(tokenizer, firsts, seconds):
    """(input_ids, token_type_ids, attention_mask) as lists, laid out from each sentence's own tokens:
    [CLS] first [SEP] second [SEP] (types 0 ... 0, 1 ... 1), then [PAD] with type 0 and mask 0."""
    rows = []
    for a, b in zip(firsts, seconds):
        ta = tokenizer(a, add_special_tokens=False)["input_ids"]
        tb = tokenizer(b, add_special_tokens=False)["input_ids"]
        rows.append(([CLS] + ta + [SEP] + tb + [SEP], [0] * (len(ta) + 2) + [1] * (len(tb) + 1)))
    width = max(len(ids) for ids, _ in rows)
    pad = [width - len(ids) for ids, _ in rows]
    return ([ids + [PAD] * p for (ids, _), p in zip(rows, pad)], [t + [0] * p for (_, t), p in zip(rows, pad)],
            [[1] * len(ids) + [0] * p for (ids, _), p in zip(rows, pad)])


def sep_reference(batch, i):
    """The two separators of row i, where its sequence ids close sentence 0 and sentence 1: the [SEP] after
    the last position of sequence 0 (or right after [CLS] when the first sentence is empty), and the last
    real position."""
    seq, mask = list(batch[i].sequence_ids), row_of(batch, "attention_mask", i)
    last = max(t for t, m in enumerate(mask) if m)
    zeros = [t for t, s in enumerate(seq) if s == 0]
    return (zeros[-1] + 1 if zeros else 1, last)


def row_of(batch, key, i):
    """Row i of batch[key] as a list, from a tensor or from lists."""
    row = batch[key][i]
    return row.tolist() if isinstance(row, torch.Tensor) else list(row)


def cls_vector(model, batch):
    with torch.no_grad():
        return model(**batch).last_hidden_state[:, 0].clone()


def reference_effect(model, batch):
    zeros = {**batch, "token_type_ids": torch.zeros_like(batch["token_type_ids"])}
    return (cls_vector(model, batch) - cls_vector(model, zeros)).abs().max().item()


# ================================================================ checking and diagnosing


ONLY_ONE = T("truncation='only_second' (or 'only_first') cuts one sentence only, and raises when that one is too "
             "short to take the cut; truncation=True ('longest_first') takes tokens from the longer sentence",
             "truncation='only_second'（或 'only_first'）只截其中一句，而那一句太短、截不够时就会报错；"
             "truncation=True（即 'longest_first'）从较长的那一句里去掉 token")
SINGLES = T("{n} rows for {k} pairs: a list of sentences is a batch of single sentences (tokenizer(firsts + seconds) "
            "or tokenizer([first, second])); pass the two lists as two arguments, tokenizer(firsts, seconds)",
            "{k} 个句对却有 {n} 行：句子列表会被当成一批单句（tokenizer(firsts + seconds) 或 "
            "tokenizer([first, second])）；要把两个列表作为两个参数传入，tokenizer(firsts, seconds)")
CONCAT = T("no [SEP] between the two sentences: tokenizer(first + second) reads them as one sentence; pass them as "
           "two arguments, tokenizer(firsts, seconds)",
           "两句之间没有 [SEP]：tokenizer(first + second) 把两句当成了一句；应作为两个参数传入，tokenizer(firsts, seconds)")
SEP_STRING = T("'[SEP]' written into one string (or token_type_ids made with zeros) gives the right ids but "
               "token_type_ids all 0: the model reads one sentence; pass the two sentences as two arguments, "
               "tokenizer(firsts, seconds), and keep the token_type_ids it makes",
               "把 '[SEP]' 写进一个字符串（或用全 0 构造 token_type_ids），id 是对的，但 token_type_ids 全为 0："
               "模型读到的是一句话；应把两句作为两个参数传入，tokenizer(firsts, seconds)，并保留它生成的 token_type_ids")
TRANSPOSED = T("tokenizer([firsts, seconds]) reads each inner list as one pair, (firsts[0], firsts[1]): pass the "
               "lists as two arguments, tokenizer(firsts, seconds), or the pairs as list(zip(firsts, seconds))",
               "tokenizer([firsts, seconds]) 把每个内层列表当成一个句对，即 (firsts[0], firsts[1])：应把两个列表作为"
               "两个参数传入，tokenizer(firsts, seconds)，或传入句对列表 list(zip(firsts, seconds))")
SWAPPED = T("the sentences are swapped: the first argument is the first sentence, type 0, tokenizer(firsts, seconds)",
            "两句的顺序反了：第一个参数是第一句（类型 0），tokenizer(firsts, seconds)")
LOWER = T("the text was lower-cased: bert-base-chinese does not lower-case (do_lower_case is False), so 'Apple' "
          "is one [UNK]; pass the sentences as they are",
          "文本被转成了小写：bert-base-chinese 不做小写转换（do_lower_case 为 False），所以 'Apple' 是一个 [UNK]；"
          "原样传入句子")
LOOP = T("an empty sentence lost its [SEP]: tokenizer(first, '') pair by pair reads '' as no second sentence; "
         "tokenize the whole batch at once, tokenizer(firsts, seconds, padding=True, ...)",
         "空句子丢掉了它的 [SEP]：逐对调用 tokenizer(first, '') 时，'' 被当作没有第二句；"
         "应一次对整个批次分词，tokenizer(firsts, seconds, padding=True, ...)")
PAD_TYPE = T("[PAD] positions got token type 1: padding is type 0 (the tokenizer's pad_token_type_id); let the "
             "tokenizer make token_type_ids",
             "[PAD] 位置的 token 类型成了 1：填充位置的类型是 0（分词器的 pad_token_type_id）；让分词器生成 token_type_ids")
TYPES = T("token_type_ids are 0 on [CLS] first [SEP] and 1 on second [SEP]: take the tokenizer's own",
          "token_type_ids 在 [CLS] 第一句 [SEP] 上为 0，在 第二句 [SEP] 上为 1：直接用分词器给出的")
NO_TRUNCATION = T("no truncation: a pair of {w} positions is longer than BertModel's 512 position embeddings; pass "
                  "truncation=True, which cuts pairs 'longest_first'",
                  "没有截断：{w} 个位置的句对超出了 BertModel 的 512 个位置嵌入；传入 truncation=True，"
                  "它按 'longest_first' 截断句对")
SLICED = T("the cut row does not end in [SEP]: slicing input_ids[:, :512] after tokenizing drops the second "
           "sentence's [SEP] (and its tail); let the tokenizer cut, truncation=True",
           "截断后的行不以 [SEP] 结尾：分词后再切 input_ids[:, :512] 会丢掉第二句的 [SEP]（和它的结尾）；"
           "让分词器来截断，truncation=True")
MAX_LENGTH = T('every row was padded to 512 (padding="max_length"); use padding=True to pad to the longest pair',
               '每一行都被填充到了 512（padding="max_length"）；用 padding=True 填充到最长的句对')
TWO_ARGS = T("tokenize the pairs with tokenizer(firsts, seconds, padding=True, truncation=True, return_tensors='pt')",
             "用 tokenizer(firsts, seconds, padding=True, truncation=True, return_tensors='pt') 对句对分词")
A_BATCH_ENCODING = T("a transformers.BatchEncoding", "一个 transformers.BatchEncoding")
DROPOUT = T("the forwards ran with dropout on (the caller's train mode): switch to model.eval() for the two "
            "forwards, and put the caller's mode back afterwards, model.train(was_training)",
            "前向计算时 dropout 是开着的（调用者的训练模式）：两次前向计算都要先切换到 model.eval()，"
            "之后再用 model.train(was_training) 恢复调用者的模式")


def expect_pair_batch(text, batch, tokenizer, firsts, seconds, want_ids, want_types, want_mask):
    """A BatchEncoding of int64 tensors equal to the expected rows, each mismatch named."""
    if isinstance(batch, dict) and not isinstance(batch, BatchEncoding):
        fail(text, T(f"a plain {type_name(batch)}", f"一个普通的 {type_name(batch)}"), A_BATCH_ENCODING,
             T("return the tokenizer's BatchEncoding itself: dict(batch) drops its Encodings",
               "直接返回分词器给出的 BatchEncoding：dict(batch) 会丢掉它的 Encodings"))
    check(isinstance(batch, BatchEncoding), text, T(f"a {type_name(batch)}", f"一个 {type_name(batch)}"),
          A_BATCH_ENCODING, TWO_ARGS)
    missing = [k for k in KEYS if k not in batch.keys()]
    check(not missing, text, T(f"keys {list(batch.keys())}", f"键 {list(batch.keys())}"),
          T(f"keys {list(KEYS)}", f"键 {list(KEYS)}"),
          T("keep the tokenizer's token_type_ids: they tell the two sentences apart",
            "保留分词器给出的 token_type_ids：它区分两个句子") if "token_type_ids" in missing else TWO_ARGS)
    for k in KEYS:
        expect_tensor(f"{text}[{k!r}]", batch[k], dtype=torch.long)
    want_ids, want_types, want_mask = ([list(r) for r in x] for x in (want_ids, want_types, want_mask))
    ids, types, mask = batch["input_ids"].tolist(), batch["token_type_ids"].tolist(), batch["attention_mask"].tolist()
    diagnosis = lambda: encode_diagnosis(tokenizer, firsts, seconds, ids, types, want_ids)  # noqa: E731
    if len(ids) != len(want_ids) or (ids and len(ids[0]) != len(want_ids[0])):
        fail(f"{text}['input_ids']", summary(batch["input_ids"]),
             T(f"shape [{len(want_ids)}, {len(want_ids[0])}]", f"形状 [{len(want_ids)}, {len(want_ids[0])}]"),
             diagnosis())
    expect_ids(f"{text}['input_ids']", ids, want_ids, tokenizer.convert_ids_to_tokens, diagnosis())
    check(types == want_types, f"{text}['token_type_ids']", str(types) if len(str(types)) < 300 else summary(
        batch["token_type_ids"]), str(want_types) if len(str(want_types)) < 300 else TYPES,
          diagnosis() or TYPES)
    check(mask == want_mask, f"{text}['attention_mask']", summary(batch["attention_mask"]),
          T("1 on every real token, 0 on [PAD]", "真实 token 为 1，[PAD] 为 0"), TWO_ARGS)


def expect_encodings(text, batch, ref):
    """The batch keeps one Encoding per pair, each knowing its two sentences."""
    encodings = batch.encodings
    check(encodings is not None and len(encodings) == len(ref.encodings), f"{text}.encodings",
          summary(None if encodings is None else len(encodings)), len(ref.encodings),
          T("return the tokenizer's BatchEncoding as it is: it keeps one tokenizers.Encoding per pair",
            "原样返回分词器给出的 BatchEncoding：它为每个句对保留一个 tokenizers.Encoding"))
    for k, (e, r) in enumerate(zip(encodings, ref.encodings)):
        check(list(e.sequence_ids) == list(r.sequence_ids), f"{text}[{k}].sequence_ids", list(e.sequence_ids),
              list(r.sequence_ids), TWO_ARGS)


def encode_diagnosis(tokenizer, firsts, seconds, ids, types, want_ids):
    """Name the mistake behind a wrong pair batch, by comparing it with what each mistake gives."""
    n = len(firsts)

    def ids_of(*args, **kwargs):
        """The ids a mistaken call of the tokenizer gives, or None when the tokenizer rejects it (then it cannot
        be what was returned); observe records the rejection instead of raising it."""
        rec = observe("tokenizer(...)", tokenizer, *args, padding=True, truncation=True, **kwargs)
        return None if rec.error is not None else rec.value["input_ids"]

    width = len(ids[0]) if ids else 0
    want_width = len(want_ids[0])
    if len(ids) == 2 * n and len(ids) != n:
        return SINGLES.format(n=len(ids), k=n)
    if width > MAX_POSITIONS:
        return NO_TRUNCATION.format(w=width)
    if width == MAX_POSITIONS and want_width < MAX_POSITIONS:
        return MAX_LENGTH
    if width == MAX_POSITIONS and any(r[-1] != SEP and w[-1] == SEP for r, w in zip(ids, want_ids)):
        return SLICED
    if ids == want_ids:
        if types and all(v == 0 for r in types for v in r):
            return SEP_STRING
        rows = zip(types, want_ids, ids)
        if any(t[c] == 1 for t, w, r in rows for c in range(len(r)) if w[c] == PAD):
            return PAD_TYPE
        return TYPES
    if ids == ids_of([a + b for a, b in zip(firsts, seconds)]):
        return CONCAT
    if n == 2 and ids == ids_of([list(firsts), list(seconds)]):
        return TRANSPOSED
    if ids == ids_of(list(seconds), list(firsts)):
        return SWAPPED
    if ids == ids_of([a.lower() for a in firsts], [b.lower() for b in seconds]):
        return LOWER
    if any(s == "" for s in seconds) and any(r.count(SEP) < w.count(SEP) for r, w in zip(ids, want_ids)):
        return LOOP
    return TWO_ARGS


def ids_diagnosis(got, batch, i, tokenizer):
    """Name the mistake behind wrong sequence ids for row i."""
    row = row_of(batch, "token_type_ids", i)
    if isinstance(got, torch.Tensor):
        return T("return a list of 0, 1 and None: a tensor cannot hold None", "返回由 0、1 和 None 组成的列表：张量放不下 None")
    if got == row:
        return T("that is the row's token_type_ids, the tensor view: it says 0 for [CLS], the first [SEP] and [PAD] "
                 "and 1 for the last [SEP]; the Encoding's sequence_ids say None for them",
                 "那是这一行的 token_type_ids（张量视图）：它对 [CLS]、第一个 [SEP] 和 [PAD] 给 0，对最后一个 [SEP] "
                 "给 1；而 Encoding 的 sequence_ids 对它们给 None")
    if got == list(batch[i].word_ids):
        return T("those are word_ids (which word of the text, counted over both sentences); sequence_ids say "
                 "which sentence: Encoding.sequence_ids",
                 "那是 word_ids（文本中的第几个词）；sequence_ids 说的是属于哪一句：Encoding.sequence_ids")
    seq = list(batch[i].sequence_ids)
    if isinstance(got, list) and len(got) == len(seq) and [s if s is not None else 0 for s in seq] == got:
        return T("[CLS], [SEP] and [PAD] belong to neither sentence: their sequence id is None, not 0",
                 "[CLS]、[SEP] 和 [PAD] 不属于任何一句：它们的 sequence id 是 None，不是 0")
    return T("read batch[i].sequence_ids (or batch.sequence_ids(i)) of the row's Encoding",
             "读取这一行 Encoding 的 batch[i].sequence_ids（或 batch.sequence_ids(i)）")


def expect_seps(text, got, want, batch, i):
    """A tuple of two ints equal to ``want``, each mistake named."""
    if isinstance(got, list) and len(got) == 2:
        fail(text, repr(got), repr(want), T("return a tuple (first, second), not a list", "返回元组 (first, second)，不是列表"))
    check(isinstance(got, tuple) and len(got) == 2 and all(type(v) is int for v in got), text, summary(got),
          repr(want), T("return a tuple of two ints (first, second): int(...) of a tensor index",
                        "返回由两个 int 组成的元组 (first, second)：张量下标要用 int(...) 转换"))
    if got == want:
        return
    ids = row_of(batch, "input_ids", i)
    mistake = T("the first [SEP] closes the first sentence; the second is the last real position (attention_mask 1)",
                "第一个 [SEP] 结束第一句；第二个 [SEP] 是最后一个真实位置（attention_mask 为 1）")
    by_id = [t for t, v in enumerate(ids) if v == SEP]
    if list(got) == by_id[:2] or got == (by_id[0], by_id[-1]) and ids.count(SEP) > 2:
        mistake = T("you looked for the id 102: '[SEP]' typed into a sentence is a real token of that sentence with "
                    "the id 102; find the separators in the Encoding (special_tokens_mask, sequence_ids)",
                    "你找的是 id 102：句子里直接写的 '[SEP]' 是这句话中的真实 token，id 也是 102；"
                    "应在 Encoding 中找分隔符（special_tokens_mask、sequence_ids）")
    elif got[1] == len(ids) - 1 and want[1] != len(ids) - 1:
        mistake = T("the last position of a padded row is [PAD]: the last [SEP] is the last position whose "
                    "attention_mask is 1", "有填充的行，最后一个位置是 [PAD]：最后一个 [SEP] 是 attention_mask 为 1 的最后一个位置")
    fail(text, repr(got), repr(want), mistake)


def expect_effect(text, got, want, diagnose, atol=ATOL):
    check(isinstance(got, float), text, T(f"a {type_name(got)}: {summary(got)}", f"一个 {type_name(got)}：{summary(got)}"),
          T("a float", "一个 float"), T("return a Python float: tensor.max().item()", "返回 Python float：tensor.max().item()"))
    if abs(got - want) > atol:
        fail(text, f"{got:.6g}", f"{want:.6g}" + say(f" (within {atol:g})", f"（误差 {atol:g} 以内）"), diagnose())


def effect_diagnosis(model, batch, got):
    """Name the mistake behind a wrong effect, from what each mistake gives on this batch."""
    zeros = {**batch, "token_type_ids": torch.zeros_like(batch["token_type_ids"])}
    ones = {**batch, "token_type_ids": torch.ones_like(batch["token_type_ids"])}
    no_mask = {k: v for k, v in zeros.items() if k != "attention_mask"}
    with torch.no_grad():
        a, z = model(**batch), model(**zeros)
        candidates = [
            (0.0, T("the two forwards got the same token_type_ids: the second one needs them all 0, "
                    "torch.zeros_like(batch['token_type_ids'])",
                    "两次前向计算用的是相同的 token_type_ids：第二次要全 0，torch.zeros_like(batch['token_type_ids'])")),
            ((a.last_hidden_state - z.last_hidden_state).abs().max().item(),
             T("you compared every position; the effect is on the [CLS] vectors, last_hidden_state[:, 0, :]",
               "你比较了所有位置；要比较的是 [CLS] 向量，last_hidden_state[:, 0, :]")),
            ((a.pooler_output - z.pooler_output).abs().max().item(),
             T("you compared pooler_output; the [CLS] vector is last_hidden_state[:, 0, :]",
               "你比较的是 pooler_output；[CLS] 向量是 last_hidden_state[:, 0, :]")),
            ((a.last_hidden_state[:, 0] - model(**ones).last_hidden_state[:, 0]).abs().max().item(),
             T("you set the token_type_ids to 1; without them BertModel uses 0, torch.zeros_like(...)",
               "你把 token_type_ids 设成了 1；不传时 BertModel 用的是 0，torch.zeros_like(...)")),
            ((a.last_hidden_state[:, 0] - z.last_hidden_state[:, 0]).max().item(),
             T("you took the largest signed difference; the effect is the largest change either way, .abs().max()",
               "你取的是带符号的差的最大值；要的是任一方向上变化的最大值，.abs().max()")),
            ((z.last_hidden_state[:, 0] - a.last_hidden_state[:, 0]).max().item(),
             T("you took the largest signed difference; the effect is the largest change either way, .abs().max()",
               "你取的是带符号的差的最大值；要的是任一方向上变化的最大值，.abs().max()")),
            ((a.last_hidden_state[:, 0] - z.last_hidden_state[:, 0]).abs().mean().item(),
             T("you took the mean |Δ|; the effect is the largest, .abs().max()",
               "你取的是 |Δ| 的平均值；要的是最大值，.abs().max()")),
            ((a.last_hidden_state[:, 0] - model(**no_mask).last_hidden_state[:, 0]).abs().max().item(),
             T("the zero-type forward dropped the attention_mask: change only token_type_ids, keep every other key",
               "全 0 类型的那次前向计算丢掉了 attention_mask：只改 token_type_ids，其他键都保留")),
        ]
    for value, mistake in candidates:
        if isinstance(got, float) and abs(got - value) <= ATOL:
            return mistake
    return T("run model(**batch) and model(**batch with zero token_type_ids) in eval mode, and take the largest "
             "|Δ| of last_hidden_state[:, 0, :]",
             "在 eval 模式下运行 model(**batch) 和 model(**token_type_ids 全 0 的批次)，取 "
             "last_hidden_state[:, 0, :] 之差的绝对值的最大值")
