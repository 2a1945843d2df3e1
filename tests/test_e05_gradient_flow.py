"""Exercise 05, gradient flow: checked against autograd on bert-base-chinese and its real parameter counts."""

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from bertkata.feedback import check, expect_close, expect_error, expect_tensor, fail, summary, type_name
from bertkata.strategies import mixed_sentences, sparse_gradients

SEED = "我觉得不行"
SEED_IDS = [101, 2769, 6230, 2533, 679, 6121, 102]
SEED_ROWS = [101, 102, 679, 2533, 2769, 6121, 6230]
PADDED = ["你好", "今天天气很好"]
# C13, https://github.com/huggingface/transformers/issues/5567: the padded pair uses ids
# 0, 101, 102, 791, 872, 1921, 1962, 2523, 3698; [PAD] (0) gets no gradient.
PADDED_ROWS = [101, 102, 791, 872, 1921, 1962, 2523, 3698]
VOCAB, HIDDEN = 21128, 768
# C15, https://github.com/huggingface/transformers/issues/95: bert-base-chinese's BertModel.
TOTAL_PARAMETERS = 102_267_648
EMBEDDING_PARAMETERS = 16_622_592
TRAINABLE_WITHOUT_EMBEDDINGS = 85_645_056
# The same forward and backward in another order of calls agree to rounding.
GRAD_ATOL = 1e-6

_REFERENCE: dict = {}


def encode(tokenizer, sentences):
    return tokenizer(sentences, padding=True, return_tensors="pt")


def loss_of(model, inputs):
    """The documented loss: the mean squared entry of the masked-mean sentence vectors."""
    hidden = model(**inputs).last_hidden_state
    mask = inputs["attention_mask"].unsqueeze(-1).to(hidden.dtype)
    return ((hidden * mask).sum(1) / mask.sum(1)).pow(2).mean()


def reference_gradient(model, tokenizer, sentences):
    """The gradient by torch.autograd.grad on the untouched model (eval mode), cached per model source and input."""
    key = (model.config.name_or_path, tuple(sentences))
    if key not in _REFERENCE:
        weight = model.embeddings.word_embeddings.weight
        assert not model.training and weight.requires_grad, "the model fixture hands out an eval, unfrozen model"
        with torch.enable_grad():
            (_REFERENCE[key],) = torch.autograd.grad(loss_of(model, encode(tokenizer, sentences)), weight)
    return _REFERENCE[key]


def nonzero_rows(grad):
    """The test's own row finder: a loop-free but independent spelling (abs, max over hidden)."""
    return [i for i, m in enumerate(grad.abs().amax(dim=1).tolist()) if m > 0]


def checksum(t):
    """A cheap fingerprint of a gradient: its sum and absolute sum in float64."""
    return (t.sum(dtype=torch.float64).item(), t.abs().sum(dtype=torch.float64).item())


def gradient(impl, model, inputs, call):
    """Call embedding_gradient; an exception fails with what happened and the likely mistake."""
    try:
        return impl.embedding_gradient(model, inputs)
    except NotImplementedError:
        raise
    except Exception as exc:
        text = f"raised {type(exc).__name__}: {exc}"
        if "does not require grad" in str(exc) and not torch.is_grad_enabled():
            fail(call, text, "the gradient",
                 "the caller is inside torch.no_grad(), so the forward built no graph and backward() has "
                 "nothing to follow; wrap your forward and backward in torch.enable_grad()")
        if "does not require grad" in str(exc) or "NoneType" in str(exc):
            frozen = not model.embeddings.word_embeddings.weight.requires_grad
            fail(call, text, "the gradient",
                 "the word embeddings are frozen (requires_grad False), so backward() leaves their .grad None; "
                 "switch requires_grad on for the call and put it back afterwards" if frozen else
                 "backward() did not reach word_embeddings.weight: is the loss computed from last_hidden_state?")
        fail(call, text, "the gradient", "see the docstring for the loss and what the function must do")


def diagnose(got, ref, model, earlier=None):
    """Name the mistake behind a wrong gradient."""
    if model.training:
        return ("the model was left in train mode: model.train() switches dropout on (random outputs), "
                "it is not needed for gradients; gradients need a graph and requires_grad")
    if earlier is not None and torch.allclose(got, earlier + ref, atol=GRAD_ATOL):
        return ("this is the earlier gradient plus the new one: gradients accumulate across backward() "
                "calls; clear them (weight.grad = None or model.zero_grad()) before backward()")
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
    if nonzero_rows(got) != nonzero_rows(ref):
        return "other rows than the input's tokens have gradient: is the gradient left over from another input?"
    return ("compute loss = v.pow(2).mean() with v the mean of last_hidden_state over the real tokens "
            "(attention_mask), then backward()")


def expect_gradient(call, got, ref, model, earlier=None):
    if got is None:
        fail(call, "None", f"a float32 tensor [{VOCAB}, {HIDDEN}]",
             "weight.grad is None until a backward() reaches it: call backward() on the loss first, "
             "and make sure the weight requires a gradient (it is not frozen)")
    expect_tensor(call, got, shape=[VOCAB, HIDDEN], dtype=torch.float32,
                  mistakes={"type": "return the gradient tensor, weight.grad (a clone of it)",
                            "shape": "the gradient has the shape of model.embeddings.word_embeddings.weight"})
    check(not got.requires_grad, call, "a tensor that requires grad", "a detached tensor",
          "return the gradient detached: weight.grad.detach().clone()")
    expect_close(call, got, ref, atol=GRAD_ATOL, mistake=diagnose(got, ref, model, earlier))


def diagnose_rows(got, want):
    if isinstance(got, torch.Tensor):
        return "return a list of int: (grad != 0).any(dim=1).nonzero().flatten().tolist()"
    if not isinstance(got, list):
        return f"return a list of int, not a {type_name(got)}"
    if any(isinstance(r, bool) or not isinstance(r, int) for r in got):
        return "return Python ints (.tolist() converts a tensor of indices)"
    if len(got) != len(set(got)):
        return ("ids repeat: nonzero() lists every non-zero entry, 768 per row; reduce over the hidden axis "
                "first with any(dim=1)")
    if sorted(got) == sorted(want):
        return "the ids are right but not sorted: return them in increasing order"
    if set(got) < set(want):
        return ("rows are missing: a row whose entries cancel sums to 0 but is not zero; test each entry, "
                "(grad != 0).any(dim=1)")
    if 0 in got and 0 not in want:
        return "row 0 ([PAD]) has no gradient: padding_idx=0 keeps it zero"
    return "a row counts when any of its entries is non-zero"


def expect_rows(call, got, want):
    check(isinstance(got, list) and all(type(r) is int for r in got) and got == list(want), call,
          summary(got), list(want), diagnose_rows(got, want))


# ---------------------------------------------------------------- rows_with_gradient (no model)


def test_rows_of_a_small_gradient(impl):
    """Rows 3 and 9 are non-zero: row 3 holds one tiny entry, row 9's entries cancel (it sums to 0)."""
    grad = torch.zeros(12, 4)
    grad[3, 2] = 1e-30
    grad[9, 0], grad[9, 1] = 0.5, -0.5
    call = "rows_with_gradient(tensor [12, 4] with rows 3 and 9 non-zero, row 9 summing to 0)"
    expect_rows(call, impl.rows_with_gradient(grad), [3, 9])


@given(grad=sparse_gradients())
def test_rows_match_a_loop_over_rows(impl, grad):
    """For any gradient: the sorted indices of rows with at least one non-zero entry."""
    want = [i for i in range(grad.shape[0]) if any(v != 0 for v in grad[i].tolist())]
    call = f"rows_with_gradient(tensor {list(grad.shape)} with rows {want} non-zero)"
    expect_rows(call, impl.rows_with_gradient(grad), want)


BAD_INPUT = [
    (None, TypeError, "None (no backward() has run, or the parameter is frozen)"),
    ([[0.0, 1.0]], TypeError, "a list instead of a tensor"),
    (torch.ones(5), ValueError, "a 1-D tensor"),
]


@pytest.mark.parametrize("grad,error,what", BAD_INPUT, ids=[b[2] for b in BAD_INPUT])
def test_rows_of_bad_input_get_a_clear_error(impl, grad, error, what):
    """None is what .grad holds before any backward(): say so, instead of an AttributeError."""
    call = f"rows_with_gradient({summary(grad)}) with {what}"
    expect_error(call, lambda: impl.rows_with_gradient(grad), error,
                 "'grad is None: no backward() has reached this parameter'")


# ---------------------------------------------------------------- embedding_gradient


def test_gradient_of_the_seed_sentence(impl, tokenizer, model):
    """[21128, 768] float32, equal to autograd's; non-zero exactly in the rows of the 7 input ids.

    C13, https://github.com/huggingface/transformers/issues/5567.
    """
    inputs = encode(tokenizer, [SEED])
    check(inputs["input_ids"][0].tolist() == SEED_IDS, f"tokenizer([{SEED!r}])['input_ids']",
          inputs["input_ids"][0].tolist(), SEED_IDS, "the model source's tokenizer is not bert-base-chinese's")
    ref = reference_gradient(model, tokenizer, [SEED])
    check(nonzero_rows(ref) == SEED_ROWS, "autograd's gradient rows", nonzero_rows(ref), SEED_ROWS,
          "the model source is not bert-base-chinese's architecture")
    call = f"embedding_gradient(model, tokenizer([{SEED!r}], return_tensors='pt'))"
    got = gradient(impl, model, inputs, call)
    expect_gradient(call, got, ref, model)
    expect_rows(f"rows_with_gradient({call})", impl.rows_with_gradient(got), SEED_ROWS)


def test_calling_twice_gives_the_same_gradient(impl, tokenizer, model):
    """A second call returns the same gradient, not twice it: backward() adds to .grad (C16),
    and a later call on other input leaves an earlier result unchanged (it is the caller's copy).

    https://discuss.pytorch.org/t/what-does-the-backward-function-do/9944/2
    """
    ref = reference_gradient(model, tokenizer, [SEED])
    call = f"embedding_gradient(model, tokenizer([{SEED!r}]))"
    first = gradient(impl, model, encode(tokenizer, [SEED]), call)
    expect_gradient(call + "  # first call", first, ref, model)
    kept = first.clone()
    second = gradient(impl, model, encode(tokenizer, [SEED]), call)
    expect_gradient(call + "  # second call", second, ref, model, earlier=kept)
    gradient(impl, model, encode(tokenizer, PADDED), f"embedding_gradient(model, tokenizer({PADDED}))")
    expect_close(f"g = {call}; embedding_gradient(model, <{PADDED}>); then g", first, kept, atol=0.0,
                 mistake="you returned weight.grad itself, which the next call zeroes and refills in place; "
                         "return weight.grad.detach().clone()")


def test_gradients_the_model_already_holds_do_not_count(impl, tokenizer, model):
    """After a backward() of the caller's own, the result is still the gradient of this loss alone,
    and the caller's gradients are either restored or cleared."""
    ref = reference_gradient(model, tokenizer, [SEED])
    weight = model.embeddings.word_embeddings.weight
    query = model.encoder.layer[0].attention.self.query.weight
    # the caller's own, earlier backward (into two parameters only: a full one costs 400 MB of gradients)
    loss_of(model, encode(tokenizer, PADDED)).backward(inputs=[weight, query])
    earlier = weight.grad.clone()
    held = {n: checksum(p.grad) for n, p in model.named_parameters() if p.grad is not None}
    call = f"embedding_gradient(model, tokenizer([{SEED!r}]))  # the model holds gradients of {PADDED}"
    got = gradient(impl, model, encode(tokenizer, [SEED]), call)
    expect_gradient(call, got, ref, model, earlier=earlier)
    for name, p in model.named_parameters():
        cleared = p.grad is None or not p.grad.any()
        check(cleared or checksum(p.grad) == held.get(name), f"{call}; then {name}.grad",
              summary(p.grad), "the caller's gradient, or None",
              "leave the model's .grad as you found it (or cleared): a gradient left over from your call "
              "would accumulate into the caller's next step")
    check(weight.requires_grad, f"{call}; then word_embeddings.weight.requires_grad", False, True,
          "put requires_grad back as it was")


def test_works_inside_no_grad(impl, tokenizer, model):
    """Inside torch.no_grad() the forward builds no graph; the function must still work (C14),
    and leave no_grad in force for the caller.

    https://github.com/nianticlabs/monodepth2/issues/24
    """
    ref = reference_gradient(model, tokenizer, [SEED])
    call = f"with torch.no_grad(): embedding_gradient(model, tokenizer([{SEED!r}]))"
    with torch.no_grad():
        got = gradient(impl, model, encode(tokenizer, [SEED]), call)
        still_off = not torch.is_grad_enabled()
    check(still_off, call, "gradient mode switched on for the caller", "torch.no_grad() still in force",
          "use `with torch.enable_grad():` (it ends with the block), not torch.set_grad_enabled(True)")
    expect_gradient(call, got, ref, model)


def test_padded_batch_leaves_the_pad_row_zero(impl, tokenizer, model):
    """C13: the padded pair ["你好", "今天天气很好"] holds [PAD] (0), but row 0 gets no gradient
    (padding_idx=0), so the rows are the other 8 ids. https://github.com/huggingface/transformers/issues/5567
    """
    inputs = encode(tokenizer, PADDED)
    check(0 in inputs["input_ids"].tolist()[0] and model.embeddings.word_embeddings.padding_idx == 0,
          f"tokenizer({PADDED}, padding=True)", summary(inputs["input_ids"]), "[PAD] (0) in row 0, padding_idx 0",
          "the model source is not bert-base-chinese's")
    ref = reference_gradient(model, tokenizer, PADDED)
    check(nonzero_rows(ref) == PADDED_ROWS, "autograd's gradient rows", nonzero_rows(ref), PADDED_ROWS,
          "the model source is not bert-base-chinese's architecture")
    call = f"embedding_gradient(model, tokenizer({PADDED}, padding=True))"
    got = gradient(impl, model, inputs, call)
    expect_gradient(call, got, ref, model)
    expect_rows(f"rows_with_gradient({call})", impl.rows_with_gradient(got), PADDED_ROWS)


@settings(max_examples=5)  # each example is a forward and backward through BERT-base
@given(sentence=mixed_sentences(max_pieces=3))
def test_rows_are_the_ids_of_any_sentence(impl, tokenizer, model, sentence):
    """For any single (unpadded) sentence, the rows with gradient are exactly its distinct ids."""
    inputs = tokenizer([sentence], return_tensors="pt")
    want = sorted(set(inputs["input_ids"][0].tolist()))
    call = f"rows_with_gradient(embedding_gradient(model, tokenizer([{sentence!r}])))"
    got = gradient(impl, model, inputs, call)
    expect_tensor(call, got, shape=[VOCAB, HIDDEN])
    rows = impl.rows_with_gradient(got)
    if isinstance(rows, list) and set(rows) > set(want):
        fail(call, summary(rows), want,
             "rows of tokens not in this sentence have gradient, left over from an earlier call: gradients "
             "accumulate across backward() calls; clear them before backward()")
    expect_rows(call, rows, want)


def test_leaves_the_model_as_it_found_it(impl, tokenizer, model):
    """Same eval/train mode, same requires_grad flags, no gradient left behind, grad mode unchanged."""
    inputs = encode(tokenizer, [SEED])
    call = f"embedding_gradient(model, tokenizer([{SEED!r}]))  # model in eval mode"
    gradient(impl, model, inputs, call)
    check(not model.training, f"{call}; then model.training", True, False,
          "model.train() switches dropout on; it is not needed for gradients, and the caller's model "
          "must stay in the mode it was in")
    check(torch.is_grad_enabled(), f"{call}; then torch.is_grad_enabled()", False, True,
          "use `with torch.enable_grad():` rather than switching gradient mode globally")
    left = [n for n, p in model.named_parameters() if p.grad is not None and p.grad.any()]
    check(not left, f"{call}; then the parameters' .grad", f"non-zero on {len(left)} parameters, e.g. {left[:2]}",
          "None (or zeros) everywhere, as before the call",
          "clear or restore the gradients you created: left on the model they accumulate into the next "
          "backward()")
    frozen = [n for n, p in model.named_parameters() if not p.requires_grad]
    check(not frozen, f"{call}; then requires_grad", f"False on {frozen[:2]}...", "True everywhere, as before",
          "put requires_grad back as you found it")
    model.train()
    gradient(impl, model, inputs, call.replace("eval mode", "train mode"))
    check(model.training, f"{call.replace('eval mode', 'train mode')}; then model.training", False, True,
          "leave the mode as the caller set it: the forward runs in whatever mode the model is in")


def test_frozen_embeddings_still_give_their_gradient(impl, tokenizer, model):
    """With the embeddings frozen, or the whole model, the gradient is the same, and stays frozen after."""
    ref = reference_gradient(model, tokenizer, [SEED])
    inputs = encode(tokenizer, [SEED])
    for what, module in (("model.embeddings", model.embeddings), ("model", model)):
        module.requires_grad_(False)
        call = f"{what}.requires_grad_(False); embedding_gradient(model, tokenizer([{SEED!r}]))"
        got = gradient(impl, model, inputs, call)
        if got is None:
            fail(call, "None", f"a float32 tensor [{VOCAB}, {HIDDEN}]",
                 "the word embeddings are frozen (requires_grad False), so backward() leaves their .grad None; "
                 "switch requires_grad on for the call and put it back afterwards")
        expect_gradient(call, got, ref, model)
        still = [n for n, p in module.named_parameters() if p.requires_grad]
        check(not still, f"{call}; then requires_grad", f"True on {still[:2]}", f"False on all of {what}",
              "the caller froze them: put requires_grad back as you found it")


# ---------------------------------------------------------------- freezing and counting


def test_freeze_embeddings_freezes_exactly_the_embeddings(impl, tokenizer, model):
    """After freezing, 85,645,056 of 102,267,648 parameters remain trainable, and a backward()
    gives the embeddings no .grad but the encoder one (C15, https://github.com/huggingface/transformers/issues/95)."""
    total = sum(p.numel() for p in model.parameters())
    in_embeddings = sum(p.numel() for p in model.embeddings.parameters())
    check((total, in_embeddings) == (TOTAL_PARAMETERS, EMBEDDING_PARAMETERS), "the model's parameter counts",
          (total, in_embeddings), (TOTAL_PARAMETERS, EMBEDDING_PARAMETERS),
          "the model source is not bert-base-chinese's architecture")
    call = "freeze_embeddings(model)"
    impl.freeze_embeddings(model)
    wrong = [n for n, p in model.named_parameters() if p.requires_grad != (not n.startswith("embeddings."))]
    if wrong:
        if model.embeddings.__dict__.get("requires_grad") is False:
            mistake = ("model.embeddings.requires_grad = False only sets a plain Python attribute on the module; "
                       "freeze its parameters with model.embeddings.requires_grad_(False)")
        elif all(not p.requires_grad for p in model.parameters()):
            mistake = "you froze the whole model; freeze model.embeddings only"
        else:
            mistake = "freeze every parameter under model.embeddings, and nothing else: requires_grad_(False)"
        fail(f"{call}; then requires_grad", f"wrong on {len(wrong)} parameters, e.g. {wrong[:3]}",
             "False on every embeddings.* parameter, True on the encoder and pooler", mistake)
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    check(trainable == total - in_embeddings == TRAINABLE_WITHOUT_EMBEDDINGS, f"{call}; trainable numbers",
          trainable, TRAINABLE_WITHOUT_EMBEDDINGS, "freeze model.embeddings only")
    loss_of(model, encode(tokenizer, [SEED])).backward()
    with_grad = [n for n, p in model.embeddings.named_parameters() if p.grad is not None]
    check(not with_grad, f"{call}; backward(); then embeddings' .grad", f"tensors on {with_grad}", "None",
          "frozen parameters get no gradient")
    query = model.encoder.layer[0].attention.self.query.weight
    check(query.grad is not None, f"{call}; backward(); then encoder.layer[0].attention.self.query.weight.grad",
          "None", "a gradient", "freeze only the embeddings: the encoder must keep learning")


def test_count_trainable_parameters(impl, model):
    """102,267,648 in all, 85,645,056 with the embeddings frozen, 0 with everything frozen (C15).

    https://github.com/huggingface/transformers/issues/95
    """
    def expect_count(state, want):
        call = f"count_trainable_parameters(model)  # {state}"
        got = impl.count_trainable_parameters(model)
        if got == TOTAL_PARAMETERS and want != TOTAL_PARAMETERS:
            mistake = "you counted every parameter; count only those with requires_grad True"
        elif got == sum(1 for p in model.parameters() if p.requires_grad):
            mistake = "you counted parameter tensors; count their elements with p.numel()"
        else:
            mistake = "add p.numel() over the parameters p whose requires_grad is True"
        check(type(got) is int and got == want, call, summary(got), f"{want:,} (an int)", mistake)

    total = sum(p.numel() for p in model.parameters())
    check(total == TOTAL_PARAMETERS, "sum(p.numel() for p in model.parameters())", total, TOTAL_PARAMETERS,
          "the model source is not bert-base-chinese's architecture")
    expect_count("nothing frozen", total)
    model.embeddings.requires_grad_(False)
    expect_count("after model.embeddings.requires_grad_(False)",
                 total - sum(p.numel() for p in model.embeddings.parameters()))
    check(total - sum(p.numel() for p in model.embeddings.parameters()) == TRAINABLE_WITHOUT_EMBEDDINGS,
          "trainable numbers without the embeddings", total - EMBEDDING_PARAMETERS, TRAINABLE_WITHOUT_EMBEDDINGS,
          "the model source is not bert-base-chinese's architecture")
    model.requires_grad_(False)
    expect_count("after model.requires_grad_(False)", 0)


@given(data=st.data())
def test_count_matches_any_frozen_subset(impl, model, data):
    """Freeze any subset of the model's parameters: the count is the elements of the rest."""
    params = dict(model.named_parameters())
    frozen = data.draw(st.sets(st.sampled_from(sorted(params))), label="frozen")
    for name, p in params.items():
        p.requires_grad_(name not in frozen)
    want = sum(p.numel() for name, p in params.items() if name not in frozen)
    call = f"count_trainable_parameters(model)  # {len(frozen)} parameters frozen"
    got = impl.count_trainable_parameters(model)
    check(type(got) is int and got == want, call, summary(got), f"{want:,} (an int)",
          "you counted every parameter; count only those with requires_grad True" if got == TOTAL_PARAMETERS
          else "add p.numel() over the parameters p whose requires_grad is True")
