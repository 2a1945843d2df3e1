"""What the kata tells learners about the libraries, checked against the libraries installed.

Each test backs one sentence a learner reads (exercise docstrings, catalog hints, README), so a new
release of transformers, tokenizers or torch that changes the behaviour fails here instead of
misleading a learner. Each docstring names where its sentence is.
"""

import tomllib
from types import SimpleNamespace

import pytest
import tokenizers
import torch
from transformers import (AutoTokenizer, BatchEncoding, BertConfig, BertForMaskedLM, BertModel, BertTokenizer,
                          BertTokenizerFast, BertTokenizerLegacy, PreTrainedTokenizerBase)

from bertkata import plugin, seed
from bertkata.impl import project_root

SEED = list(seed.SEED)
SEED_IDS = [list(row) for row in seed.SEED_IDS]


def sum_loss(model, inputs):
    """e05's loss, the seed notebook's: the sum of last_hidden_state over every position."""
    return model(**inputs).last_hidden_state.sum()


def word_embedding_grad(model, inputs):
    model.zero_grad()
    sum_loss(model, inputs).backward()
    grad = model.embeddings.word_embeddings.weight.grad.clone()
    model.zero_grad()
    return grad


# ---------------------------------------------------------------- exercise 01


def test_tokenizer_pads_on_the_right_with_pad_0_and_masks_real_tokens_with_1(tokenizer):
    """e01 module and catalog 01: the tokenizer pads shorter sentences on the right with [PAD] (id 0),
    marks real tokens with 1 in attention_mask; token_type_ids are 0 for one sentence; padding=True pads to
    the longest; int64 tensors."""
    assert isinstance(tokenizer, PreTrainedTokenizerBase)
    assert tokenizer.padding_side == "right" and tokenizer.pad_token_id == 0
    assert tokenizer.convert_ids_to_tokens([0, 101, 102]) == ["[PAD]", "[CLS]", "[SEP]"]
    batch = tokenizer(SEED, padding=True, return_tensors="pt")
    assert list(batch) == ["input_ids", "token_type_ids", "attention_mask"]
    assert all(v.dtype == torch.int64 for v in batch.values())
    assert batch["input_ids"].tolist() == SEED_IDS
    assert batch["attention_mask"].tolist() == [[int(i != 0) for i in row] for row in SEED_IDS]
    assert not batch["token_type_ids"].any()


def test_padding_max_length_pads_to_model_max_length_unless_max_length_is_given(tokenizer):
    """catalog 01: padding="max_length" pads to 512 only when no max_length is given."""
    assert tokenizer(SEED, padding="max_length", return_tensors="pt")["input_ids"].shape == (2, 512)
    assert tokenizer(SEED, padding="max_length", max_length=16, return_tensors="pt")["input_ids"].shape == (2, 16)


def test_truncation_cuts_at_model_max_length_keeping_sep_last(tokenizer, source):
    """e01 tokenize_batch and catalog 01: truncation=True without max_length cuts at model_max_length, 512,
    BertModel's number of position embeddings, and keeps [SEP] last; slicing input_ids[:, :512] drops it."""
    assert tokenizer.model_max_length == BertConfig.from_pretrained(str(source.path)).max_position_embeddings == 512
    long = "我" * 600
    cut = tokenizer([long, "你好"], padding=True, truncation=True, return_tensors="pt")["input_ids"]
    assert cut.shape == (2, 512) and cut[0, -1] == tokenizer.sep_token_id
    sliced = tokenizer([long], return_tensors="pt")["input_ids"][:, :512]
    assert tokenizer.sep_token_id not in sliced[0].tolist()


def test_call_takes_a_str_as_one_sentence_and_fails_on_an_empty_list(tokenizer):
    """catalog 01 hint: `text` of PreTrainedTokenizerBase.__call__ takes a single str as one sentence and
    fails on [] with an IndexError."""
    assert tokenizer("我觉得不行", return_tensors="pt")["input_ids"].shape == (1, 7)
    with pytest.raises(IndexError):
        tokenizer([])


# ---------------------------------------------------------------- exercise 02


def test_batch_indexed_by_int_is_an_encoding_and_len_counts_keys(tokenizer):
    """e02 module, encoding_at and catalog 02: batch[i] is the i-th tokenizers.Encoding (batch.encodings[i]);
    len(batch) counts the keys, len(batch.encodings) the sentences; an Encoding's ids, tokens, offsets,
    word_ids and special_tokens_mask have one entry per position, [PAD] included, and special tokens and
    [PAD] have word_id None."""
    batch = tokenizer(SEED, padding=True, return_tensors="pt")
    assert isinstance(batch[0], tokenizers.Encoding) and batch[0] is batch.encodings[0]
    assert len(batch) == 3 and len(batch.encodings) == 2
    enc = batch[0]
    for field in (enc.ids, enc.tokens, enc.offsets, enc.word_ids, enc.special_tokens_mask):
        assert len(field) == 10
    assert enc.ids == SEED_IDS[0]
    assert [w is None for w in enc.word_ids] == [bool(s) for s in enc.special_tokens_mask]
    assert enc.special_tokens_mask == [1, 0, 0, 0, 0, 0, 1, 1, 1, 1]


def test_word_ids_count_chinese_characters_not_words(tokenizer):
    """e02 module: for Chinese a "word" is one character (觉 and 得 are words 1 and 2, not one word 觉得);
    a run of Latin letters is one word."""
    assert tokenizer(["我觉得不行"]).word_ids(0) == [None, 0, 1, 2, 3, 4, None]
    batch = tokenizer(["我用Apple手机"])
    assert batch.tokens(0)[3] == "[UNK]" and batch.word_ids(0) == [None, 0, 1, 2, 3, 4, None]


def test_bert_tokenizers_are_tokenizers_backed_except_the_legacy_one(tokenizer, source):
    """e02 module and catalog 02: in transformers 5.x AutoTokenizer and BertTokenizer give a tokenizers-backed
    tokenizer even with use_fast=False; only the pure-Python BertTokenizerLegacy (is_fast False) keeps no
    Encodings (batch.encodings None), so its batch[i] raises KeyError; a BatchEncoding built by hand keeps
    none either; a plain dict has no .encodings."""
    assert tokenizer.is_fast
    for cls in (AutoTokenizer, BertTokenizer):
        assert cls.from_pretrained(str(source.path), use_fast=False).is_fast
    legacy = BertTokenizerLegacy(str(source.path / "vocab.txt"))
    assert not legacy.is_fast
    for batch in (legacy(SEED, padding=True), BatchEncoding({"input_ids": [[101, 102]]})):
        assert batch.encodings is None
        with pytest.raises(KeyError):
            batch[0]
    assert not hasattr({}, "encodings")


def test_tokens_of_a_padded_sentence_include_pad(tokenizer):
    """e02 tokens_at: sentence 0 of the padded batch of ["你好", "今天天气很好"] gives [CLS] 你 好 [SEP] and four
    [PAD]; equal to convert_ids_to_tokens of its row."""
    batch = tokenizer(["你好", "今天天气很好"], padding=True, return_tensors="pt")
    want = ["[CLS]", "你", "好", "[SEP]", "[PAD]", "[PAD]", "[PAD]", "[PAD]"]
    assert batch[0].tokens == want == tokenizer.convert_ids_to_tokens(batch["input_ids"][0])


def test_offsets_index_python_characters_and_special_tokens_are_0_0(tokenizer):
    """e02 token_char_span and catalog 02: offsets are indices of Python characters (code points), so
    sentence[start:end] is the token's text; a whole-word [UNK] covers the word ('Apple' is (2, 7) in
    '我用Apple手机'); [CLS]/[SEP] have offsets (0, 0), told by special_tokens_mask, while a real token starts
    at 0 too."""
    sentence = "𠮷好 ab"  # 𠮷 is outside the BMP: one Python character, two UTF-16 units, four UTF-8 bytes
    enc = tokenizer([sentence])[0]
    assert enc.tokens == ["[CLS]", "[UNK]", "好", "ab", "[SEP]"]
    assert enc.offsets == [(0, 0), (0, 1), (1, 2), (3, 5), (0, 0)]
    assert [sentence[s:e] for s, e in enc.offsets[2:4]] == ["好", "ab"]
    assert enc.special_tokens_mask == [1, 0, 0, 0, 1]
    apple = tokenizer(["我用Apple手机"])[0]
    assert apple.tokens[3] == "[UNK]" and apple.offsets[3] == (2, 7)


def test_char_to_token_is_none_for_whitespace_cleaned_characters_and_past_the_end(tokenizer):
    """e02 token_for_char and catalog 02: no token covers whitespace, a character the tokenizer's cleaning
    drops ("\\x00", "\\u200b": "我\\x00好\\u200b" gives 1, None, 2, None) or one past the end; never [CLS]."""
    batch = tokenizer(["我\x00好\u200b", "我 好"])
    assert [batch.char_to_token(0, c) for c in range(4)] == [1, None, 2, None]
    assert [batch.char_to_token(1, c) for c in range(3)] == [1, None, 2]
    assert batch[1].char_to_token(10) is None


# ---------------------------------------------------------------- exercise 03


def test_from_pretrained_returns_the_model_in_eval_mode(source, tokenizer):
    """e03 module: BertModel.from_pretrained already returns the model in eval mode, so two calls right after
    loading give the same numbers."""
    fresh = BertModel.from_pretrained(str(source.path))  # not the shared fixture: that one calls .eval() itself
    assert not any(m.training for m in fresh.modules())
    batch = tokenizer(SEED, padding=True, return_tensors="pt")
    with torch.no_grad():
        assert torch.equal(fresh(**batch).last_hidden_state, fresh(**batch).last_hidden_state)


def test_model_config_and_output(model, tokenizer):
    """e03 encode and README: hidden size 768, 512 position embeddings, 21128 ids; model(**batch) returns a
    BaseModelOutputWithPoolingAndCrossAttentions, float32, last_hidden_state [batch, seq_len, 768] and
    pooler_output [batch, 768]; under torch.no_grad() nothing requires grad."""
    cfg = model.config
    assert (cfg.hidden_size, cfg.max_position_embeddings, cfg.vocab_size) == (768, 512, 21128)
    with torch.no_grad():
        out = model(**tokenizer(SEED, padding=True, return_tensors="pt"))
    assert type(out).__name__ == "BaseModelOutputWithPoolingAndCrossAttentions"
    assert out.last_hidden_state.shape == (2, 10, 768) and out.pooler_output.shape == (2, 768)
    assert out.last_hidden_state.dtype == out.pooler_output.dtype == torch.float32
    assert not out.last_hidden_state.requires_grad and not out.pooler_output.requires_grad


def test_model_of_the_input_ids_alone_drops_the_mask_and_model_of_the_batch_fails(model, tokenizer):
    """catalog 03: model(batch["input_ids"]) silently drops the attention_mask; model(batch) fails."""
    batch = tokenizer(SEED, padding=True, return_tensors="pt")
    with torch.no_grad():
        whole = model(**batch).last_hidden_state
        ids_only = model(batch["input_ids"]).last_hidden_state
        with pytest.raises(Exception):
            model(batch)
    short = int(batch["attention_mask"][0].sum())  # the padded row: its real tokens now see [PAD]
    assert not torch.allclose(whole[0, :short], ids_only[0, :short], atol=1e-5)
    assert torch.allclose(whole[1], ids_only[1], atol=1e-5)  # the longest row has no padding to see


def test_no_grad_leaves_dropout_on_and_eval_switches_it_off(model, tokenizer):
    """e03 module and catalog 03: torch.no_grad() does not switch dropout off; model.eval() does."""
    batch = tokenizer(SEED, padding=True, return_tensors="pt")
    model.train()
    try:
        with torch.no_grad():
            assert not torch.equal(model(**batch).last_hidden_state, model(**batch).last_hidden_state)
    finally:
        model.eval()
    with torch.no_grad():
        assert torch.equal(model(**batch).last_hidden_state, model(**batch).last_hidden_state)


def test_training_attribute_is_one_flag_and_train_sets_every_submodule(model):
    """catalog 03 and 05, e03 encode: `model.training = False` sets one flag while every Dropout keeps its
    own; model.train(mode) / model.eval() set every submodule (so model.train(was_training) puts them back)."""
    try:
        model.train()
        model.training = False
        assert all(m.training for name, m in model.named_modules() if name)
        model.train(False)
        assert not any(m.training for m in model.modules())
        model.train(True)
        assert all(m.training for m in model.modules())
    finally:
        model.eval()


def test_set_grad_enabled_bare_is_global_and_as_a_context_manager_ends_with_its_block():
    """catalog 03 and the e05 failure message: `with torch.no_grad():` and `with torch.set_grad_enabled(...)`
    end with their block; torch.set_grad_enabled(False) called bare stays for the caller; enable_grad()
    inside no_grad() builds a graph (catalog 05)."""
    x = torch.ones(2, requires_grad=True)
    try:
        with torch.no_grad():
            with torch.set_grad_enabled(True):
                assert (x * 2).requires_grad
            assert not torch.is_grad_enabled()
            with torch.enable_grad():
                assert (x * 2).requires_grad
        assert torch.is_grad_enabled()
        torch.set_grad_enabled(False)
        assert not torch.is_grad_enabled() and not (x * 2).requires_grad
    finally:
        torch.set_grad_enabled(True)


def test_a_sentence_pair_marks_the_second_sentence_and_the_output_depends_on_it(model, tokenizer):
    """e03 encode and catalog 03: for tokenizer(first, second) token_type_ids is 1 on the second sentence
    (its [SEP] included), and the output depends on it."""
    pair = tokenizer("我觉得不行", "我觉得其实还可以", return_tensors="pt")
    assert pair["token_type_ids"].tolist() == [[0] * 7 + [1] * 9]
    with torch.no_grad():
        with_types = model(**pair).last_hidden_state
        without = model(input_ids=pair["input_ids"], attention_mask=pair["attention_mask"]).last_hidden_state
    assert not torch.allclose(with_types, without, atol=1e-4)


def test_the_models_own_errors_do_not_say_what_was_wrong(model, tokenizer):
    """e03 module and catalog 03: an id outside the vocabulary (or negative) gives 'IndexError: index out of
    range in self'; 513 positions give a RuntimeError about tensor sizes ('The size of tensor a (513) must
    match the size of tensor b (512)' with token_type_ids, 'The expanded size of the tensor' without)."""
    batch = dict(tokenizer(SEED, padding=True, return_tensors="pt"))
    for bad_id in (model.config.vocab_size, -1):
        ids = batch["input_ids"].clone()
        ids[0, 1] = bad_id
        with torch.no_grad(), pytest.raises(IndexError, match="index out of range in self"):
            model(**{**batch, "input_ids": ids})
    long = {k: v[:, :513] for k, v in tokenizer(["我" * 600], return_tensors="pt").items()}
    with torch.no_grad():
        with pytest.raises(RuntimeError, match=r"size of tensor a \(513\) must match the size of tensor b \(512\)"):
            model(**long)
        with pytest.raises(RuntimeError, match="expanded size of the tensor"):
            model(input_ids=long["input_ids"], attention_mask=long["attention_mask"])


def test_some_mismatched_attention_masks_pass_without_an_error(model, tokenizer):
    """e03 module and catalog 03: some attention_mask shapes that do not match input_ids (a longer mask, one
    column) pass without any error; a shorter one does raise."""
    batch = tokenizer(SEED, padding=True, return_tensors="pt")  # [2, 10]
    ids = batch["input_ids"]
    with torch.no_grad():
        for mask in (torch.ones(2, 13, dtype=torch.long), torch.ones(2, 1, dtype=torch.long)):
            assert model(input_ids=ids, attention_mask=mask).last_hidden_state.shape == (2, 10, 768)
        with pytest.raises(RuntimeError):
            model(input_ids=ids, attention_mask=batch["attention_mask"][:, :-1])


def test_print_model_is_a_long_listing(model):
    """catalog 03: never put the model in a message: print(model) is 41 lines."""
    assert len(str(model).splitlines()) == 41


# ---------------------------------------------------------------- exercise 04


def test_position_0_is_cls_with_right_padding_and_pad_with_left_padding(tokenizer):
    """e04 module, cls_embeddings, catalog 04 and README: with right padding (the tokenizer's default) position
    0 of every row is [CLS] (id 101); with padding_side="left" position 0 of a shorter row is [PAD]."""
    right = tokenizer(SEED, padding=True, return_tensors="pt")["input_ids"]
    assert tokenizer.padding_side == "right" and right[:, 0].tolist() == [101, 101]
    left = tokenizer(SEED, padding=True, padding_side="left", return_tensors="pt")["input_ids"]
    assert left[:, 0].tolist() == [0, 101]


def test_pooler_output_is_tanh_of_the_pooler_dense_layer_of_cls(model, tokenizer):
    """e04 module, sentence_vector and catalog 04: pooler_output is tanh(pooler.dense([CLS])), not the [CLS]
    vector last_hidden_state[:, 0, :]."""
    with torch.no_grad():
        out = model(**tokenizer(SEED, padding=True, return_tensors="pt"))
        cls = out.last_hidden_state[:, 0, :]
        assert torch.allclose(out.pooler_output, torch.tanh(model.pooler.dense(cls)), atol=1e-6)
    assert not torch.allclose(out.pooler_output, cls, atol=1e-3)


def test_padding_changes_neither_the_cls_vector_nor_the_masked_mean(model, tokenizer):
    """e04 masked_mean_pool and README: a sentence gets the same [CLS] vector and masked mean (within float
    tolerance) alone or padded in a batch; [CLS] and [SEP] have mask 1 and count; a plain mean does change."""
    alone = tokenizer(SEED[:1], return_tensors="pt")
    both = tokenizer(SEED, padding=True, return_tensors="pt")
    assert both["attention_mask"][0].tolist() == [1] * 7 + [0] * 3  # [CLS] ... [SEP] real, [PAD] not
    with torch.no_grad():
        a = model(**alone).last_hidden_state[0]
        b = model(**both).last_hidden_state[0]
    mask = both["attention_mask"][0].unsqueeze(-1).float()
    assert torch.allclose(a[0], b[0], atol=1e-4)
    assert torch.allclose(a.mean(0), (b * mask).sum(0) / mask.sum(), atol=1e-4)
    assert not torch.allclose(a.mean(0), b.mean(0), atol=1e-2)


# ---------------------------------------------------------------- exercise 05


def test_only_the_input_rows_get_gradient_and_never_the_pad_row(model, tokenizer):
    """e05 module, rows_with_gradient and catalog 05: only the rows of word_embeddings.weight whose ids are in
    the input get a gradient, never row 0 ([PAD]): padding_idx=0 keeps it zero even where a [PAD] is
    attended to; nonzero() returns the indices in order."""
    assert model.embeddings.word_embeddings.padding_idx == 0
    batch = tokenizer(SEED, padding=True, return_tensors="pt")
    rows = (word_embedding_grad(model, batch) != 0).any(dim=1).nonzero().flatten().tolist()
    assert rows == sorted(set(batch["input_ids"].flatten().tolist()) - {0})
    ids = torch.tensor([[101, 2769, 0, 0, 102]])  # [PAD] ids the mask lets in
    grad = word_embedding_grad(model, {"input_ids": ids, "attention_mask": torch.ones_like(ids)})
    assert (grad != 0).any(dim=1).nonzero().flatten().tolist() == [101, 102, 2769]


def test_zero_grad_lets_go_of_the_tensor_and_backward_adds_into_it(model, tokenizer):
    """e05 module and catalog 05: the next backward() adds into weight.grad in place; zero_grad()
    (set_to_none=True since torch 2.0) leaves a tensor already held untouched, zero_grad(set_to_none=False)
    zeroes it in place."""
    batch = tokenizer(SEED[:1], return_tensors="pt")
    weight = model.embeddings.word_embeddings.weight
    model.zero_grad()
    model(**batch).last_hidden_state.pow(2).mean().backward()
    held = weight.grad
    first = held.clone()
    model(**batch).last_hidden_state.pow(2).mean().backward()
    assert weight.grad is held and torch.allclose(held, 2 * first)  # added into the same tensor
    model.zero_grad()
    assert weight.grad is None and torch.allclose(held, 2 * first)  # let go of, not changed
    weight.grad = held
    model.zero_grad(set_to_none=False)
    assert weight.grad is held and not held.any()


def test_no_grad_builds_no_graph(model, tokenizer):
    """e05 module and catalog 05: torch.no_grad() stops gradients altogether: the forward builds no graph and
    backward() has nothing to follow."""
    with torch.no_grad():
        loss = sum_loss(model, tokenizer(SEED[:1], return_tensors="pt"))
    assert loss.grad_fn is None
    with pytest.raises(RuntimeError, match="does not require grad"):
        loss.backward()


def test_frozen_parameters_get_no_gradient(model, tokenizer):
    """e05 module, freeze_embeddings and catalog 05: requires_grad_(False) freezes parameters: backward() leaves
    their .grad None, while the rest still get one."""
    model.zero_grad()
    model.embeddings.requires_grad_(False)
    try:
        sum_loss(model, tokenizer(SEED[:1], return_tensors="pt")).backward()
        assert all(p.grad is None for p in model.embeddings.parameters())
        assert all(p.grad is not None for p in model.encoder.parameters())
    finally:
        model.embeddings.requires_grad_(True)
        model.zero_grad()


def test_setting_requires_grad_on_a_module_freezes_nothing(model):
    """e05 freeze_embeddings and catalog 05: model.embeddings.requires_grad = False only sets a plain
    attribute; every parameter still requires grad."""
    model.embeddings.requires_grad = False
    try:
        assert all(p.requires_grad for p in model.embeddings.parameters())
    finally:
        del model.embeddings.requires_grad


def test_sentence_pair_token_type_ids_change_the_gradient(model, tokenizer):
    """e05 embedding_gradient and catalog 05: for a sentence pair, leaving token_type_ids out (or zeroing it)
    changes the gradient; leaving it out is the same as zeroing it."""
    pair = dict(tokenizer("我觉得不行", "我觉得其实还可以", return_tensors="pt"))
    with_types = word_embedding_grad(model, pair)
    left_out = word_embedding_grad(model, {k: v for k, v in pair.items() if k != "token_type_ids"})
    zeroed = word_embedding_grad(model, {**pair, "token_type_ids": torch.zeros_like(pair["token_type_ids"])})
    assert not torch.allclose(with_types, left_out, atol=1e-6)
    assert torch.equal(left_out, zeroed)


def test_the_notebooks_sum_of_last_hidden_state_has_a_gradient_beyond_rounding(model, tokenizer):
    """e05 embedding_gradient and catalog 05: the last layer ends in LayerNorm, whose weight and bias differ per
    channel (in the real model and in the replica), so a token vector of last_hidden_state does not sum to a
    constant and the notebook's loss, last_hidden_state.sum(), has a gradient far above float32 rounding."""
    norm = model.encoder.layer[-1].output.LayerNorm
    assert norm.weight.std() > 0.01 and norm.bias.abs().max() > 0.01
    batch = tokenizer(SEED, padding=True, return_tensors="pt")
    with torch.no_grad():
        per_token = model(**batch).last_hidden_state.sum(-1)
    assert per_token.std() > 0.1  # not one constant
    grad = word_embedding_grad(model, batch)
    assert grad.abs().max() > 1.0  # rounding noise would be about 1e-6


def test_padded_positions_add_to_the_real_rows_gradient_but_not_to_the_pad_row(model, tokenizer):
    """e05 embedding_gradient and catalog 05: in a padded batch the [PAD] positions' vectors depend on the real
    tokens, so the sum over every position has another gradient than the sum over real tokens only, on the
    same rows; row 0 ([PAD]) gets none either way."""
    batch = tokenizer(SEED, padding=True, return_tensors="pt")
    every = word_embedding_grad(model, batch)
    weight = model.embeddings.word_embeddings.weight
    hidden = model(**batch).last_hidden_state
    (real,) = torch.autograd.grad((hidden * batch["attention_mask"].unsqueeze(-1)).sum(), weight)
    assert not torch.allclose(every, real, atol=1e-3)
    assert not every[0].any() and not real[0].any()
    assert (every != 0).any(dim=1).tolist() == (real != 0).any(dim=1).tolist()


def test_a_missing_key_of_a_batch_encoding_raises_key_error(tokenizer):
    """catalog 05: inputs["attention_mask"] raises KeyError by itself when the batch has none."""
    batch = tokenizer(SEED[:1], return_tensors="pt", return_attention_mask=False)
    with pytest.raises(KeyError):
        batch["attention_mask"]


def test_parameter_counts(model):
    """e05 count_trainable_parameters and README: BertModel has 102,267,648 numbers; its embeddings
    16,622,592; 85,645,056 remain with them frozen."""
    total = sum(p.numel() for p in model.parameters())
    embeddings = sum(p.numel() for p in model.embeddings.parameters())
    assert (total, embeddings, total - embeddings) == (102_267_648, 16_622_592, 85_645_056)


def test_a_tied_weight_is_one_parameter(source):
    """e05 count_trainable_parameters and catalog 05: BertForMaskedLM's output layer reuses
    word_embeddings.weight; model.parameters() lists it once, named_parameters(remove_duplicate=False) twice."""
    config = BertConfig.from_pretrained(str(source.path), num_hidden_layers=1)  # the tie does not need 12 layers
    mlm = BertForMaskedLM(config)
    weight = mlm.bert.embeddings.word_embeddings.weight
    assert mlm.cls.predictions.decoder.weight is weight
    assert sum(p is weight for p in mlm.parameters()) == 1
    assert sum(p is weight for _, p in mlm.named_parameters(remove_duplicate=False)) == 2


# ---------------------------------------------------------------- exercise 10


def test_adamw_defaults_and_zero_grad_sets_none():
    """e10 module: AdamW's defaults are betas (0.9, 0.999), eps 1e-8, weight_decay 0.01; catalog 10, hint 3:
    optimizer.zero_grad() sets each .grad to None."""
    w = torch.nn.Parameter(torch.ones(3))
    optimizer = torch.optim.AdamW([w], lr=0.1)
    group = optimizer.param_groups[0]
    assert (group["betas"], group["eps"], group["weight_decay"]) == ((0.9, 0.999), 1e-8, 0.01)
    w.sum().backward()
    optimizer.zero_grad()
    assert w.grad is None


def test_a_step_without_gradient_moves_nothing_but_a_zeroed_gradient_decays():
    """catalog 10, hints 1 and 3: step() before backward() finds no gradient and moves nothing (an optimizer
    skips a parameter whose .grad is None); e10 tests: a frozen parameter given to AdamW with a zeroed .grad
    still moves, by weight decay."""
    w, frozen = torch.nn.Parameter(torch.ones(3)), torch.nn.Parameter(torch.ones(3), requires_grad=False)
    frozen.grad = torch.ones(3)  # a stale gradient from before it was frozen
    optimizer = torch.optim.AdamW([w, frozen], lr=0.1)
    optimizer.zero_grad()
    optimizer.step()
    assert torch.equal(w.detach(), torch.ones(3)) and torch.equal(frozen.detach(), torch.ones(3))
    frozen.grad = torch.ones(3)
    optimizer.zero_grad(set_to_none=False)
    optimizer.step()
    assert not torch.equal(frozen.detach(), torch.ones(3))


def test_cross_entropy_targets_int64_probabilities_and_ignore_index():
    """catalog 10, hint 2 and the e10 tests: F.cross_entropy takes int64 class indices (an int32 target is
    refused), reads float targets as class probabilities, and leaves a -100 row out of the mean."""
    F = torch.nn.functional
    logits, labels = torch.tensor([[0.5, -0.5], [1.0, 2.0]]), torch.tensor([0, 1])
    with pytest.raises(RuntimeError, match="Long"):
        F.cross_entropy(logits, labels.int())
    assert torch.allclose(F.cross_entropy(logits, F.one_hot(labels, 2).float()), F.cross_entropy(logits, labels))
    assert torch.allclose(F.cross_entropy(logits, torch.tensor([-100, 1])), F.cross_entropy(logits[1:], labels[1:]))


# ---------------------------------------------------------------- exercise 08


def test_a_text_past_512_tokens_only_draws_a_warning(tokenizer):
    """e08 module and catalog 08: tokenizing a text past 512 tokens without truncation returns all of them
    with a warning, 'Token indices sequence length is longer than the specified maximum sequence length for
    this model (602 > 512)'; max_length counts [CLS] and [SEP] (max_length=510 gives 510 positions)."""
    import logging

    from transformers.utils import logging as hf_logging

    seen = []
    handler = logging.Handler()
    handler.emit = lambda record: seen.append(record.getMessage())
    logger = hf_logging.get_logger("transformers.tokenization_utils_base")
    level = hf_logging.get_verbosity()
    tokenizer.deprecation_warnings.pop("sequence-length-is-longer-than-the-specified-maximum", None)
    hf_logging.set_verbosity_warning()
    logger.addHandler(handler)
    try:
        ids = tokenizer("我" * 600)["input_ids"]
    finally:
        logger.removeHandler(handler)
        hf_logging.set_verbosity(level)
    assert len(ids) == 602 and any("Token indices sequence length is longer than the specified maximum sequence "
                                   "length for this model (602 > 512)" in m for m in seen)
    assert len(tokenizer("我" * 600, truncation=True, max_length=510)["input_ids"]) == 510


def test_overflowing_windows_share_stride_tokens_and_map_to_their_documents(tokenizer):
    """e08 sliding_windows and catalog 08: with return_overflowing_tokens=True each window is [CLS], at most
    max_length - 2 tokens, [SEP]; the next starts max_length - 2 - stride tokens on, so neighbours share
    stride tokens; overflow_to_sample_mapping gives each window's document; offsets are the document's
    characters; the last window is shorter, so return_tensors="pt" needs padding=True ('Unable to create
    tensor')."""
    doc = "天地玄黄宇宙洪荒日月盈亏辰宿列张寒来暑往"  # 20 tokens, all different
    windows = tokenizer([doc, "你好"], max_length=8, stride=2, truncation=True, return_overflowing_tokens=True)
    assert windows["overflow_to_sample_mapping"] == [0, 0, 0, 0, 0, 1]
    assert [e.offsets[1:-1] for e in windows.encodings[:5]] == [
        [(c, c + 1) for c in range(start, min(start + 6, 20))] for start in (0, 4, 8, 12, 16)]
    assert all(w[0] == tokenizer.cls_token_id and w[-1] == tokenizer.sep_token_id for w in windows["input_ids"])
    with pytest.raises(ValueError, match="Unable to create tensor"):
        tokenizer([doc], max_length=8, stride=2, truncation=True, return_overflowing_tokens=True,
                  return_tensors="pt")


def test_a_stride_of_max_length_minus_2_makes_the_tokenizer_panic(tokenizer):
    """e08 sliding_windows and catalog 08: the tokenizer does not check stride; from max_length - 2 on it
    panics with pyo3_runtime.PanicException, which is not an Exception (https://github.com/huggingface/
    tokenizers/issues/1269)."""
    with pytest.raises(BaseException) as caught:
        tokenizer(["我" * 40], max_length=16, stride=14, truncation=True, return_overflowing_tokens=True)
    assert type(caught.value).__name__ == "PanicException" and not isinstance(caught.value, Exception)
    assert len(tokenizer(["我" * 40], max_length=16, stride=13, truncation=True,
                         return_overflowing_tokens=True)["input_ids"]) == 27


# ---------------------------------------------------------------- README


def test_bert_tokenizer_ignores_vocab_file_given_by_keyword(source):
    """README: BertTokenizer(vocab_file=...) builds a 5-token vocabulary of the special tokens ([CLS] id 2);
    BertTokenizerFast is the same class; the path given positionally, AutoTokenizer.from_pretrained(folder)
    and BertTokenizer.from_pretrained(folder) read all 21128 entries."""
    assert BertTokenizerFast is BertTokenizer
    vocab = str(source.path / "vocab.txt")
    by_keyword = BertTokenizer(vocab_file=vocab)
    assert len(by_keyword) == 5 and by_keyword.cls_token_id == 2
    assert len(BertTokenizer(vocab)) == 21128
    assert len(AutoTokenizer.from_pretrained(str(source.path))) == 21128
    assert len(BertTokenizer.from_pretrained(str(source.path))) == 21128


def test_pretrained_marker_skips_on_the_replica_and_no_test_carries_it(source):
    """README: only exercise 09's test of a published fill-in needs pretrained numbers; it carries the
    `pretrained` marker and is skipped on the replica, with the reason."""
    root = project_root()
    markers = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["pytest"]["ini_options"]
    assert any(m.startswith("pretrained:") for m in markers["markers"])
    added = []
    item = SimpleNamespace(get_closest_marker=lambda name: name == "pretrained" or None, add_marker=added.append,
                           iter_markers=lambda name: [], nodeid="t")
    config = SimpleNamespace(getoption=lambda name: None, option=SimpleNamespace(loadgroup=False))
    plugin.pytest_collection_modifyitems(config, [item])
    if source.pretrained:
        assert not added
    else:
        assert len(added) == 1 and added[0].name == "skip" and added[0].kwargs["reason"]  # the reason, in either language
    marked = [p.name for p in (root / "tests").rglob("test_*.py")
              if "mark.pretrained" in p.read_text(encoding="utf-8") and p.name != "test_claims.py"]
    assert marked == ["test_e09_fill_mask.py"], f"{marked} need pretrained numbers: the README says only e09 does"


# ---------------------------------------------------------------- exercise 07


def test_pair_calls_that_are_not_pairs(tokenizer):
    """e07 module docstring and catalog hint 2: tokenizer([first, second]) is a batch of two single sentences
    (token_type_ids all 0), tokenizer(first + second) has no [SEP] between them, and tokenizer([firsts,
    seconds]) reads each inner list as one pair (https://github.com/huggingface/transformers/issues/7674)."""
    a, b = SEED
    two = tokenizer([a, b])
    assert len(two["input_ids"]) == 2 and not any(map(any, two["token_type_ids"]))
    assert tokenizer(a + b)["input_ids"].count(102) == 1
    firsts, seconds = [a, "你好"], [b, "今天"]
    inner = tokenizer([firsts, seconds])["input_ids"]
    assert inner == tokenizer([a, b], ["你好", "今天"])["input_ids"]  # (firsts[0], firsts[1]), (seconds[0], seconds[1])
    assert tokenizer(list(zip(firsts, seconds)))["input_ids"] == tokenizer(firsts, seconds)["input_ids"]


def test_pair_truncation_strategies(tokenizer):
    """e07 catalog hint 2 and encode_pairs' docstring: truncation=True is "longest_first", which takes tokens
    from the longer sentence; "only_second" raises when the second sentence is too short to take the cut
    (https://github.com/huggingface/transformers/pull/5472)."""
    long, short = "我" * 600, "你好" * 5
    cut = tokenizer(long, short, truncation=True)
    assert cut["input_ids"] == tokenizer(long, short, truncation="longest_first")["input_ids"]
    assert len(cut["input_ids"]) == 512 and sum(cut["token_type_ids"]) == 11  # the short one kept whole, and [SEP]
    with pytest.raises(Exception, match="Truncation error"):
        tokenizer(long, short, truncation="only_second")


def test_an_empty_second_sentence(tokenizer):
    """e07 catalog hint 3: a single call tokenizer(first, "") drops the empty second sentence (one [SEP]), a
    batch call keeps it ([SEP] [SEP], type 1) (https://github.com/huggingface/transformers/pull/37537)."""
    alone = tokenizer("你好", "")
    assert alone["input_ids"] == [101, 872, 1962, 102] and alone.encodings[0].n_sequences == 1
    batch = tokenizer(["你好"], [""])
    assert batch["input_ids"] == [[101, 872, 1962, 102, 102]] and batch["token_type_ids"] == [[0, 0, 0, 0, 1]]
    assert batch.encodings[0].n_sequences == 2


def test_sequence_ids_and_a_typed_sep(tokenizer):
    """e07 sequence_ids_at and sep_positions: sequence_ids are None on [CLS], [SEP] and [PAD], token_type_ids 0
    on [CLS], the first [SEP] and [PAD] and 1 on the last [SEP]; "[SEP]" typed into a sentence has the id 102,
    sequence id 0 and special_tokens_mask 0; BatchEncoding.sequence_ids(i) and Encoding.token_to_sequence agree."""
    batch = tokenizer(["你好[SEP]今天", "好"], ["明天", "我"], padding=True)
    e = batch[0]
    assert e.ids.count(102) == 3 and e.sequence_ids == [None, 0, 0, 0, 0, 0, None, 1, 1, None]
    assert e.special_tokens_mask == [1, 0, 0, 0, 0, 0, 1, 0, 0, 1]
    assert batch[1].sequence_ids[-1] is None and batch["token_type_ids"][1] == [0, 0, 0, 1, 1, 0, 0, 0, 0, 0]
    assert batch.sequence_ids(0) == e.sequence_ids == [e.token_to_sequence(t) for t in range(len(e))]
