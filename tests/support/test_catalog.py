"""The catalog and the alternatives' docstrings, in the form the CLI shows them to learners.

First their form: hints go from the idea to the code, and only the last one, marked ``shows_code``,
shows it; every text is in English and 简体中文; Chinese text uses full-width colons and glosses each
field term once. Then the sentences about the libraries that the hints and the alternatives'
docstrings add, checked against the libraries installed (as tests/support/test_claims.py does for
the rest).
"""

import ast
import re
import tomllib

import pytest
import torch
from transformers import BatchEncoding, BertConfig, BertForMaskedLM, DataCollatorWithPadding

from bertkata import catalog, seed
from bertkata.impl import project_root

ROOT = project_root()
EXERCISES = catalog.exercises()
ALTERNATIVES = sorted((ROOT / "alternatives").glob("*/*.py"))
SEED = list(seed.SEED)

CJK = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef"  # CJK punctuation, ideographs, full-width forms
HAS_CJK = re.compile(f"[{CJK}]")
ASCII_COLON_AFTER_CJK = re.compile(f"[{CJK}] *:")
# the field terms a Chinese reader gets glossed once per exercise, at the first mention
GLOSSES = {"attention_mask": "注意力掩码", "last_hidden_state": "最后一层隐藏状态", "offsets": "字符偏移",
           "eval": "评估模式", "token_type_ids": "句段编号"}


def zh_texts(exercise):
    """An exercise's Chinese texts in the order a learner meets them: list/check, show, hint."""
    return [("teaches_zh", exercise.teaches_zh), ("instructions_zh", exercise.instructions_zh)] + [
        (f"hint {i}", h["zh"]) for i, h in enumerate(exercise.hints, 1)]


def docstring_lines(path):
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    return [line.strip() for line in doc.splitlines() if line.strip()]


# ---------------------------------------------------------------- the form of the hints


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.name)
def test_exactly_one_hint_shows_the_code_and_it_is_the_last(exercise):
    assert len(exercise.hints) >= 3, f"{exercise.name}: hints go from the idea, to the API, to the code"
    flags = [h.shows_code for h in exercise.hints]
    assert flags == [False] * (len(flags) - 1) + [True], \
        f"{exercise.name}: shows_code = true on the last hint, and only there: {flags}"
    assert all(h.get("shows_code") == h.shows_code for h in exercise.hints)  # read as the table was


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.name)
def test_only_the_last_hint_holds_code(exercise):
    """Code is an indented block (four spaces); the hints before the last one teach in sentences."""
    *before, last = exercise.hints
    for i, h in enumerate(before, 1):
        for lang in catalog.LANGS:
            block = [line for line in h[lang].splitlines() if line.startswith("    ")]
            assert not block, f"{exercise.name} hint {i} ({lang}) shows code before the last hint: {block}"
    for lang in catalog.LANGS:
        assert any(line.startswith("    ") for line in last[lang].splitlines()), \
            f"{exercise.name}: the last hint ({lang}) is marked shows_code but shows no code"
        assert all(line.startswith("    ") or not line.startswith(" ") for line in last[lang].splitlines())


def test_every_text_and_hint_has_english_and_chinese():
    data = tomllib.loads((ROOT / "bertkata" / "catalog.toml").read_text(encoding="utf-8"))
    for e in data["exercise"]:
        for key in ("title", "teaches", "instructions"):
            assert e[key].strip() and HAS_CJK.search(e[f"{key}_zh"]), f"{e['name']}: {key} needs en and zh"
        assert e["hints"], f"{e['name']} has no hints"
        for i, h in enumerate(e["hints"], 1):
            assert set(h) <= {"en", "zh", "shows_code"}, f"{e['name']} hint {i}: unknown keys {set(h)}"
            assert h["en"].strip() and HAS_CJK.search(h["zh"]), f"{e['name']} hint {i} needs en and zh"


def test_a_hint_without_both_languages_is_refused():
    with pytest.raises(ValueError, match="en and zh"):
        catalog.Hint.from_table({"en": "only English"}, "e99 hint 1")
    with pytest.raises(ValueError, match="unknown keys"):
        catalog.Hint.from_table({"en": "a", "zh": "甲", "show_code": True}, "e99 hint 1")
    hint = catalog.Hint.from_table({"en": "a", "zh": "甲"}, "e99 hint 1")
    assert set(hint) == {"en", "zh"} and hint["zh"] == "甲" and not hint.get("shows_code")


# ---------------------------------------------------------------- the Chinese text


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.name)
def test_chinese_text_takes_full_width_colons(exercise):
    for where, text in [("title_zh", exercise.title_zh)] + zh_texts(exercise):
        bad = [m.group() for m in ASCII_COLON_AFTER_CJK.finditer(text)]
        assert not bad, f"{exercise.name} {where}: an ASCII colon after Chinese text, use ：: {bad}"
        assert "、以及" not in text, f"{exercise.name} {where}: 、以及 (write ，以及 or 和)"


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.name)
def test_field_terms_are_glossed_once_at_their_first_mention(exercise):
    texts = zh_texts(exercise)
    for term, gloss in GLOSSES.items():
        mentions = [(where, m) for where, text in texts
                    for m in re.finditer(rf"(?<![A-Za-z0-9_]){term}(?![A-Za-z0-9_])", text)]
        glossed = sum(text.count(f"（{gloss}") for _, text in texts)
        if not mentions:
            assert not glossed, f"{exercise.name}: {gloss} glossed, but {term} is never mentioned"
            continue
        where, first = mentions[0]
        after = first.string[first.end():].removeprefix("()")
        assert after.startswith(f"（{gloss}"), f"{exercise.name} {where}: the first {term} needs （{gloss}）"
        assert glossed == 1, f"{exercise.name}: （{gloss}） {glossed} times; once, at the first {term}"


# ---------------------------------------------------------------- the alternatives' docstrings


def test_every_exercise_has_alternatives():
    assert {p.parent.name for p in ALTERNATIVES} == {e.name for e in EXERCISES}


@pytest.mark.parametrize("path", ALTERNATIVES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_alternative_docstring_says_what_it_teaches_in_english_then_chinese(path):
    """`bert-kata solution N` shows each alternative with one line on what it teaches: the first line of its
    docstring in English, the second in 简体中文."""
    lines = docstring_lines(path)
    assert len(lines) == 2, f"{path}: the docstring is one English line, then one Chinese line: {lines}"
    en, zh = lines
    assert not HAS_CJK.search(en), f"{path}: the first line is the English one: {en!r}"
    assert HAS_CJK.search(zh), f"{path}: the second line is the 简体中文 one: {zh!r}"
    assert not ASCII_COLON_AFTER_CJK.search(zh) and "、以及" not in zh, f"{path}: {zh!r}"


# ---------------------------------------------------------------- what the hints and docstrings say


def test_model_of_a_batch_raises_a_bare_attribute_error_and_the_ids_alone_warn_of_nothing(model, tokenizer,
                                                                                           recwarn):
    """catalog 03: model(batch) raises an AttributeError with an empty message; model(batch["input_ids"])
    drops the attention_mask with no warning."""
    batch = tokenizer(SEED, padding=True, return_tensors="pt")
    with torch.no_grad():
        with pytest.raises(AttributeError) as raised:
            model(batch)
        assert str(raised.value) == ""
        model(batch["input_ids"])
    assert not [w for w in recwarn if "mask" in str(w.message).lower()]


def test_a_mask_of_all_ones_is_not_looked_at_whatever_its_length(model, tokenizer):
    """catalog 03: an attention_mask whose shape does not match input_ids can pass without any error: one of
    all 1s is not looked at, whatever its length."""
    ids = tokenizer(SEED, padding=True, return_tensors="pt")["input_ids"]  # [2, 10]
    with torch.no_grad():
        for length in (3, 9, 11):
            model(input_ids=ids, attention_mask=torch.ones(2, length, dtype=torch.long))


def test_chinese_characters_are_words_because_the_normalizer_spaces_them(tokenizer):
    """catalog 02: word_ids count Chinese characters, because BertNormalizer (handle_chinese_chars) puts a
    space around every CJK character."""
    normalizer = tokenizer.backend_tokenizer.normalizer
    assert "handle_chinese_chars=True" in repr(normalizer)
    assert normalizer.normalize_str("我觉得ab").split() == ["我", "觉", "得", "ab"]


def test_token_to_chars_gives_none_for_special_tokens_and_refuses_a_negative_index(tokenizer):
    """catalog 02, alternatives e02 batch_methods and encoding_methods: Encoding.token_to_chars and
    BatchEncoding.token_to_chars give a token's span and None for [CLS], [SEP] and [PAD], and refuse a
    negative token index (OverflowError: unsigned in Rust); the Encoding's lists take negative indices
    (checked_first)."""
    batch = tokenizer(SEED, padding=True)
    enc = batch[0]
    assert [enc.token_to_chars(t) for t in (0, 1, 6, 9)] == [None, (0, 1), None, None]
    assert batch.token_to_chars(0, 0) is None and tuple(batch.token_to_chars(0, 1)) == (0, 1)
    for call in (lambda: enc.token_to_chars(-1), lambda: batch.token_to_chars(0, -1)):
        with pytest.raises(OverflowError):
            call()
    assert isinstance(enc.offsets, list) and enc.offsets[-4] == enc.offsets[6] == (0, 0)
    assert enc.tokens[-1] == "[PAD]" and enc.special_tokens_mask[-4] == 1


def test_backward_with_inputs_fills_only_that_grad(model, tokenizer):
    """catalog 05: loss.backward(inputs=[weight]) fills that .grad only; a plain backward() fills every
    parameter's (alternatives e05 where_and_saved_grads); torch.autograd.grad fills none (autograd_grad)."""
    batch = tokenizer(SEED[:1], return_tensors="pt")
    weight = model.embeddings.word_embeddings.weight
    model.zero_grad()
    try:
        model(**batch).last_hidden_state.pow(2).mean().backward(inputs=[weight])
        assert weight.grad is not None and all(p.grad is None for p in model.encoder.parameters())
        model.zero_grad()
        (grad,) = torch.autograd.grad(model(**batch).last_hidden_state.pow(2).mean(), weight)
        assert grad.shape == weight.shape and all(p.grad is None for p in model.parameters())
        model(**batch).last_hidden_state.pow(2).mean().backward()
        assert all(p.grad is not None for p in model.encoder.parameters())
    finally:
        model.zero_grad()


def test_the_shorthand_options_of_the_tokenizer(tokenizer):
    """alternatives e01 explicit_options: padding=True is padding="longest", truncation=True is
    truncation="longest_first", and a missing max_length means tokenizer.model_max_length."""
    sentences = ["好" * 600, *SEED]
    short = tokenizer(sentences, padding=True, truncation=True, return_tensors="pt")
    spelt = tokenizer(sentences, padding="longest", truncation="longest_first",
                      max_length=tokenizer.model_max_length, return_tensors="pt")
    assert all(torch.equal(short[k], spelt[k]) for k in short) and short["input_ids"].shape == (3, 512)


def test_the_backend_tokenizer_pads_by_itself_and_its_settings_stick(tokenizer):
    """alternatives e01 backend_copy: the tokenizer wraps a tokenizers.Tokenizer (backend_tokenizer) that pads
    and truncates with enable_padding / enable_truncation; the settings stay until undone (so: a copy)."""
    import copy

    backend = copy.deepcopy(tokenizer.backend_tokenizer)
    backend.enable_padding(pad_id=tokenizer.pad_token_id, pad_token=tokenizer.pad_token)
    backend.enable_truncation(max_length=8)
    first = [e.ids for e in backend.encode_batch(SEED)]
    assert [e.ids for e in backend.encode_batch(SEED)] == first  # still on for the next call
    assert first == [[101, 2769, 6230, 2533, 679, 6121, 102, 0], [101, 2769, 6230, 2533, 1071, 2141, 6820, 102]]
    assert backend.padding is not None and tokenizer.backend_tokenizer.truncation is None


def test_data_collator_with_padding_is_tokenizer_pad(tokenizer):
    """alternatives e01 tokenizer_pad: encode each sentence alone, then tokenizer.pad them into one batch, as
    DataCollatorWithPadding does."""
    features = [tokenizer(s) for s in SEED]
    padded = tokenizer.pad(features, padding=True, return_tensors="pt")
    collated = DataCollatorWithPadding(tokenizer)(features)
    assert isinstance(padded, BatchEncoding)
    assert all(torch.equal(padded[k], collated[k]) for k in padded)
    assert all(torch.equal(padded[k], tokenizer(SEED, padding=True, return_tensors="pt")[k]) for k in padded)


def test_inference_tensors_never_take_part_in_a_backward():
    """alternatives e03 inference_mode: torch.inference_mode() makes inference tensors, which can never be
    saved for a backward() later."""
    layer = torch.nn.Linear(2, 2)
    with torch.inference_mode():
        out = layer(torch.ones(1, 2))
    assert out.is_inference() and not out.requires_grad
    with pytest.raises(RuntimeError, match="Inference tensors"):
        (out * torch.ones(1, 2, requires_grad=True)).sum().backward()


def test_token_type_ids_none_is_one_segment(model, tokenizer):
    """alternatives e03 set_grad_enabled: BertModel's inputs can be passed by name, a missing token_type_ids
    as None (all 0, one segment); model.train(False) is model.eval() (grad_decorator)."""
    batch = tokenizer(SEED, padding=True, return_tensors="pt")
    with torch.no_grad():
        a = model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"], token_type_ids=None)
        b = model(**batch)
    assert torch.equal(a.last_hidden_state, b.last_hidden_state)
    model.train()
    model.train(False)
    assert not any(m.training for m in model.modules())


def test_num_parameters_counts_a_tied_parameter_once(source):
    """alternatives e05 where_and_saved_grads: transformers' model.num_parameters(only_trainable=True) counts
    each parameter once, a tied weight included, as model.parameters() does."""
    mlm = BertForMaskedLM(BertConfig.from_pretrained(str(source.path), num_hidden_layers=1))
    once = sum(p.numel() for p in mlm.parameters())
    twice = sum(p.numel() for _, p in mlm.named_parameters(remove_duplicate=False))
    assert mlm.num_parameters(only_trainable=True) == once < twice
