"""Exercise 05, gradient flow: checked against autograd on bert-base-chinese and its real parameter counts.

Every call to the learner's code goes through :func:`bertkata.calls.observe` (see ``rows``, ``count``,
``freeze`` and ``gradient`` after the tests): it records what came back and what changed, and each
call's side effects are checked before its value.
"""

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from bertkata.calls import observe
from bertkata.feedback import check, expect_close, expect_tensor, fail, summary, type_name
from bertkata.strategies import chinese_text, mixed_sentences, sparse_gradients, vocab_chinese_chars

SEED = "我觉得不行"
SEED_IDS = [101, 2769, 6230, 2533, 679, 6121, 102]
SEED_ROWS = [101, 102, 679, 2533, 2769, 6121, 6230]
PADDED = ["你好", "今天天气很好"]
# C13, https://github.com/huggingface/transformers/issues/5567: the padded pair uses ids
# 0, 101, 102, 791, 872, 1921, 1962, 2523, 3698; [PAD] (0) gets no gradient.
PADDED_ROWS = [101, 102, 791, 872, 1921, 1962, 2523, 3698]
# One sentence pair: token_type_ids is 0 on "[CLS] 今天天气很好 [SEP]" and 1 on "我觉得不行 [SEP]".
PAIR = ("今天天气很好", SEED)
VOCAB, HIDDEN = 21128, 768
MAX_POSITIONS = 512  # bert-base-chinese's config.max_position_embeddings
# C15, https://github.com/huggingface/transformers/issues/95: bert-base-chinese's BertModel.
TOTAL_PARAMETERS = 102_267_648
EMBEDDING_PARAMETERS = 16_622_592
TRAINABLE_WITHOUT_EMBEDDINGS = 85_645_056
# The same forward and backward in another order of calls agree to rounding.
GRAD_ATOL = 1e-6
WORD = "embeddings.word_embeddings.weight"

_REFERENCE: dict = {}


# ---------------------------------------------------------------- rows_with_gradient (no model)


def small_gradient():
    """A fixed [12, 4] gradient that tells the row mistakes apart: row 0 non-zero (as a real [PAD] row
    never is), row 3 one tiny entry (1e-30: its square underflows to 0), row 9 two entries that cancel."""
    grad = torch.zeros(12, 4)
    grad[0, 1] = 0.25
    grad[3, 2] = 1e-30
    grad[9, 0], grad[9, 1] = 0.5, -0.5
    grad[11, 3] = -2.0
    return grad


SMALL_ROWS = [0, 3, 9, 11]


def test_rows_of_a_small_gradient(impl):
    """Rows 0, 3, 9 and 11 are non-zero: row 3 holds one tiny entry, row 9's entries cancel (it sums to 0),
    row 0 counts like any other; the caller's tensor is not changed."""
    call = "rows_with_gradient(tensor [12, 4] with rows 0, 3, 9 and 11 non-zero, row 9 summing to 0)"
    expect_rows(call, rows(impl, small_gradient(), call), SMALL_ROWS)


@given(grad=sparse_gradients())
def test_rows_match_a_loop_over_rows(impl, grad):
    """For any gradient: the sorted indices of rows with at least one non-zero entry."""
    want = [i for i in range(grad.shape[0]) if any(v != 0 for v in grad[i].tolist())]
    call = f"rows_with_gradient(tensor {list(grad.shape)} with rows {want} non-zero)"
    got = rows(impl, grad, call)
    if not is_rows(got, want):
        # shrinking makes mistakes look alike (a lone tiny entry looks like cancelling entries): name the
        # mistake from the fixed input that tells them apart
        fail(call, summary(got), want, diagnose_rows_on_the_fixed_input(impl) or diagnose_rows(got, want))


BAD_INPUT = [
    (None, TypeError, "None (no backward() has run, or the parameter is frozen)"),
    ([[0.0, 1.0]], TypeError, "a list instead of a tensor"),
    (torch.ones(5), ValueError, "a 1-D tensor"),
    (torch.ones(2, 3, 4), ValueError, "a 3-D tensor"),
]


@pytest.mark.parametrize("grad,error,what", BAD_INPUT, ids=[b[2] for b in BAD_INPUT])
def test_rows_of_bad_input_get_a_clear_error(impl, grad, error, what):
    """None is what .grad holds before any backward(): say so, instead of an AttributeError."""
    rec = observe(f"rows_with_gradient({summary(grad)}) with {what}", impl.rows_with_gradient, grad)
    rec.expect_error(error, "'grad is None: no backward() has reached this parameter'")
    rec.expect_no_side_effects()


# ---------------------------------------------------------------- count_trainable_parameters


def test_count_trainable_parameters(impl, model):
    """102,267,648 in all, 85,645,056 with the embeddings frozen, 0 with everything frozen (C15),
    a Python int each time, the model unchanged. https://github.com/huggingface/transformers/issues/95
    """
    total = sum(p.numel() for p in model.parameters())
    check(total == TOTAL_PARAMETERS, "sum(p.numel() for p in model.parameters())", total, TOTAL_PARAMETERS,
          "the model source is not bert-base-chinese's architecture")
    expect_count(impl, model, "nothing frozen", total)
    model.embeddings.requires_grad_(False)
    without = total - sum(p.numel() for p in model.embeddings.parameters())
    check(without == TRAINABLE_WITHOUT_EMBEDDINGS, "trainable numbers without the embeddings", without,
          TRAINABLE_WITHOUT_EMBEDDINGS, "the model source is not bert-base-chinese's architecture")
    expect_count(impl, model, "after model.embeddings.requires_grad_(False)", without)
    model.requires_grad_(False)
    expect_count(impl, model, "after model.requires_grad_(False)", 0)


def shared_weight() -> torch.nn.Module:
    """Two linear layers sharing one weight: 9 shared numbers and 3 of bias, 12 in all. Built from
    torch's own classes, so a sandboxed worker unpickles it (it cannot import this file)."""
    first, second = torch.nn.Linear(3, 3), torch.nn.Linear(3, 3, bias=False)
    second.weight = first.weight  # tied, as a language model ties its output layer
    return torch.nn.ModuleDict({"first": first, "second": second})


def test_a_tied_weight_counts_once(impl):
    """A parameter shared by two modules is one parameter: model.parameters() lists it once.
    BertForMaskedLM ties its output layer to word_embeddings.weight (config.tie_word_embeddings)."""
    from transformers import BertConfig, BertForMaskedLM

    expect_count(impl, shared_weight(), "two Linear(3, 3): first.weight is second.weight, 9 + 3 numbers", 12)
    mlm = BertForMaskedLM(BertConfig(vocab_size=50, hidden_size=8, num_hidden_layers=1, num_attention_heads=2,
                                     intermediate_size=16, max_position_embeddings=16))
    word = mlm.bert.embeddings.word_embeddings.weight
    check(mlm.cls.predictions.decoder.weight is word, "BertForMaskedLM: decoder.weight is word_embeddings.weight",
          False, True, "transformers no longer ties the output layer by default")
    total = sum(p.numel() for p in mlm.parameters())
    expect_count(impl, mlm, "a small BertForMaskedLM (decoder.weight tied to word_embeddings.weight)", total)
    word.requires_grad_(False)
    expect_count(impl, mlm, "the same, word_embeddings.weight (and so the tied decoder.weight) frozen",
                 total - word.numel())


@given(data=st.data())
def test_count_matches_any_frozen_subset(impl, model, data):
    """Freeze any subset of the model's parameters: the count is the elements of the rest."""
    params = dict(model.named_parameters())
    frozen = data.draw(st.sets(st.sampled_from(sorted(params))), label="frozen")
    for name, p in params.items():
        p.requires_grad_(name not in frozen)
    want = sum(p.numel() for name, p in params.items() if name not in frozen)
    expect_count(impl, model, f"{len(frozen)} parameters frozen", want)


# ---------------------------------------------------------------- freeze_embeddings


def test_freeze_embeddings_freezes_exactly_the_embeddings(impl, tokenizer, model):
    """After freezing, 85,645,056 of 102,267,648 parameters remain trainable, and a backward()
    gives the embeddings no .grad but the encoder one (C15, https://github.com/huggingface/transformers/issues/95)."""
    total = sum(p.numel() for p in model.parameters())
    in_embeddings = sum(p.numel() for p in model.embeddings.parameters())
    check((total, in_embeddings) == (TOTAL_PARAMETERS, EMBEDDING_PARAMETERS), "the model's parameter counts",
          (total, in_embeddings), (TOTAL_PARAMETERS, EMBEDDING_PARAMETERS),
          "the model source is not bert-base-chinese's architecture")
    call = "freeze_embeddings(model)"
    freeze(impl, model, call)
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    check(trainable == TRAINABLE_WITHOUT_EMBEDDINGS, f"{call}; trainable numbers", trainable,
          TRAINABLE_WITHOUT_EMBEDDINGS, "freeze model.embeddings only")
    loss_of(model, encode(tokenizer, [SEED])).backward()
    with_grad = [n for n, p in model.embeddings.named_parameters() if p.grad is not None]
    check(not with_grad, f"{call}; backward(); then embeddings' .grad", f"tensors on {with_grad}", "None",
          "frozen parameters get no gradient")
    query = model.encoder.layer[0].attention.self.query.weight
    check(query.grad is not None, f"{call}; backward(); then encoder.layer[0].attention.self.query.weight.grad",
          "None", "a gradient", "freeze only the embeddings: the encoder must keep learning")


def test_freeze_leaves_the_callers_other_flags_and_mode(impl, model):
    """The caller froze encoder.layer[3] and the pooler and put the model in train mode: after freezing
    the embeddings, those two stay frozen, everything else stays trainable, and the mode stays train."""
    model.train()
    model.encoder.layer[3].requires_grad_(False)
    model.pooler.requires_grad_(False)
    freeze(impl, model, "model.train(); model.encoder.layer[3].requires_grad_(False); "
                        "model.pooler.requires_grad_(False); freeze_embeddings(model)")


# ---------------------------------------------------------------- embedding_gradient


def test_gradient_of_the_seed_sentence(impl, tokenizer, model):
    """[21128, 768] float32, equal to autograd's; non-zero exactly in the rows of the 7 input ids;
    the model (eval mode) and the batch are left as they were.

    C13, https://github.com/huggingface/transformers/issues/5567.
    """
    inputs = encode(tokenizer, [SEED])
    check(inputs["input_ids"][0].tolist() == SEED_IDS, f"tokenizer([{SEED!r}])['input_ids']",
          inputs["input_ids"][0].tolist(), SEED_IDS, "the model source's tokenizer is not bert-base-chinese's")
    ref = reference_gradient(model, tokenizer, [SEED])
    check(nonzero_rows(ref) == SEED_ROWS, "autograd's gradient rows", nonzero_rows(ref), SEED_ROWS,
          "the model source is not bert-base-chinese's architecture")
    call = f"embedding_gradient(model, tokenizer([{SEED!r}], return_tensors='pt'))"
    got = gradient(impl, model, inputs, call, ref)
    expect_rows(f"rows_with_gradient({call})", rows(impl, got, f"rows_with_gradient({call})"), SEED_ROWS)


def test_gradients_the_model_already_holds_do_not_count(impl, tokenizer, model):
    """After a backward() of the caller's own, the result is still the gradient of this loss alone,
    and the caller's gradients are either restored or cleared (C16).

    https://discuss.pytorch.org/t/what-does-the-backward-function-do/9944/2
    """
    ref = reference_gradient(model, tokenizer, [SEED])
    weight = model.embeddings.word_embeddings.weight
    query = model.encoder.layer[0].attention.self.query.weight
    # the caller's own, earlier backward (into two parameters only: a full one costs 400 MB of gradients)
    loss_of(model, encode(tokenizer, PADDED)).backward(inputs=[weight, query])
    earlier = weight.grad.clone()
    call = f"embedding_gradient(model, tokenizer([{SEED!r}]))  # the model holds gradients of {PADDED}"
    gradient(impl, model, encode(tokenizer, [SEED]), call, ref, earlier=earlier)


def test_calling_twice_gives_the_same_gradient(impl, tokenizer, model):
    """A second call returns the same gradient, not twice it: backward() adds to .grad (C16),
    and a later call on other input leaves an earlier result unchanged (it is the caller's copy).

    https://discuss.pytorch.org/t/what-does-the-backward-function-do/9944/2
    """
    ref = reference_gradient(model, tokenizer, [SEED])
    call = f"embedding_gradient(model, tokenizer([{SEED!r}]))"
    first = gradient(impl, model, encode(tokenizer, [SEED]), call + "  # first call", ref)
    kept = first.clone()
    gradient(impl, model, encode(tokenizer, [SEED]), call + "  # second call", ref, earlier=kept)
    gradient(impl, model, encode(tokenizer, PADDED), f"embedding_gradient(model, tokenizer({PADDED}))")
    expect_close(f"g = {call}; embedding_gradient(model, <{PADDED}>); then g", first, kept, atol=0.0,
                 mistake="you returned weight.grad itself, which the next call zeroes and refills in place; "
                         "return weight.grad.detach().clone()")


def test_padded_batch_leaves_the_pad_row_zero(impl, tokenizer, model):
    """C13: the padded pair ["你好", "今天天气很好"] holds [PAD] (0), but row 0 gets no gradient
    (padding_idx=0), so the rows are the other 8 ids; the mean runs over real tokens only
    (C10, https://github.com/huggingface/transformers/issues/17463).
    https://github.com/huggingface/transformers/issues/5567
    """
    inputs = encode(tokenizer, PADDED)
    check(0 in inputs["input_ids"].tolist()[0] and model.embeddings.word_embeddings.padding_idx == 0,
          f"tokenizer({PADDED}, padding=True)", summary(inputs["input_ids"]), "[PAD] (0) in row 0, padding_idx 0",
          "the model source is not bert-base-chinese's")
    ref = reference_gradient(model, tokenizer, PADDED)
    check(nonzero_rows(ref) == PADDED_ROWS, "autograd's gradient rows", nonzero_rows(ref), PADDED_ROWS,
          "the model source is not bert-base-chinese's architecture")
    call = f"embedding_gradient(model, tokenizer({PADDED}, padding=True))"
    got = gradient(impl, model, inputs, call, ref)
    expect_rows(f"rows_with_gradient({call})", rows(impl, got, f"rows_with_gradient({call})"), PADDED_ROWS)


def test_a_batch_without_attention_mask_raises_key_error(impl, tokenizer, model):
    """Documented: KeyError when inputs has no attention_mask (the loss needs it to find real tokens)."""
    inputs = dict(encode(tokenizer, [SEED]))
    del inputs["attention_mask"]
    rec = gradient_call(impl, model, inputs, f"embedding_gradient(model, {{input_ids, token_type_ids}} of {SEED!r}"
                                             ", no attention_mask)")
    rec.expect_error(KeyError, "KeyError('attention_mask')", mistake=(
        "a batch without attention_mask must raise KeyError: read inputs['attention_mask'] (it raises by itself); "
        "inputs.get('attention_mask', ones) treats every position as real and hides the caller's mistake"
        if rec.error is None else "read inputs['attention_mask'], which raises KeyError by itself, before the forward"))
    expect_untouched(rec, model, training=False)


ZERO_ROWS = [("the only row", [SEED], 0), ("row 1 of 2 (row 0 has real tokens)", PADDED, 1)]


@pytest.mark.parametrize("sentences,row", [z[1:] for z in ZERO_ROWS], ids=[z[0] for z in ZERO_ROWS])
def test_a_row_without_real_tokens_raises_value_error(impl, tokenizer, model, sentences, row):
    """Documented: ValueError when a row of attention_mask is all 0: its mean would be 0/0 (NaN),
    as in e04's masked_mean_pool (C10, https://github.com/huggingface/transformers/issues/17463)."""
    inputs = encode(tokenizer, sentences)
    inputs["attention_mask"][row] = 0
    call = f"embedding_gradient(model, tokenizer({sentences}) with attention_mask[{row}] all 0)"
    rec = gradient_call(impl, model, inputs, call)
    rec.expect_error(ValueError, f"ValueError('attention_mask row {row} has no real token')",
                     mistake=zero_row_mistake(rec, several_rows=len(sentences) > 1))
    expect_untouched(rec, model, training=False)


def test_more_than_512_positions_raise_value_error(impl, tokenizer, model):
    """Documented: ValueError past model.config.max_position_embeddings (512): the model's position
    embeddings have no row 512, and the model itself fails with an unclear RuntimeError."""
    inputs = long_inputs(tokenizer, MAX_POSITIONS + 1)
    rec = gradient_call(impl, model, inputs, f"embedding_gradient(model, a batch of {MAX_POSITIONS + 1} positions)")
    if rec.error is None:
        mistake = ("you cut the input to fit the model: the docstring asks for ValueError when seq_len is more than "
                   "model.config.max_position_embeddings (512); the caller must know their text did not fit")
    else:
        mistake = ("the model fails past model.config.max_position_embeddings with an unclear error: compare "
                   "input_ids.shape[1] with model.config.max_position_embeddings (512) and raise ValueError")
    rec.expect_error(ValueError, "ValueError('input_ids has 513 positions; the model takes at most 512')",
                     mistake=mistake)
    expect_untouched(rec, model, training=False)


def test_a_sentence_pair_uses_its_token_type_ids(impl, tokenizer, model):
    """tokenizer([a], [b]) marks the second sentence with token_type_ids 1; the model adds a different
    token type embedding there, so the gradient differs from the one with token_type_ids left out."""
    inputs = tokenizer([PAIR[0]], [PAIR[1]], return_tensors="pt")
    check(inputs["token_type_ids"].sum().item() == 6, f"tokenizer([{PAIR[0]!r}], [{PAIR[1]!r}])['token_type_ids']",
          summary(inputs["token_type_ids"]), "six 1s on the second sentence and its [SEP]",
          "the model source's tokenizer is not bert-base-chinese's")
    ref = reference_gradient(model, tokenizer, PAIR, pair=True)
    without = reference_gradient(model, tokenizer, PAIR, pair=True, token_types=False)
    check(not torch.allclose(ref, without, atol=GRAD_ATOL), "autograd's gradient with and without token_type_ids",
          "the same", "different", "the model source's token type embeddings do not differ")
    call = f"embedding_gradient(model, tokenizer([{PAIR[0]!r}], [{PAIR[1]!r}], return_tensors='pt'))"
    gradient(impl, model, inputs, call, ref)


def test_the_forward_runs_in_the_callers_train_mode(impl, tokenizer, model):
    """A model in train mode (every submodule, each Dropout) runs the forward in train mode and stays
    in it: the mode is the caller's (C12, https://github.com/huggingface/transformers/issues/9039).
    Dropout makes this gradient random, so only its form is checked."""
    model.train()
    gradient(impl, model, encode(tokenizer, [SEED]), f"model.train(); embedding_gradient(model, tokenizer([{SEED!r}]))")


def test_a_model_frozen_in_part_stays_frozen_in_that_part(impl, tokenizer, model):
    """The caller froze encoder.layer[3] and the pooler: the gradient is the same, and exactly those
    stay frozen after the call (the word embeddings and the rest stay trainable)."""
    ref = reference_gradient(model, tokenizer, [SEED])
    model.encoder.layer[3].requires_grad_(False)
    model.pooler.requires_grad_(False)
    call = ("model.encoder.layer[3].requires_grad_(False); model.pooler.requires_grad_(False); "
            f"embedding_gradient(model, tokenizer([{SEED!r}]))")
    gradient(impl, model, encode(tokenizer, [SEED]), call, ref)


def test_works_inside_no_grad(impl, tokenizer, model):
    """Inside torch.no_grad() the forward builds no graph; the function must still work (C14),
    and leave no_grad in force for the caller.

    https://github.com/nianticlabs/monodepth2/issues/24
    """
    ref = reference_gradient(model, tokenizer, [SEED])
    call = f"with torch.no_grad(): embedding_gradient(model, tokenizer([{SEED!r}]))"
    with torch.no_grad():
        gradient(impl, model, encode(tokenizer, [SEED]), call, ref)


def test_frozen_embeddings_still_give_their_gradient(impl, tokenizer, model):
    """With the embeddings frozen, or the whole model, the gradient is the same, and stays frozen after."""
    ref = reference_gradient(model, tokenizer, [SEED])
    inputs = encode(tokenizer, [SEED])
    for what, module in (("model.embeddings", model.embeddings), ("model", model)):
        module.requires_grad_(False)
        call = f"{what}.requires_grad_(False); embedding_gradient(model, tokenizer([{SEED!r}]))"
        gradient(impl, model, inputs, call, ref)


def test_512_positions_are_fine(impl, tokenizer, model):
    """Exactly 512 positions fit (position ids 0..511): the rows with gradient are the input's ids."""
    inputs = long_inputs(tokenizer, MAX_POSITIONS)
    call = f"rows_with_gradient(embedding_gradient(model, a batch of {MAX_POSITIONS} positions))"
    got = gradient(impl, model, inputs, call, mistakes=[("ValueError", (
        "512 positions fit the model (position ids 0..511): raise ValueError only for more than "
        "model.config.max_position_embeddings"))])
    expect_rows(call, rows(impl, got, call), sorted(set(inputs["input_ids"][0].tolist())))


# each example is a forward and backward through BERT-base: 3 for a learner, 12 in CI. Long texts are drawn only
# past 512 tokens (a cheap ValueError): a backward at 512 positions takes a second, and the test above pins it
@settings(max_examples=max(2, settings.default.max_examples // 5))
@given(sentence=st.one_of(mixed_sentences(max_pieces=3), chinese_text(511, 520)))
def test_rows_are_the_ids_of_any_sentence(impl, tokenizer, model, sentence):
    """For any single (unpadded) sentence, the rows with gradient are exactly its distinct ids;
    a sentence of more than 512 tokens gets ValueError (texts of 511-520 characters)."""
    inputs = tokenizer([sentence], return_tensors="pt")
    ids = inputs["input_ids"][0].tolist()
    call = f"rows_with_gradient(embedding_gradient(model, tokenizer([{summary(sentence)}])))  # {len(ids)} tokens"
    if len(ids) > MAX_POSITIONS:
        rec = gradient_call(impl, model, inputs, call)
        rec.expect_error(ValueError, "ValueError('input_ids has 513 positions; the model takes at most 512')")
        expect_untouched(rec, model, training=False)
        return
    want = sorted(set(ids))
    got = rows(impl, gradient(impl, model, inputs, call), call)
    if isinstance(got, list) and set(got) > set(want):
        fail(call, summary(got), want,
             "rows of tokens not in this sentence have gradient, left over from an earlier call: gradients "
             "accumulate across backward() calls; clear them before backward()")
    expect_rows(call, got, want)


# ================================================================ helpers: inputs and references


def encode(tokenizer, sentences):
    return tokenizer(sentences, padding=True, return_tensors="pt")


def long_inputs(tokenizer, positions):
    """One sentence of ``positions`` tokens: distinct-ish Chinese characters, one token each."""
    chars = vocab_chinese_chars()
    text = "".join(chars[(7 * i) % len(chars)] for i in range(positions - 2))
    inputs = tokenizer([text], return_tensors="pt")
    assert inputs["input_ids"].shape[1] == positions, "one token per vocabulary character"
    return inputs


def loss_of(model, inputs, pool="masked"):
    """The documented loss: the mean squared entry of the masked-mean sentence vectors
    (``pool="all"``: the plain mean over every position, [PAD] included, for diagnoses)."""
    hidden = model(**inputs).last_hidden_state
    if pool == "all":
        return hidden.mean(1).pow(2).mean()
    mask = inputs["attention_mask"].unsqueeze(-1).to(hidden.dtype)
    return ((hidden * mask).sum(1) / mask.sum(1)).pow(2).mean()


def autograd_gradient(model, inputs, pool="masked"):
    """torch.autograd.grad of the loss on the model in eval mode with the weight trainable, the model
    put back afterwards (for diagnoses after a learner's call, whatever it left behind)."""
    weight = model.embeddings.word_embeddings.weight
    was_training, was_flag = model.training, weight.requires_grad
    try:
        model.eval()
        weight.requires_grad_(True)
        with torch.enable_grad():
            (grad,) = torch.autograd.grad(loss_of(model, inputs, pool), weight)
        return grad
    finally:
        model.train(was_training)
        weight.requires_grad_(was_flag)


def reference_gradient(model, tokenizer, sentences, pair=False, token_types=True):
    """The gradient by torch.autograd.grad on the untouched model (eval mode), cached per model source and input
    (``pair``: ``sentences`` is one sentence pair; ``token_types=False``: token_type_ids left out)."""
    key = (model.config.name_or_path, tuple(sentences), pair, token_types)
    if key not in _REFERENCE:
        if pair:
            inputs = tokenizer([sentences[0]], [sentences[1]], return_tensors="pt")
        else:
            inputs = encode(tokenizer, sentences)
        if not token_types:
            inputs = {k: v for k, v in inputs.items() if k != "token_type_ids"}
        _REFERENCE[key] = autograd_gradient(model, inputs)
    return _REFERENCE[key]


def nonzero_rows(grad):
    """The test's own row finder: a loop-free but independent spelling (abs, max over hidden)."""
    return [i for i, m in enumerate(grad.abs().amax(dim=1).tolist()) if m > 0]


# ================================================================ helpers: calling the learner's code


def rows(impl, grad, call):
    """rows_with_gradient(grad) through observe: a raise fails, and so does a change to the caller's grad."""
    kept = grad.clone() if isinstance(grad, torch.Tensor) else grad
    rec = observe(call, impl.rows_with_gradient, grad)
    got = rec.result("the sorted row indices")
    rec.expect_inputs_unchanged(grad_changed_mistake(kept, grad) if rec.inputs else None)
    rec.expect_grad_mode_kept()
    return got


def count(impl, model, call):
    rec = observe(call, impl.count_trainable_parameters, model, model=model)
    got = rec.result("the number of trainable numbers")
    rec.expect_no_side_effects()
    return got


def expect_count(impl, model, state, want):
    call = f"count_trainable_parameters(model)  # {state}"
    got = count(impl, model, call)
    check(type(got) is int and got == want, call, summary(got), f"{want:,} (a Python int)",
          diagnose_count(got, want, model))


def freeze(impl, model, call):
    """freeze_embeddings(model) through observe: None back, the mode kept, exactly the embeddings
    switched off and every other flag as the caller had it."""
    before = {n: p.requires_grad for n, p in model.named_parameters()}
    rec = observe(call, impl.freeze_embeddings, model, model=model)
    got = rec.result("None (the model is changed in place)")
    check(got is None, call, summary(got) if not isinstance(got, torch.nn.Module) else f"a {type_name(got)}",
          "None", "freeze_embeddings returns None: it changes the model in place (requires_grad_() returns "
                  "the module, so `return model.embeddings.requires_grad_(False)` hands back a module)")
    rec.expect_inputs_unchanged()
    rec.expect_grad_mode_kept()
    rec.expect_modes_kept(mistake="freezing is requires_grad only: model.eval() switches dropout off and freezes "
                                  "nothing, and the caller's model left in eval mode stops training dropout")
    after = {n: p.requires_grad for n, p in model.named_parameters()}
    wrong = [n for n in after if after[n] != (False if n.startswith("embeddings.") else before[n])]
    if wrong:
        fail(f"{call}; then requires_grad", f"wrong on {len(wrong)} parameters, e.g. {wrong[:3]}",
             "False on every embeddings.* parameter, every other flag as the caller set it",
             diagnose_freeze(model, before, after, wrong))


def gradient_call(impl, model, inputs, call):
    return observe(call, impl.embedding_gradient, model, inputs, model=model, grads=True)


def gradient(impl, model, inputs, call, ref=None, earlier=None, mistakes=()):
    """embedding_gradient(model, inputs) through observe. In order: what it raised; what it changed
    (the batch, grad mode, the mode after and during the forward, requires_grad); the returned
    tensor's form; its values against ``ref``; the gradients left on the model."""
    training, frozen = model.training, not model.embeddings.word_embeddings.weight.requires_grad
    rec = gradient_call(impl, model, inputs, call)
    got = rec.result("the gradient", mistakes=[*mistakes, *error_mistakes(frozen)], default=(
        "see the docstring for the loss and what the function must do"))
    expect_untouched(rec, model, training, grads=False)
    expect_gradient_form(call, got, rec)
    if ref is not None and not torch.allclose(got, ref, atol=GRAD_ATOL, rtol=0.0):  # diagnose only on failure
        expect_close(call, got, ref, atol=GRAD_ATOL, mistake=diagnose_gradient(got, ref, rec, model, inputs, earlier))
    expect_grads_restored_or_cleared(rec, model)
    return got


def expect_untouched(rec, model, training, grads=True):
    """Every side effect embedding_gradient must not have, each with its specific mistake."""
    rec.expect_inputs_unchanged(inputs_mistake(rec.inputs))
    if rec.grad_mode == (True, False):  # the generic advice (a bare no_grad) does not fit a function that needs grad
        fail(f"{rec.call}; then torch.is_grad_enabled()", False, True,
             "gradients were switched off for the caller: torch.set_grad_enabled(False) is global, even when it "
             "is meant to undo a set_grad_enabled(True); `with torch.enable_grad():` gives the caller's mode back "
             "when its block ends")
    rec.expect_grad_mode_kept()
    rec.expect_modes_kept(mistake=mode_mistake(rec.modes))
    if training:
        rec.expect_forward_mode(True, "the forward ran in eval mode though the caller's model was in train mode: "
                                      "it runs in the caller's mode, so do not call model.eval() for it (a training "
                                      "loop calling this expects dropout on)")
    else:
        rec.expect_forward_mode(False, "the forward ran in train mode (dropout on) though the caller's model was in "
                                       "eval mode: gradients do not need model.train(); run the forward in the "
                                       "caller's mode")
    rec.expect_flags_kept(flags_mistake(rec.flags))
    if grads:
        expect_grads_restored_or_cleared(rec, model)


def expect_gradient_form(call, got, rec):
    if got is None:
        fail(call, "None", f"a float32 tensor [{VOCAB}, {HIDDEN}]",
             "weight.grad is None until a backward() reaches it: call backward() on the loss first, "
             "and make sure the weight requires a gradient (it is not frozen)")
    expect_tensor(call, got, shape=[VOCAB, HIDDEN], dtype=torch.float32,
                  mistakes={"type": "return the gradient tensor, weight.grad (a clone of it)",
                            "shape": "the gradient has the shape of model.embeddings.word_embeddings.weight"})
    check(not got.requires_grad, call, "a tensor that requires grad", "a detached tensor",
          "return the gradient detached: weight.grad.detach().clone()")
    check(f"{WORD}.grad" not in rec.shares, call, "the model's own weight.grad tensor",
          "a copy, not shared with the model",
          "you returned weight.grad itself, which the next backward() adds into in place; "
          "return weight.grad.detach().clone()")


def expect_grads_restored_or_cleared(rec, model):
    """The docstring allows either: each parameter's .grad is as before the call, or None (or zeros)."""
    params = dict(model.named_parameters())
    left = [n for n in rec.grads if params[n].grad is not None and params[n].grad.any()]
    if not left:
        return
    if left == [WORD]:
        mistake = ("word_embeddings.weight.grad still holds your call's gradient: after copying it, put back the "
                   "caller's .grad (saved before the call) or clear it")
    else:
        others = [n for n in left if n != WORD]
        mistake = (f"backward() filled .grad of {len(others)} other parameters (e.g. {others[0]}) and left it there: "
                   "backward only into the weight, loss.backward(inputs=[weight]) or torch.autograd.grad, or "
                   "put back or clear the others' .grad afterwards")
    fail(f"{rec.call}; then the parameters' .grad", f"changed and non-zero on {len(left)} parameters, e.g. {left[:2]}",
         "as before the call, or cleared (None)", mistake)


# ================================================================ helpers: naming the mistake


def error_mistakes(frozen):
    """(words in the exception, likely mistake) for exceptions embedding_gradient must not raise."""
    none_grad = ("the word embeddings are frozen (requires_grad False), so backward() leaves their .grad None; "
                 "switch requires_grad on for the call and put it back afterwards")
    out = []
    if not torch.is_grad_enabled():
        out.append(("does not require grad",
                    "the caller is inside torch.no_grad(), so the forward built no graph and backward() has "
                    "nothing to follow; wrap your forward and backward in torch.enable_grad()"))
    if frozen:
        out += [("does not require grad", none_grad), ("NoneType", none_grad)]
    reach = "backward() did not reach word_embeddings.weight: is the loss computed from last_hidden_state?"
    return out + [("does not require grad", reach), ("NoneType", reach)]


def inputs_mistake(changes):
    text = "; ".join(changes)
    if "lost the keys" in text:
        return ("inputs.pop(...) (or del) removed keys from the caller's batch: read them with inputs[key] and "
                "pass the model a new dict")
    if "gained the keys" in text:
        return "you added keys to the caller's batch: build a new dict ({**inputs, key: value}) instead"
    if "replaced by another tensor" in text:
        return ("you assigned into the caller's batch (inputs[key] = ...): keep a converted mask or ids in a local "
                "variable or a new dict")
    return None  # an in-place operation: the generic advice names out-of-place forms


def mode_mistake(modes):
    top = [m for m in modes if m[0] == ""]
    if top and not top[0][1] and top[0][2]:
        return ("the model arrived in eval mode and left in train mode: model.train() switches dropout on (random "
                "outputs, C12) and gradients do not need it; leave the mode as the caller set it")
    return None


def flags_mistake(flags):
    if not flags:
        return None
    others = [f for f in flags if f[0] != WORD]
    if others and others[0][2]:
        return (f"the call unfroze {len(others)} parameters the caller had frozen (e.g. {others[0][0]}): "
                "model.requires_grad_(True) switches on every flag; switch on only word_embeddings.weight, and put "
                "it back")
    if others:
        return (f"the call froze {len(others)} parameters the caller had trainable (e.g. {others[0][0]}): other "
                "parameters' requires_grad is the caller's; leave them alone")
    _, before, after = flags[0]
    if after:
        return ("the caller froze word_embeddings.weight: you switched requires_grad on for the call but did not put "
                "it back; save the flag and restore it in a finally block")
    return "word_embeddings.weight is left frozen: put its requires_grad back as it was (True)"


def diagnose_gradient(got, ref, rec, model, inputs, earlier):
    """Name the mistake behind a wrong gradient; a known mistake's gradient is computed only now, on failure."""
    if earlier is not None and torch.allclose(got, earlier + ref, atol=GRAD_ATOL):
        return ("this is the earlier gradient plus the new one: gradients accumulate across backward() "
                "calls; clear them (weight.grad = None) before backward(), and put the caller's back after")
    if torch.allclose(got, 2 * ref, atol=GRAD_ATOL):
        return ("twice the gradient: gradients accumulate across backward() calls; clear them "
                "(weight.grad = None or model.zero_grad()) before backward()")
    if not got.any():
        return ("the gradient is all zeros: if you return weight.grad itself, zero_grad(set_to_none=False) "
                "zeroes it in place afterwards; return a clone")
    scale = ((got.double() * ref.double()).sum() / ref.double().pow(2).sum()).item()
    if abs(scale - 1) > 1e-3 and torch.allclose(got, scale * ref, atol=GRAD_ATOL, rtol=1e-4):
        return (f"your gradient is {scale:.3g} times the expected one: the loss must be v.pow(2).mean(), "
                "v being the masked mean of last_hidden_state over real tokens")
    types = inputs.get("token_type_ids")
    if types is not None and types.any():
        if torch.allclose(got, autograd_gradient(model, {**inputs, "token_type_ids": torch.zeros_like(types)}),
                          atol=GRAD_ATOL):
            passed = any("token_type_ids" in f.keys or f.positional >= 3 for f in rec.forwards)
            if passed:
                return ("the model got token_type_ids of zeros: in a sentence pair the second sentence has "
                        "token_type_ids 1; pass the batch's own token_type_ids (model(**inputs))")
            return ("you dropped token_type_ids: the model then takes every token as sentence A; pass every "
                    "input the batch holds, model(**inputs)")
    mask = inputs["attention_mask"]
    if not mask.all():
        if torch.allclose(got, autograd_gradient(model, inputs, pool="all"), atol=GRAD_ATOL):
            return ("the mean ran over [PAD] positions too: average last_hidden_state over the real tokens only, "
                    "weighting by attention_mask and dividing by its row sums (C10)")
    if nonzero_rows(got) != nonzero_rows(ref):
        return "other rows than the input's tokens have gradient: is the gradient left over from another input?"
    return ("compute loss = v.pow(2).mean() with v the mean of last_hidden_state over the real tokens "
            "(attention_mask), then backward()")


def zero_row_mistake(rec, several_rows):
    if rec.error is not None:
        return "raise ValueError for a row of attention_mask with no real token, before the forward"
    got = rec.value
    if isinstance(got, torch.Tensor) and got.is_floating_point() and got.isnan().any():
        if several_rows:
            return ("row 1 has no real token while row 0 has: check every row, (attention_mask.sum(dim=1) == 0)"
                    ".any(), not the batch as a whole")
        return ("a row with no real token divides 0 by 0 and the gradient is NaN: check "
                "(attention_mask.sum(dim=1) == 0).any() and raise ValueError")
    return ("a gradient came back for a row with no real token: clamping the count (clamp(min=1)) or adding an "
            "epsilon hides the caller's mistake; the docstring asks for ValueError")


def grad_changed_mistake(kept, grad):
    if not isinstance(grad, torch.Tensor) or grad.shape != kept.shape:
        return None
    if torch.equal(grad, kept.abs()):
        return ("grad.abs_() made the caller's gradient positive in place (to stop entries cancelling?): "
                "grad.abs() or grad != 0 makes a new tensor")
    changed = (grad != kept).any(dim=1).nonzero().flatten().tolist()
    if changed == [0]:
        return ("you wrote into row 0 of the caller's gradient (grad[0] = 0, to drop [PAD]?): the tensor is the "
                "caller's; and row 0 counts where it is non-zero")
    return None


def is_rows(got, want):
    return isinstance(got, list) and all(type(r) is int for r in got) and got == list(want)


def expect_rows(call, got, want):
    check(is_rows(got, want), call, summary(got), list(want), diagnose_rows(got, want))


def diagnose_rows_on_the_fixed_input(impl):
    """The diagnosis from :func:`small_gradient`, or None if the function gets that one right."""
    rec = observe("rows_with_gradient(small_gradient())", impl.rows_with_gradient, small_gradient())
    if rec.error is not None or is_rows(rec.value, SMALL_ROWS):
        return None
    return diagnose_rows(rec.value, SMALL_ROWS)


def diagnose_rows(got, want):
    if isinstance(got, torch.Tensor):
        return "return a list of int: (grad != 0).any(dim=1).nonzero().flatten().tolist()"
    if not isinstance(got, list):
        return f"return a list of int, not a {type_name(got)}"
    if any(isinstance(r, bool) or not isinstance(r, int) for r in got):
        kinds = sorted({type_name(r) for r in got if type(r) is not int})
        return f"return Python ints, not {', '.join(kinds)} (.tolist() converts a tensor of indices)"
    if len(got) != len(set(got)):
        return ("ids repeat: nonzero() lists every non-zero entry, 768 per row; reduce over the hidden axis "
                "first with any(dim=1)")
    if sorted(got) == sorted(want):
        return "the ids are right but not sorted: return them in increasing order"
    missing = set(want) - set(got)
    if want == SMALL_ROWS and set(got) <= set(want):
        if missing == {0}:
            return ("row 0 is non-zero in this tensor but missing: report what grad holds; in a real embedding "
                    "gradient padding_idx keeps row 0 zero by itself, so do not drop it")
        if 3 in missing and 9 not in missing:
            return ("row 3 holds one tiny entry (1e-30) and is missing: squaring underflows to 0 in float32 "
                    "(grad.norm(), grad.pow(2).sum()) and a threshold drops it; compare with 0: (grad != 0).any(dim=1)")
    if set(got) < set(want):
        return ("rows are missing: a row whose entries cancel sums to 0 but is not zero; test each entry, "
                "(grad != 0).any(dim=1)")
    if 0 in got and 0 not in want:
        return "row 0 ([PAD]) has no gradient: padding_idx=0 keeps it zero"
    return "a row counts when any of its entries is non-zero"


def diagnose_count(got, want, model):
    params = list(model.parameters())
    total = sum(p.numel() for p in params)
    twice = sum(p.numel() for _, p in model.named_parameters(remove_duplicate=False) if p.requires_grad)
    value = int(got) if isinstance(got, (int, float)) or (isinstance(got, torch.Tensor) and got.numel() == 1) \
        or type(got).__module__ == "numpy" else None
    if value == want:
        if isinstance(got, torch.Tensor):
            return "return a Python int, not a tensor: add p.numel() (an int) instead of summing a tensor"
        if type(got).__module__ == "numpy":
            return f"return a Python int, not {type_name(got)}: np.prod(p.shape) gives numpy ints; p.numel() is an int"
        return f"return a Python int, not a {type_name(got)}"
    if value == total and want != total:
        return "you counted every parameter; count only those with requires_grad True"
    if value == sum(1 for p in params if p.requires_grad):
        return "you counted parameter tensors; count their elements with p.numel()"
    if value == twice != want:
        return ("a tied weight was counted twice: it is one parameter shared by two modules; model.parameters() "
                "lists it once, named_parameters(remove_duplicate=False) or each module's own parameters twice")
    return "add p.numel() over the parameters p whose requires_grad is True"


def diagnose_freeze(model, before, after, wrong):
    if model.embeddings.__dict__.get("requires_grad") is False:
        return ("model.embeddings.requires_grad = False only sets a plain Python attribute on the module; "
                "freeze its parameters with model.embeddings.requires_grad_(False)")
    if not any(after.values()):
        return "you froze the whole model; freeze model.embeddings only"
    unfrozen = [n for n in wrong if not n.startswith("embeddings.") and after[n] and not before[n]]
    if unfrozen:
        return (f"you set every parameter's flag, unfreezing {unfrozen[0]} that the caller had frozen: leave the "
                "other flags as the caller had them and change only model.embeddings' parameters")
    if all(n.startswith("embeddings.") for n in wrong) and not after[WORD]:
        return ("you froze only word_embeddings: position_embeddings, token_type_embeddings and LayerNorm are "
                "under model.embeddings too; model.embeddings.requires_grad_(False)")
    return "freeze every parameter under model.embeddings, and nothing else: requires_grad_(False)"
