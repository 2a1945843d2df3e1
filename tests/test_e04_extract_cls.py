"""Exercise 04, extract [CLS]: checked against bert-base-chinese's own outputs and a row-by-row reference.

Every call to the learner's functions goes through :func:`call`, which observes it
(:func:`bertkata.calls.observe`): the caller's tensors must come back unchanged. When a value is
wrong, the diagnosis comes from re-running the learner's function on a fixed, discriminating input
(:data:`FIXED_HS`, :data:`FIXED_MASK`: right-padded, left-padded and gapped rows), never from the
example hypothesis shrank to (on a 1x2x1 tensor "the first n positions" and "[CLS]" look alike).
The cheap, discriminating tests come first: the meta tests stop at the first failure.
"""

import re

import pytest
import torch
from hypothesis import given, settings
from transformers.modeling_outputs import BaseModelOutputWithPoolingAndCrossAttentions as Output

from bertkata.calls import observe
from bertkata.feedback import check, fail, summary, type_name
from bertkata.strategies import chinese_batches, hidden_states, hidden_states_and_masks

SEED = ["我觉得不行", "我觉得其实还可以"]
CLS_ID = 101
HIDDEN = 768
# A sentence's real-token vectors differ by float rounding when padding is added to the
# batch (about 1e-6 measured, https://github.com/huggingface/transformers/issues/17463);
# every padding mistake moves the mean by more than 0.1.
PAD_ATOL = 1e-5
# A mean of float32 values in [-10, 10] over at most 6 tokens, against a float64 reference.
TENSOR_ATOL = 1e-5

# The fixed input every diagnosis re-runs the learner's function on: 3 sentences, 5 positions,
# hidden 4, distinct values; row 0 right-padded, row 1 left-padded, row 2 with a gap.
FIXED_HS = torch.randn(3, 5, 4, generator=torch.Generator().manual_seed(4))
FIXED_MASK = torch.tensor([[1, 1, 1, 0, 0], [0, 0, 1, 1, 1], [1, 0, 1, 1, 0]])
FIXED_POOLER = torch.tanh(torch.randn(3, 4, generator=torch.Generator().manual_seed(5)))
SHOWN = "tensor [3, 5, 4]"
SHOWN_MASK = f"mask {FIXED_MASK.tolist()}"


def call_backward(text, fn, *args):
    """:func:`call`, and the gradient of the result's sum with respect to the input that requires grad
    (None when none reaches it), taken where the learner's code ran."""
    value, rec = observed(text, fn, *args, backward=True)
    return value, (rec.input_grads[0] if rec.input_grads else None)


def call(text, fn, *args, mistakes=()):
    """The learner's ``fn(*args)``, observed: fails on an unexpected error (naming ``mistakes``:
    (words in the error, likely mistake)) and on any change to the caller's arguments."""
    return observed(text, fn, *args, mistakes=mistakes)[0]


def observed(text, fn, *args, mistakes=(), backward=False):
    rec = observe(text, fn, *args, backward=backward)
    value = rec.result(mistakes=[NO_UNSQUEEZE, *mistakes])
    rec.expect_inputs_unchanged(inputs_mistake(rec.inputs))
    rec.expect_grad_mode_kept()
    return value, rec


# ---------------------------------------------------------------- fixed inputs (cheap, discriminating)


def test_cls_is_position_0(impl):
    """For [3, 5, 4] hidden states the [CLS] vectors are last_hidden_state[:, 0, :]: [3, 4], exactly,
    float32 as given, a torch.Tensor."""
    text = f"cls_embeddings({SHOWN})"
    got = call(text, impl.cls_embeddings, FIXED_HS.clone())
    expect_vectors(text, got, FIXED_HS[:, 0], lambda: cls_diagnosis(impl.cls_embeddings), atol=0.0)


def test_sentence_vector_is_cls_not_pooler_output(impl):
    """From the whole model output, the [CLS] vectors are last_hidden_state[:, 0, :], not pooler_output.

    C09, https://github.com/huggingface/transformers/issues/7540: many posts call
    pooler_output "the [CLS] embedding"; it is tanh(pooler.dense([CLS])).
    """
    text = f"sentence_vector(Output(last_hidden_state={SHOWN}, pooler_output=tensor [3, 4]))"
    got = call(text, impl.sentence_vector, Output(last_hidden_state=FIXED_HS.clone(),
                                                   pooler_output=FIXED_POOLER.clone()))
    expect_vectors(text, got, FIXED_HS[:, 0], lambda: cls_diagnosis(sentence_vector_of(impl)), atol=0.0)


def test_mean_is_over_the_real_tokens_wherever_they_are(impl):
    """Row 0 is right-padded, row 1 left-padded, row 2 has a gap: each row's mean is over the
    positions whose mask is 1, whatever their place, float32 as given."""
    text = f"masked_mean_pool({SHOWN}, {SHOWN_MASK})"
    got = call(text, impl.masked_mean_pool, FIXED_HS.clone(), FIXED_MASK.clone())
    expect_vectors(text, got, reference_mean(FIXED_HS, FIXED_MASK), lambda: mean_diagnosis(impl), atol=1e-6)


def test_results_keep_the_dtype(impl):
    """float64 hidden states give float64 vectors from all three functions (the mask is converted to
    the hidden states' dtype, never the other way round)."""
    hs = FIXED_HS.double()
    text = f"cls_embeddings({SHOWN} float64)"
    expect_vectors(text, call(text, impl.cls_embeddings, hs.clone()), hs[:, 0],
                   lambda: cls_diagnosis(impl.cls_embeddings), atol=0.0)
    text = f"sentence_vector(Output(last_hidden_state={SHOWN} float64, ...))"
    expect_vectors(text, call(text, impl.sentence_vector, Output(last_hidden_state=hs.clone(),
                                                                  pooler_output=FIXED_POOLER.double())),
                   hs[:, 0], lambda: cls_diagnosis(sentence_vector_of(impl)), atol=0.0)
    text = f"masked_mean_pool({SHOWN} float64, {SHOWN_MASK})"
    expect_vectors(text, call(text, impl.masked_mean_pool, hs.clone(), FIXED_MASK.clone()),
                   reference_mean(hs, FIXED_MASK), lambda: mean_diagnosis(impl), atol=1e-12)


@pytest.mark.parametrize("dtype", [torch.float16, torch.bfloat16], ids=str)
def test_half_precision_keeps_its_dtype(impl, dtype):
    """Half-precision hidden states (a model run in float16 or bfloat16) give vectors of that dtype:
    the mask is converted to the hidden states' dtype, not the hidden states to float32."""
    hs = FIXED_HS.to(dtype)
    for name, args in (("cls_embeddings", (hs.clone(),)), ("masked_mean_pool", (hs.clone(), FIXED_MASK.clone()))):
        text = f"{name}({SHOWN} {dtype}{', ' + SHOWN_MASK if len(args) == 2 else ''})"
        got = call(text, getattr(impl, name), *args)
        check(isinstance(got, torch.Tensor) and got.dtype == dtype, text, summary(got), f"a {dtype} tensor",
              "the mask (int64) was turned into float32 with .float(), which promotes half-precision hidden states "
              "to float32: convert it with attention_mask.to(last_hidden_state.dtype)" if name == "masked_mean_pool"
              else "return the vectors as they are, without converting them")


def test_cls_keeps_the_autograd_graph(impl):
    """When last_hidden_state requires grad (fine-tuning on the [CLS] vector), so does the result of
    cls_embeddings and of sentence_vector, and backward() reaches position 0 only."""
    for name, wrap in (("cls_embeddings", lambda hs: hs), ("sentence_vector", lambda hs: Output(
            last_hidden_state=hs, pooler_output=FIXED_POOLER))):
        hs = FIXED_HS.clone().requires_grad_()
        text = f"{name}({SHOWN} requiring grad)"
        got, grad = call_backward(text, getattr(impl, name), wrap(hs))
        expect_vectors(text, got.detach() if isinstance(got, torch.Tensor) else got, FIXED_HS[:, 0],
                       lambda: cls_diagnosis(getattr(impl, name) if name == "cls_embeddings"
                                             else sentence_vector_of(impl)), atol=0.0)
        check(got.requires_grad, f"{text}.requires_grad", False, True, CUT[name])
        want = torch.zeros_like(FIXED_HS)
        want[:, 0] = 1
        check(grad is not None and torch.equal(grad, want), f"{text}.sum().backward(); hs.grad",
              summary(grad), "1 at position 0 of every row, 0 elsewhere", CUT[name])


def test_mean_keeps_the_autograd_graph(impl):
    """When last_hidden_state requires grad (fine-tuning with mean pooling), so does the mean, and
    backward() reaches each real token with 1/count and no [PAD]."""
    hs = FIXED_HS.clone().requires_grad_()
    text = f"masked_mean_pool({SHOWN} requiring grad, {SHOWN_MASK})"
    got, grad = call_backward(text, impl.masked_mean_pool, hs, FIXED_MASK.clone())
    expect_vectors(text, got.detach() if isinstance(got, torch.Tensor) else got,
                   reference_mean(FIXED_HS, FIXED_MASK), lambda: mean_diagnosis(impl), atol=1e-6)
    check(got.requires_grad, f"{text}.requires_grad", False, True, CUT["masked_mean_pool"])
    m = FIXED_MASK.double()
    want = (m / m.sum(1, keepdim=True)).unsqueeze(-1).expand(3, 5, 4)
    check(grad is not None and torch.allclose(grad.double(), want, atol=1e-6),
          f"{text}.sum().backward(); hs.grad", summary(grad),
          "1/count at each real token, 0 at [PAD]", CUT["masked_mean_pool"])


def test_nan_in_a_real_token_stays_in_its_row(impl):
    """A NaN at a real token (row 1, position 3, hidden 2) makes entry [1, 2] of the mean NaN, as the
    docstring says; every other entry is as without it."""
    hs = FIXED_HS.clone()
    hs[1, 3, 2] = float("nan")
    text = f"masked_mean_pool({SHOWN} with NaN at [1, 3, 2], {SHOWN_MASK})"
    got = call(text, impl.masked_mean_pool, hs.clone(), FIXED_MASK.clone())
    want = reference_mean(hs, FIXED_MASK)
    expect_vectors(text, got, want, lambda: nan_diagnosis(got, hs) or mean_diagnosis(impl), atol=1e-6)


@pytest.mark.parametrize("dtype", [torch.int64, torch.int32, torch.bool, torch.float32], ids=str)
def test_any_mask_dtype_works(impl, dtype):
    """The tokenizer's mask is int64; int32, bool and float masks are common too, and give the same mean."""
    mask = FIXED_MASK.to(dtype)
    text = f"masked_mean_pool({SHOWN}, {SHOWN_MASK} as {dtype})"
    got = call(text, impl.masked_mean_pool, FIXED_HS.clone(), mask,
               mistakes=[("dtype", "convert the mask to the hidden states' dtype first: "
                                   "attention_mask.to(last_hidden_state.dtype)")])
    expect_vectors(text, got, reference_mean(FIXED_HS, FIXED_MASK), lambda: mean_diagnosis(impl), atol=1e-6)


# ---------------------------------------------------------------- errors


def test_a_row_without_real_tokens_is_an_error_not_nan(impl):
    """A mask row of all zeros has no mean (0/0): raise ValueError instead of returning NaN."""
    hs = FIXED_HS[:, :4].clone()
    mask = torch.tensor([[1, 1, 0, 0], [0, 0, 0, 0], [1, 1, 1, 1]])
    rec = observe(f"masked_mean_pool(tensor [3, 4, 4], {mask.tolist()})", impl.masked_mean_pool, hs, mask)
    nan = isinstance(rec.value, torch.Tensor) and rec.value.is_floating_point() and bool(rec.value.isnan().any())
    zero = (isinstance(rec.value, torch.Tensor) and rec.value.dim() == 2 and len(rec.value) == 3
            and not nan and not rec.value[1].any())
    rec.expect_error(ValueError, "'attention_mask row 1 has no real token'", mistake=(
        "row 1 has no real token, so its mean is 0/0 = NaN; check attention_mask.sum(dim=1) and raise ValueError"
        if nan else "row 1 has no real token, and clamping the count (clamp(min=1e-9)) made its mean a zero vector "
                    "that looks like a sentence's: check attention_mask.sum(dim=1) and raise ValueError"
        if zero else None))
    rec.expect_no_side_effects()


NOT_A_MASK = [
    ([[1, 2, 1, 0, 0], [0, 0, 1, 1, 1], [1, 0, 1, 1, 0]], torch.int64, "a 2 in row 0"),
    ([[1, 0.5, 1, 0, 0], [0, 0, 1, 1, 1], [1, 0, 1, 1, 0]], torch.float32, "a 0.5 in row 0 (a weight)"),
    ([[1, -1, 1, 1, 0], [0, 0, 1, 1, 1], [1, 0, 1, 1, 0]], torch.int64, "a -1 in row 0"),
]


@pytest.mark.parametrize("rows,dtype,what", NOT_A_MASK, ids=[w for _, _, w in NOT_A_MASK])
def test_a_mask_holds_only_0_and_1(impl, rows, dtype, what):
    """attention_mask is a mask, not weights: a value other than 0 and 1 raises ValueError (docstring)."""
    mask = torch.tensor(rows, dtype=dtype)
    rec = observe(f"masked_mean_pool({SHOWN}, mask {rows})  # {what}", impl.masked_mean_pool,
                  FIXED_HS.clone(), mask)
    rec.expect_error(ValueError, "'attention_mask must hold only 0 and 1'", mistake=weights_diagnosis(rec, mask))
    rec.expect_no_side_effects()


H3 = torch.zeros(3, 5, 4)  # [batch 3, seq_len 5, hidden 4]
DIM = ("last_hidden_state is [batch, seq_len, hidden]: check last_hidden_state.dim() == 3 and raise ValueError "
       "(one sentence's [seq_len, hidden] needs a batch axis; pooler_output [batch, hidden] is not it)",
       "'last_hidden_state must be [batch, seq_len, hidden], got [5, 4]'")
NOT_TENSOR = ("check isinstance(..., torch.Tensor) first and raise TypeError", "'last_hidden_state must be a torch.Tensor'")
IDS = ("token ids are not hidden states: check last_hidden_state.is_floating_point() and raise TypeError",
       "'last_hidden_state must be floating point, got torch.int64'")
MASK_SHAPE = ("compare attention_mask.shape with last_hidden_state.shape[:2] and raise ValueError naming the shape "
              "it must have", "'attention_mask must have shape [3, 5]'")
BAD_INPUT = [
    ("cls_embeddings", (torch.zeros(5, 4),), ValueError, None, "a 2-D tensor (one sentence)", DIM),
    ("cls_embeddings", (torch.zeros(3, 5, 4).tolist(),), TypeError, None, "a list instead of a tensor", NOT_TENSOR),
    ("cls_embeddings", (torch.ones(3, 5, dtype=torch.long),), TypeError, None, "input_ids instead of hidden states",
     IDS),
    ("cls_embeddings", (torch.zeros(3, 0, 4),), ValueError, None, "seq_len 0",
     ("a seq_len of 0 has no position 0 for [CLS]: check last_hidden_state.shape[1] > 0 and raise ValueError",
      "'last_hidden_state has seq_len 0: there is no [CLS] position'")),
    ("masked_mean_pool", (torch.zeros(5, 4), torch.ones(5, dtype=torch.long)), ValueError, None,
     "2-D hidden states", DIM),
    ("masked_mean_pool", (H3, torch.ones(3, 6, dtype=torch.long)), ValueError, (3, 5), "a mask one token too long",
     MASK_SHAPE),
    ("masked_mean_pool", (H3, torch.ones(3, 5, 1, dtype=torch.long)), ValueError, (3, 5),
     "a mask already unsqueezed to [3, 5, 1]", MASK_SHAPE),
    ("masked_mean_pool", (H3, torch.ones(5, 3, dtype=torch.long)), ValueError, (3, 5), "a transposed mask",
     MASK_SHAPE),
    ("masked_mean_pool", (H3, torch.ones(5, dtype=torch.long)), ValueError, (3, 5),
     "a mask of one row [5] that would broadcast over the batch", MASK_SHAPE),
    ("masked_mean_pool", (H3, [[1] * 5] * 3), TypeError, None, "a list as the mask", NOT_TENSOR),
    ("masked_mean_pool", (torch.ones(3, 5, dtype=torch.long), torch.ones(3, 5, dtype=torch.long)), TypeError, None,
     "input_ids instead of hidden states", IDS),
    ("sentence_vector", (H3,), TypeError, None, "last_hidden_state instead of the model output",
     ("a tensor has no .last_hidden_state: check for it and raise TypeError (model_output[0] would index a "
      "tensor's first sentence instead)", "'model_output must be what BertModel returns'")),
]


@pytest.mark.parametrize("func,args,error,shape,what,advice", BAD_INPUT, ids=[b[4] for b in BAD_INPUT])
def test_bad_input_gets_a_clear_error(impl, func, args, error, shape, what, advice):
    """Bad input fails early with the right exception and a message saying what was expected
    (for a mask of the wrong shape: the shape it should have had, as the docstring says)."""
    shown = ", ".join(f"tensor {list(a.shape)} {a.dtype}" if isinstance(a, torch.Tensor) else type_name(a)
                      for a in args)
    rec = observe(f"{func}({shown}) with {what}", getattr(impl, func), *args)
    mistake, example = advice
    exc = rec.expect_error(error, example, mistake=mistake)
    if shape:
        check(re.search(rf"\b{shape[0]}\D{{1,6}}{shape[1]}\b", str(exc)) is not None, rec.call,
              f"{type(exc).__name__}({str(exc)!r})", f"a message naming the expected shape {list(shape)}",
              "say which shape the mask must have: [batch, seq_len] of last_hidden_state")
    rec.expect_no_side_effects()


# ---------------------------------------------------------------- bert-base-chinese's outputs


def test_the_vector_is_the_cls_tokens(impl, tokenizer, model):
    """Each returned vector is the output at the position whose input id is [CLS] (101)."""
    sentences = ["你好", "今天天气很好", "我觉得不行"]
    batch = tokenizer(sentences, padding=True, return_tensors="pt")
    ids = batch["input_ids"]
    check(tokenizer.cls_token_id == CLS_ID and bool((ids[:, 0] == CLS_ID).all()),
          "tokenizer(...)['input_ids'][:, 0]", summary(ids[:, 0]), f"[CLS] ({CLS_ID}) in every row",
          "the model source's tokenizer is not bert-base-chinese's")
    hs = forward(model, batch).last_hidden_state
    text = f"cls_embeddings(last_hidden_state)  # {sentences}, shape {list(hs.shape)}"
    got = call(text, impl.cls_embeddings, hs)
    expect_vectors(text, got, hs[:, 0], lambda: cls_diagnosis(impl.cls_embeddings), atol=0.0, check_values=False)
    for i in range(len(sentences)):
        where = [j for j in range(hs.shape[1]) if torch.equal(got[i], hs[i, j])]
        if where != [0]:
            if where:
                j = where[0]
                token = tokenizer.convert_ids_to_tokens(int(ids[i, j]))
                said = f"the output at position {j}, token {token} (id {int(ids[i, j])})"
            else:
                said = "a vector that is no token's output"
            fail(f"{text}[{i}]", said, f"the output at position 0, token [CLS] (id {CLS_ID})",
                 cls_diagnosis(impl.cls_embeddings))


def test_cls_is_not_pooler_output(impl, tokenizer, model):
    """pooler_output is tanh(pooler.dense([CLS])), computed from the [CLS] vector but not equal to it;
    sentence_vector(model output) gives the [CLS] vectors.

    C09, https://github.com/huggingface/transformers/issues/7540: many posts call
    pooler_output "the [CLS] embedding". The model's own pooler turns the [CLS]
    vectors into exactly its pooler_output, so this checks them against the model.
    """
    batch = tokenizer(SEED, padding=True, return_tensors="pt")
    out = forward(model, batch)
    text = "sentence_vector(model(**batch))  # seed batch"
    got = call(text, impl.sentence_vector, out)
    expect_vectors(text, got, out.last_hidden_state[:, 0], lambda: cls_diagnosis(sentence_vector_of(impl)),
                   atol=0.0)
    text = "cls_embeddings(out.last_hidden_state)  # seed batch"
    cls = call(text, impl.cls_embeddings, out.last_hidden_state)
    expect_vectors(text, cls, out.last_hidden_state[:, 0], lambda: cls_diagnosis(impl.cls_embeddings), atol=0.0)
    with torch.no_grad():
        pooled = torch.tanh(model.pooler.dense(cls))
    expect_vectors(f"torch.tanh(model.pooler.dense({text}))", pooled, out.pooler_output,
                   lambda: cls_diagnosis(impl.cls_embeddings), atol=1e-6)


def test_cls_is_position_0_even_with_left_padding(impl, tokenizer, model):
    """With padding_side="left" position 0 of the shorter row is [PAD], not [CLS]: cls_embeddings never
    sees the ids and returns position 0 all the same, as its docstring says (pad on the right for [CLS])."""
    tokenizer.padding_side = "left"  # the fixture puts it back
    batch = tokenizer(["你好", "今天天气很好"], padding=True, return_tensors="pt")
    assert int(batch["input_ids"][0, 0]) == tokenizer.pad_token_id
    hs = forward(model, batch).last_hidden_state
    text = "cls_embeddings(last_hidden_state)  # tokenizer.padding_side = 'left'"
    got = call(text, impl.cls_embeddings, hs)
    expect_vectors(text, got, hs[:, 0], lambda: cls_diagnosis(impl.cls_embeddings), atol=0.0)


def test_padding_does_not_change_the_mean(impl, tokenizer, model):
    """C10: "你好" padded to 8 in a batch gets the vector it gets alone (within 1e-5); the seed batch's
    row 0 (7 real tokens of 10) is the mean of its 7.

    https://github.com/huggingface/transformers/issues/17463: mean pooling over
    padding makes a sentence's vector depend on the other sentences in the batch.
    """
    batch = tokenizer(["你好", "今天天气很好"], padding=True, return_tensors="pt")
    alone = tokenizer(["你好"], return_tensors="pt")
    check(batch["attention_mask"].sum(1).tolist() == [4, 8], "attention_mask.sum(1)",
          batch["attention_mask"].sum(1).tolist(), [4, 8], "the tokenizer is not bert-base-chinese's")
    hs, hs_alone = forward(model, batch).last_hidden_state, forward(model, alone).last_hidden_state
    text = 'masked_mean_pool(last_hidden_state, attention_mask)  # ["你好", "今天天气很好"]'
    got = call(text, impl.masked_mean_pool, hs, batch["attention_mask"])
    expect_vectors(f"{text}[0]  vs  '你好' alone", got[0] if isinstance(got, torch.Tensor) and got.dim() == 2
                   else got, hs_alone.mean(1)[0], lambda: mean_diagnosis(impl), atol=PAD_ATOL)
    seed = tokenizer(SEED, padding=True, return_tensors="pt")
    hs = forward(model, seed).last_hidden_state
    text = "masked_mean_pool(last_hidden_state, attention_mask)  # seed batch, 7 and 10 real tokens of 10"
    got = call(text, impl.masked_mean_pool, hs, seed["attention_mask"])
    expect_vectors(text, got, reference_mean(hs, seed["attention_mask"]), lambda: mean_diagnosis(impl), atol=1e-6)


# ---------------------------------------------------------------- properties


@given(hs=hidden_states())
def test_cls_matches_row_by_row(impl, hs):
    """For any [batch, seq_len, hidden] tensor: row i of the result is hs[i][0], exactly, same dtype."""
    text = f"cls_embeddings(tensor of shape {list(hs.shape)}, {hs.dtype})"
    got = call(text, impl.cls_embeddings, hs.clone())
    expect_vectors(text, got, torch.stack([hs[i][0] for i in range(hs.shape[0])]),
                   lambda: cls_diagnosis(impl.cls_embeddings), atol=0.0)


@given(pair=hidden_states_and_masks())
def test_mean_matches_a_loop_over_real_tokens(impl, pair):
    """For any hidden states and 0/1 mask (right-padded or not; int64, int32, bool or float32):
    the mean of the vectors whose mask is 1, as an explicit loop computes it."""
    hs, mask = pair
    text = f"masked_mean_pool(tensor {list(hs.shape)} {hs.dtype}, mask {mask.int().tolist()} {mask.dtype})"
    got = call(text, impl.masked_mean_pool, hs.clone(), mask.clone())
    expect_vectors(text, got, reference_mean(hs, mask), lambda: mean_diagnosis(impl), atol=TENSOR_ATOL)


@given(pair=hidden_states_and_masks())
def test_values_at_padding_do_not_matter(impl, pair):
    """Whatever sits at the masked-out positions (here 1000), the mean is the same."""
    hs, mask = pair
    other = hs.clone()
    other[mask.to(torch.bool).logical_not()] = 1000.0
    text = f"masked_mean_pool(tensor {list(hs.shape)}, mask {mask.int().tolist()}) with 1000 at the 0s"
    got = call(text, impl.masked_mean_pool, other, mask.clone())
    expect_vectors(text, got, reference_mean(hs, mask), lambda: mean_diagnosis(impl), atol=TENSOR_ATOL)


@settings(max_examples=5)  # each example runs the model once per sentence, plus once for the batch
@given(sentences=chinese_batches(min_size=2, max_size=3))
def test_a_sentence_gets_the_same_mean_alone_and_padded(impl, tokenizer, model, sentences):
    """For any batch of Chinese sentences, each row's mean equals the sentence's mean alone (within 1e-5)."""
    batch = tokenizer(sentences, padding=True, return_tensors="pt")
    hs = forward(model, batch).last_hidden_state
    text = f"masked_mean_pool(last_hidden_state, attention_mask)  # {sentences}"
    got = call(text, impl.masked_mean_pool, hs, batch["attention_mask"])
    alone = torch.stack([forward(model, tokenizer([s], return_tensors="pt")).last_hidden_state.mean(1)[0]
                         for s in sentences])
    expect_vectors(f"{text}  vs  each sentence alone", got, alone, lambda: mean_diagnosis(impl), atol=PAD_ATOL)


# ---------------------------------------------------------------- references and diagnoses


def forward(model, batch):
    """The model's output for ``batch``, without a graph (the tests' own forward, not exercise 03)."""
    with torch.no_grad():
        return model(**batch)


def reference_mean(hs, mask):
    """The masked mean by explicit loops: for each row, average the vectors whose mask is 1 (in float64),
    returned in the dtype of ``hs``."""
    rows = []
    for i in range(hs.shape[0]):
        keep = [j for j in range(hs.shape[1]) if mask[i, j].item()]
        total = torch.zeros(hs.shape[2], dtype=torch.float64)
        for j in keep:
            total += hs[i, j].double()
        rows.append(total / len(keep))
    return torch.stack(rows).to(hs.dtype)


def sentence_vector_of(impl):
    """The learner's sentence_vector as a function of last_hidden_state (pooler_output: FIXED_POOLER)."""
    return lambda hs: impl.sentence_vector(Output(last_hidden_state=hs, pooler_output=FIXED_POOLER.to(hs.dtype)))


NO_UNSQUEEZE = ("must match the size", "attention_mask is [batch, seq_len] and last_hidden_state is "
                "[batch, seq_len, hidden]: give the mask a last axis with attention_mask.unsqueeze(-1) "
                "so it broadcasts over hidden")
NUMPY = ("return a torch.Tensor, not a NumPy array: .numpy() drops the autograd graph and the dtype rules "
         "of torch; the caller converts if they need to")
CUT = {
    "cls_embeddings": ("cls_embeddings cut its result from the autograd graph (.detach(), .data, torch.no_grad() "
                       "or a new torch.tensor): index last_hidden_state[:, 0, :] directly; whether gradients "
                       "flow is the caller's choice"),
    "sentence_vector": ("sentence_vector cut its result from the autograd graph: return "
                        "model_output.last_hidden_state[:, 0, :] as it is, without .detach()"),
    "masked_mean_pool": ("masked_mean_pool ran without a graph (torch.no_grad() or .detach() inside): "
                         "fine-tuning through mean pooling needs the gradient; leave grad mode to the caller"),
}
CLS_SHAPES = {
    (5, 4): ("last_hidden_state[0] is every token of sentence 0 ([seq_len, hidden]); "
             "the [CLS] vectors of all sentences are last_hidden_state[:, 0, :]"),
    (3, 1, 4): ("last_hidden_state[:, 0:1, :] keeps a seq_len axis of 1 ([batch, 1, hidden]): index with 0, "
                "not a slice, last_hidden_state[:, 0, :]"),
    (4,): "last_hidden_state[0, 0] is the [CLS] vector of sentence 0 only; take every sentence's: [:, 0, :]",
    (3, 5): "last_hidden_state[:, :, 0] indexes the hidden axis; [CLS] is position 0 of the sequence axis (dim 1)",
}


def cls_diagnosis(fn):
    """Re-run ``fn`` (hidden states -> [CLS] vectors) on FIXED_HS and name the mistake its result matches."""
    rec = observe(f"cls_embeddings({SHOWN})", fn, FIXED_HS.clone())
    got, hs = rec.value, FIXED_HS.double()
    if rec.error is not None or not isinstance(got, torch.Tensor):
        return "the [CLS] vector of every sentence is last_hidden_state[:, 0, :]"
    if tuple(got.shape) in CLS_SHAPES:
        return CLS_SHAPES[tuple(got.shape)]
    if tuple(got.shape) != (3, 4):
        return "index the sequence dimension (dim 1) at 0 for every sentence: last_hidden_state[:, 0, :]"
    candidates = [
        (hs[:, 0], None),
        (FIXED_POOLER.double(), "pooler_output is tanh(pooler.dense([CLS])), a layer trained for next-sentence "
                                "prediction, not the [CLS] vector; take position 0 of last_hidden_state"),
        (hs[:, -1], "you took the last token ([SEP] or a [PAD]); position 0 holds [CLS]: last_hidden_state[:, 0, :]"),
        (hs.mean(1), "you averaged over all tokens; the [CLS] vector is the one at position 0"),
        (hs[:, 1], "position 1 is the first character; [CLS] is at position 0: last_hidden_state[:, 0, :]"),
        (hs.max(1).values, "you max-pooled over the tokens; the [CLS] vector is the one at position 0"),
    ]
    for want, mistake in candidates:
        if torch.allclose(got.detach().double(), want, atol=1e-6):
            return mistake or one_sentence_diagnosis(fn) or (
                "right on a fixed input: check how the dtype and the graph are kept (see the docstring)")
    return "the [CLS] vector of every sentence is last_hidden_state[:, 0, :]"


def one_sentence_diagnosis(fn):
    """A batch of one sentence loses its batch axis to a bare squeeze()."""
    rec = observe(f"cls_embeddings({SHOWN}[:1])", fn, FIXED_HS[:1].clone())
    if rec.error is None and isinstance(rec.value, torch.Tensor) and list(rec.value.shape) != [1, 4]:
        return (f"given a batch of one sentence, [1, 5, 4], it returned shape {list(rec.value.shape)}, not [1, 4]: "
                "squeeze() removes every axis of size 1, the batch axis too; index last_hidden_state[:, 0, :] "
                "(or squeeze(1))")
    return None


def mean_diagnosis(impl):
    """Re-run masked_mean_pool on FIXED_HS and FIXED_MASK (right-padded, left-padded and gapped rows)
    and name the pooling mistake its result matches; the most specific one first."""
    rec = observe(f"masked_mean_pool({SHOWN}, {SHOWN_MASK})", impl.masked_mean_pool, FIXED_HS.clone(),
                  FIXED_MASK.clone())
    got, hs, m = rec.value, FIXED_HS.double(), FIXED_MASK.double().unsqueeze(-1)
    if rec.error is not None or not isinstance(got, torch.Tensor):
        return "sum the vectors where attention_mask is 1 and divide by how many there are"
    shapes = {
        (3, 1): "average over the sequence (dim=1) only, keeping the hidden axis: [batch, hidden]",
        (3,): "average over the sequence (dim=1) only, keeping the hidden axis: [batch, hidden]",
        (3, 5): "you averaged over the hidden axis (dim=2); average over the sequence (dim=1): [batch, hidden]",
        (4,): "you averaged over the batch too; each sentence gets its own mean: [batch, hidden]",
        (3, 5, 4): "you masked the vectors but never summed over the sequence (dim=1)",
    }
    if tuple(got.shape) in shapes:
        return shapes[tuple(got.shape)]
    if tuple(got.shape) != (3, 4):
        return "average over the sequence dimension (dim=1): the result is [batch, hidden]"
    real = m.sum(1)
    first_n = torch.stack([hs[i, :int(real[i])].mean(0) for i in range(3)])
    candidates = [
        ((hs * m).sum(1) / real, None),
        (hs.mean(1), "you averaged over every position, [PAD] included: multiply by the mask first so "
                     "padding adds nothing, and divide by the number of real tokens"),
        ((hs * m).sum(1) / hs.shape[1], "you divided by the padded length (seq_len); divide by the number of "
                                        "real tokens of each row, attention_mask.sum(dim=1)"),
        (first_n, "you averaged the first n positions of each row, which assumes right padding; the real "
                  "tokens are where attention_mask is 1 (left padding, gaps): multiply by the mask"),
        (hs[:, 0], "you returned the [CLS] vector; this function averages the real tokens"),
        ((hs * m).sum(1), "you summed the real tokens but never divided by their number"),
        ((hs * m).sum(1) / m.sum(), "you divided by the number of real tokens in the whole batch; divide each "
                                    "row by its own, attention_mask.sum(dim=1, keepdim=True)"),
        ((hs * (1 - m)).sum(1) / (1 - m).sum(1), "you averaged the [PAD] positions: 1 in attention_mask marks "
                                                 "a real token, 0 a [PAD]"),
    ]
    for want, mistake in candidates:
        if torch.allclose(got.detach().double(), want, atol=1e-5):
            return mistake or ("right on a fixed input: check the dtype, the graph, NaN and the mask's dtype "
                               "against the docstring")
    return "sum the vectors where attention_mask is 1 and divide by how many there are"


def nan_diagnosis(got, hs):
    """For the NaN test: was the NaN skipped or turned into 0 instead of staying in the mean?"""
    if not isinstance(got, torch.Tensor) or tuple(got.shape) != (3, 4) or got[1, 2].isnan():
        return None
    real = [2, 3, 4]  # row 1's real positions; position 3 holds the NaN
    kept = hs[1, [2, 4], 2].double()
    if abs(got[1, 2].item() - kept.mean().item()) < 1e-5:
        return ("you skipped the NaN (nanmean, or averaging the finite values only): the docstring keeps NaN "
                "in the mean, so a broken model output shows instead of hiding")
    if abs(got[1, 2].item() - kept.sum().item() / len(real)) < 1e-5:
        return ("you turned the NaN into 0 (nan_to_num) before averaging: the docstring keeps NaN in the mean, "
                "so a broken model output shows instead of hiding")
    return None


def weights_diagnosis(rec, mask):
    """For a mask holding other values than 0 and 1: was it used as weights or as 'nonzero is real'?"""
    got = rec.value
    if rec.error is not None or not isinstance(got, torch.Tensor) or tuple(got.shape) != (3, 4):
        return "check that attention_mask holds only 0 and 1 and raise ValueError"
    hs, w = FIXED_HS.double(), mask.double().unsqueeze(-1)
    weighted = (hs * w).sum(1) / w.sum(1)
    nonzero = (hs * (w != 0)).sum(1) / (w != 0).sum(1)
    if torch.allclose(got.double(), weighted, atol=1e-5):
        return ("you used the mask's values as weights: a mask holds 0 and 1 only; check "
                "((attention_mask == 0) | (attention_mask == 1)).all() and raise ValueError")
    if torch.allclose(got.double(), nonzero, atol=1e-5):
        return ("you counted every nonzero value as a real token (mask.bool()): a 2, 0.5 or -1 is not a mask "
                "value; check that attention_mask holds only 0 and 1 and raise ValueError")
    return "check that attention_mask holds only 0 and 1 and raise ValueError"


def inputs_mistake(changes):
    """Name how the caller's tensor was changed, from what :func:`observe` found."""
    text = "; ".join(changes)
    if "went from" in text and "attention_mask" in text:
        return ("attention_mask.unsqueeze_(-1) reshaped the caller's mask in place (it is now [batch, seq_len, 1]): "
                "use attention_mask.unsqueeze(-1), which returns a new view")
    if "last_hidden_state's values were changed in place" in text:
        return ("you zeroed the caller's [PAD] vectors in place (last_hidden_state *= mask, or "
                "last_hidden_state[mask == 0] = 0): multiply out of place, last_hidden_state * mask.unsqueeze(-1)")
    if "requires_grad went from" in text:
        return "you changed requires_grad on the caller's tensor: whether it needs gradients is the caller's choice"
    return None


def expect_vectors(text, got, want, diagnose, atol, check_values=True):
    """A torch.Tensor of ``want``'s shape and dtype and values (NaN where ``want`` has NaN) within ``atol``.
    ``diagnose()`` names the mistake; it runs only on a failure. Numbers are labelled returned/expected."""
    if not isinstance(got, torch.Tensor):
        fail(text, f"a {type_name(got)}", f"a torch.Tensor of shape {list(want.shape)}",
             NUMPY if type(got).__module__ == "numpy" else "return a torch.Tensor")
    if list(got.shape) != list(want.shape):
        fail(text, f"shape {list(got.shape)}", f"shape {list(want.shape)}", diagnose())
    check(got.dtype == want.dtype, text, f"dtype {got.dtype}", f"dtype {want.dtype}",
          "keep the dtype of last_hidden_state: convert the mask to it (mask.to(last_hidden_state.dtype)), "
          "never the hidden states to another dtype")
    if not check_values:
        return
    g, w = got.detach().double(), want.detach().double()
    same = (g - w).abs() <= atol
    same |= (g.isnan() & w.isnan()) | (g == w)
    if not bool(same.all()):
        where = tuple(int(i) for i in (~same).nonzero()[0])
        diff = (g - w).abs()[~(g.isnan() | w.isnan())]
        head = f"values differing by up to {diff.max().item():.3g}" if diff.numel() and diff.max() > atol \
            else "NaN where the expected has none, or a number where it has NaN"
        fail(text, f"{head}; at {where}: returned {g[where].item():.6g}, expected {w[where].item():.6g}",
             f"the same values within {atol:g}", diagnose())
