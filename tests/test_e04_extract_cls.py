"""Exercise 04, extract [CLS]: checked against bert-base-chinese's own outputs and a row-by-row reference.

Every call to the learner's functions goes through :func:`bertkata.calls.observe`, directly or by
:func:`call` (a function wrapped by :func:`bertkata.calls.observing`): the caller's tensors must come
back unchanged. When a value is wrong, the diagnosis comes from re-running the learner's function on a fixed, discriminating input
(:data:`FIXED_HS`, :data:`FIXED_MASK`: right-padded, left-padded and gapped rows), never from the
example hypothesis shrank to (on a 1x2x1 tensor "the first n positions" and "[CLS]" look alike).
The cheap, discriminating tests come first: the meta tests stop at the first failure.
"""

import re

import pytest
import torch
from hypothesis import given
from transformers.modeling_outputs import BaseModelOutputWithPoolingAndCrossAttentions as Output

from bertkata.calls import observe, observing
from bertkata.feedback import check, fail, summary, type_name
from bertkata.i18n import T, say
from bertkata.strategies import chinese_batches, hidden_states, hidden_states_and_masks, per_model_run
from bertkata import seed

SEED = list(seed.SEED)
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
SHOWN = T("tensor [3, 5, 4]", "张量 [3, 5, 4]")
SHOWN_MASK = T(f"mask {FIXED_MASK.tolist()}", f"掩码 {FIXED_MASK.tolist()}")


# ---------------------------------------------------------------- fixed inputs (cheap, discriminating)


def test_cls_is_position_0(impl):
    """For [3, 5, 4] hidden states the [CLS] vectors are last_hidden_state[:, 0, :]: [3, 4], exactly,
    float32 as given, a torch.Tensor."""
    cls_embeddings = observing(impl.cls_embeddings)
    text = f"cls_embeddings({SHOWN})"
    got = call(text, cls_embeddings, FIXED_HS.clone())
    expect_vectors(text, got, FIXED_HS[:, 0], lambda: cls_diagnosis(cls_embeddings), atol=0.0)


def test_sentence_vector_is_cls_not_pooler_output(impl):
    """From the whole model output, the [CLS] vectors are last_hidden_state[:, 0, :], not pooler_output.

    C09, https://github.com/huggingface/transformers/issues/7540: many posts call
    pooler_output "the [CLS] embedding"; it is tanh(pooler.dense([CLS])).
    """
    sentence_vector = observing(impl.sentence_vector)
    text = f"sentence_vector(Output(last_hidden_state={SHOWN}, pooler_output={say('tensor [3, 4]', '张量 [3, 4]')}))"
    got = call(text, sentence_vector, Output(last_hidden_state=FIXED_HS.clone(), pooler_output=FIXED_POOLER.clone()))
    expect_vectors(text, got, FIXED_HS[:, 0], lambda: cls_diagnosis(sentence_vector, as_output), atol=0.0)


def test_mean_is_over_the_real_tokens_wherever_they_are(impl):
    """Row 0 is right-padded, row 1 left-padded, row 2 has a gap: each row's mean is over the
    positions whose mask is 1, whatever their place, float32 as given."""
    masked_mean_pool = observing(impl.masked_mean_pool)
    text = f"masked_mean_pool({SHOWN}, {SHOWN_MASK})"
    got = call(text, masked_mean_pool, FIXED_HS.clone(), FIXED_MASK.clone())
    expect_vectors(text, got, reference_mean(FIXED_HS, FIXED_MASK), lambda: mean_diagnosis(masked_mean_pool), atol=1e-6)


def test_results_keep_the_dtype(impl):
    """float64 hidden states give float64 vectors from all three functions (the mask is converted to
    the hidden states' dtype, never the other way round)."""
    cls_embeddings = observing(impl.cls_embeddings)
    sentence_vector = observing(impl.sentence_vector)
    masked_mean_pool = observing(impl.masked_mean_pool)
    hs = FIXED_HS.double()
    text = f"cls_embeddings({SHOWN} float64)"
    expect_vectors(text, call(text, cls_embeddings, hs.clone()), hs[:, 0],
                   lambda: cls_diagnosis(cls_embeddings), atol=0.0)
    text = f"sentence_vector(Output(last_hidden_state={SHOWN} float64, ...))"
    expect_vectors(text, call(text, sentence_vector, Output(last_hidden_state=hs.clone(),
                                                             pooler_output=FIXED_POOLER.double())),
                   hs[:, 0], lambda: cls_diagnosis(sentence_vector, as_output), atol=0.0)
    text = f"masked_mean_pool({SHOWN} float64, {SHOWN_MASK})"
    expect_vectors(text, call(text, masked_mean_pool, hs.clone(), FIXED_MASK.clone()),
                   reference_mean(hs, FIXED_MASK), lambda: mean_diagnosis(masked_mean_pool), atol=1e-12)


@pytest.mark.parametrize("dtype", [torch.float16, torch.bfloat16], ids=str)
def test_half_precision_keeps_its_dtype(impl, dtype):
    """Half-precision hidden states (a model run in float16 or bfloat16) give vectors of that dtype:
    the mask is converted to the hidden states' dtype, not the hidden states to float32."""
    hs = FIXED_HS.to(dtype)
    for name, args in (("cls_embeddings", (hs.clone(),)), ("masked_mean_pool", (hs.clone(), FIXED_MASK.clone()))):
        text = f"{name}({SHOWN} {dtype}{', ' + SHOWN_MASK if len(args) == 2 else ''})"
        got = call(text, observing(getattr(impl, name)), *args)
        check(isinstance(got, torch.Tensor) and got.dtype == dtype, text, summary(got),
              T(f"a {dtype} tensor", f"一个 {dtype} 张量"),
              T("the mask (int64) was turned into float32 with .float(), which promotes half-precision hidden states "
                "to float32: convert it with attention_mask.to(last_hidden_state.dtype)",
                "掩码（int64）被 .float() 转成了 float32，这会把半精度的隐藏状态提升为 float32：应该用 "
                "attention_mask.to(last_hidden_state.dtype) 转换掩码") if name == "masked_mean_pool"
              else T("return the vectors as they are, without converting them", "原样返回这些向量，不要转换类型"))


def test_cls_keeps_the_autograd_graph(impl):
    """When last_hidden_state requires grad (fine-tuning on the [CLS] vector), so does the result of
    cls_embeddings and of sentence_vector, and backward() reaches position 0 only."""
    for name, wrap in (("cls_embeddings", lambda hs: hs), ("sentence_vector", lambda hs: Output(
            last_hidden_state=hs, pooler_output=FIXED_POOLER))):
        hs = FIXED_HS.clone().requires_grad_()
        text = f"{name}({SHOWN}" + say(" requiring grad)", "（requires_grad=True）)")
        run = observing(getattr(impl, name))
        got, grad = call_backward(text, run, wrap(hs))
        expect_vectors(text, got.detach() if isinstance(got, torch.Tensor) else got, FIXED_HS[:, 0],
                       lambda: cls_diagnosis(run, None if name == "cls_embeddings" else as_output), atol=0.0)
        check(got.requires_grad, f"{text}.requires_grad", False, True, CUT[name])
        want = torch.zeros_like(FIXED_HS)
        want[:, 0] = 1
        check(grad is not None and torch.equal(grad, want), f"{text}.sum().backward(); hs.grad",
              summary(grad), T("1 at position 0 of every row, 0 elsewhere", "每一行的位置 0 为 1，其余为 0"), CUT[name])


def test_mean_keeps_the_autograd_graph(impl):
    """When last_hidden_state requires grad (fine-tuning with mean pooling), so does the mean, and
    backward() reaches each real token with 1/count and no [PAD]."""
    masked_mean_pool = observing(impl.masked_mean_pool)
    hs = FIXED_HS.clone().requires_grad_()
    text = f"masked_mean_pool({SHOWN}" + say(" requiring grad", "（requires_grad=True）") + f", {SHOWN_MASK})"
    got, grad = call_backward(text, masked_mean_pool, hs, FIXED_MASK.clone())
    expect_vectors(text, got.detach() if isinstance(got, torch.Tensor) else got,
                   reference_mean(FIXED_HS, FIXED_MASK), lambda: mean_diagnosis(masked_mean_pool), atol=1e-6)
    check(got.requires_grad, f"{text}.requires_grad", False, True, CUT["masked_mean_pool"])
    m = FIXED_MASK.double()
    want = (m / m.sum(1, keepdim=True)).unsqueeze(-1).expand(3, 5, 4)
    check(grad is not None and torch.allclose(grad.double(), want, atol=1e-6),
          f"{text}.sum().backward(); hs.grad", summary(grad),
          T("1/count at each real token, 0 at [PAD]", "每个真实 token 处为 1/count，[PAD] 处为 0"), CUT["masked_mean_pool"])


def test_nan_in_a_real_token_stays_in_its_row(impl):
    """A NaN at a real token (row 1, position 3, hidden 2) makes entry [1, 2] of the mean NaN, as the
    docstring says; every other entry is as without it."""
    masked_mean_pool = observing(impl.masked_mean_pool)
    hs = FIXED_HS.clone()
    hs[1, 3, 2] = float("nan")
    text = f"masked_mean_pool({SHOWN}" + say(" with NaN at [1, 3, 2]", "（[1, 3, 2] 处为 NaN）") + f", {SHOWN_MASK})"
    got = call(text, masked_mean_pool, hs.clone(), FIXED_MASK.clone())
    want = reference_mean(hs, FIXED_MASK)
    expect_vectors(text, got, want, lambda: nan_diagnosis(got, hs) or mean_diagnosis(masked_mean_pool), atol=1e-6)


@pytest.mark.parametrize("dtype", [torch.int64, torch.int32, torch.bool, torch.float32], ids=str)
def test_any_mask_dtype_works(impl, dtype):
    """The tokenizer's mask is int64; int32, bool and float masks are common too, and give the same mean."""
    masked_mean_pool = observing(impl.masked_mean_pool)
    mask = FIXED_MASK.to(dtype)
    text = f"masked_mean_pool({SHOWN}, {SHOWN_MASK}" + say(f" as {dtype})", f"，{dtype})")
    got = call(text, masked_mean_pool, FIXED_HS.clone(), mask,
               mistakes=[("dtype", T("convert the mask to the hidden states' dtype first: "
                                     "attention_mask.to(last_hidden_state.dtype)",
                                     "先把掩码转换成隐藏状态的 dtype：attention_mask.to(last_hidden_state.dtype)"))])
    expect_vectors(text, got, reference_mean(FIXED_HS, FIXED_MASK), lambda: mean_diagnosis(masked_mean_pool), atol=1e-6)


# ---------------------------------------------------------------- errors


def test_a_row_without_real_tokens_is_an_error_not_nan(impl):
    """A mask row of all zeros has no mean (0/0): raise ValueError instead of returning NaN."""
    hs = FIXED_HS[:, :4].clone()
    mask = torch.tensor([[1, 1, 0, 0], [0, 0, 0, 0], [1, 1, 1, 1]])
    rec = observe(f"masked_mean_pool({say('tensor [3, 4, 4]', '张量 [3, 4, 4]')}, {mask.tolist()})",
                  impl.masked_mean_pool, hs, mask)
    nan = isinstance(rec.value, torch.Tensor) and rec.value.is_floating_point() and bool(rec.value.isnan().any())
    zero = (isinstance(rec.value, torch.Tensor) and rec.value.dim() == 2 and len(rec.value) == 3
            and not nan and not rec.value[1].any())
    rec.expect_error(ValueError, T("'attention_mask row 1 has no real token'", "'attention_mask 的第 1 行没有真实 token'"),
                     mistake=(
        T("row 1 has no real token, so its mean is 0/0 = NaN; check attention_mask.sum(dim=1) and raise ValueError",
          "第 1 行没有真实 token，它的均值是 0/0 = NaN；检查 attention_mask.sum(dim=1)，有为 0 的行就抛出 ValueError")
        if nan else T("row 1 has no real token, and clamping the count (clamp(min=1e-9)) made its mean a zero vector "
                      "that looks like a sentence's: check attention_mask.sum(dim=1) and raise ValueError",
                      "第 1 行没有真实 token，而用 clamp(min=1e-9) 给计数设下限，让它的均值变成了零向量，看上去像"
                      "某个句子的向量：检查 attention_mask.sum(dim=1)，有为 0 的行就抛出 ValueError")
        if zero else None))
    rec.expect_no_side_effects()


NOT_A_MASK = [
    ([[1, 2, 1, 0, 0], [0, 0, 1, 1, 1], [1, 0, 1, 1, 0]], torch.int64, T("a 2 in row 0", "第 0 行有个 2")),
    ([[1, 0.5, 1, 0, 0], [0, 0, 1, 1, 1], [1, 0, 1, 1, 0]], torch.float32,
     T("a 0.5 in row 0 (a weight)", "第 0 行有个 0.5（一个权重）")),
    ([[1, -1, 1, 1, 0], [0, 0, 1, 1, 1], [1, 0, 1, 1, 0]], torch.int64, T("a -1 in row 0", "第 0 行有个 -1")),
]


@pytest.mark.parametrize("rows,dtype,what", NOT_A_MASK, ids=[w.en for _, _, w in NOT_A_MASK])
def test_a_mask_holds_only_0_and_1(impl, rows, dtype, what):
    """attention_mask is a mask, not weights: a value other than 0 and 1 raises ValueError (docstring)."""
    mask = torch.tensor(rows, dtype=dtype)
    rec = observe(f"masked_mean_pool({SHOWN}, {say('mask', '掩码')} {rows})  # {what}", impl.masked_mean_pool,
                  FIXED_HS.clone(), mask)
    rec.expect_error(ValueError, T("'attention_mask must hold only 0 and 1'", "'attention_mask 只能包含 0 和 1'"),
                     mistake=weights_diagnosis(rec, torch.tensor(rows, dtype=dtype)))  # the mask as passed in
    rec.expect_no_side_effects()


H3 = torch.zeros(3, 5, 4)  # [batch 3, seq_len 5, hidden 4]
DIM = (T("last_hidden_state is [batch, seq_len, hidden]: check last_hidden_state.dim() == 3 and raise ValueError "
         "(one sentence's [seq_len, hidden] needs a batch axis; pooler_output [batch, hidden] is not it)",
         "last_hidden_state 的形状是 [batch, seq_len, hidden]：检查 last_hidden_state.dim() == 3，不满足就抛出 "
         "ValueError（单个句子的 [seq_len, hidden] 需要加上批次维；pooler_output [batch, hidden] 也不是它）"),
       T("'last_hidden_state must be [batch, seq_len, hidden], got [5, 4]'",
         "'last_hidden_state 必须是 [batch, seq_len, hidden]，实际是 [5, 4]'"))
NOT_TENSOR = (T("check isinstance(..., torch.Tensor) first and raise TypeError",
                "先检查 isinstance(..., torch.Tensor)，不是张量就抛出 TypeError"),
              T("'last_hidden_state must be a torch.Tensor'", "'last_hidden_state 必须是 torch.Tensor'"))
IDS = (T("token ids are not hidden states: check last_hidden_state.is_floating_point() and raise TypeError",
         "token id 不是隐藏状态：检查 last_hidden_state.is_floating_point()，不是浮点类型就抛出 TypeError"),
       T("'last_hidden_state must be floating point, got torch.int64'",
         "'last_hidden_state 必须是浮点类型，实际是 torch.int64'"))
MASK_SHAPE = (T("compare attention_mask.shape with last_hidden_state.shape[:2] and raise ValueError naming the shape "
                "it must have",
                "把 attention_mask.shape 和 last_hidden_state.shape[:2] 比较，不一致就抛出 ValueError，并写明它应有的形状"),
              T("'attention_mask must have shape [3, 5]'", "'attention_mask 的形状必须是 [3, 5]'"))
INPUT_IDS = T("input_ids instead of hidden states", "传了 input_ids，而不是隐藏状态")
BAD_INPUT = [
    ("cls_embeddings", (torch.zeros(5, 4),), ValueError, None, T("a 2-D tensor (one sentence)", "二维张量（单个句子）"),
     DIM),
    ("cls_embeddings", (torch.zeros(3, 5, 4).tolist(),), TypeError, None,
     T("a list instead of a tensor", "传了列表，而不是张量"), NOT_TENSOR),
    ("cls_embeddings", (torch.ones(3, 5, dtype=torch.long),), TypeError, None, INPUT_IDS, IDS),
    ("cls_embeddings", (torch.zeros(3, 0, 4),), ValueError, None, T("seq_len 0", "seq_len 为 0"),
     (T("a seq_len of 0 has no position 0 for [CLS]: check last_hidden_state.shape[1] > 0 and raise ValueError",
        "seq_len 为 0 时没有可以放 [CLS] 的位置 0：检查 last_hidden_state.shape[1] > 0，不满足就抛出 ValueError"),
      T("'last_hidden_state has seq_len 0: there is no [CLS] position'",
        "'last_hidden_state 的 seq_len 为 0：没有 [CLS] 的位置'"))),
    ("masked_mean_pool", (torch.zeros(5, 4), torch.ones(5, dtype=torch.long)), ValueError, None,
     T("2-D hidden states", "二维的隐藏状态"), DIM),
    ("masked_mean_pool", (H3, torch.ones(3, 6, dtype=torch.long)), ValueError, (3, 5),
     T("a mask one token too long", "掩码多了一个 token"), MASK_SHAPE),
    ("masked_mean_pool", (H3, torch.ones(3, 5, 1, dtype=torch.long)), ValueError, (3, 5),
     T("a mask already unsqueezed to [3, 5, 1]", "已经 unsqueeze 成 [3, 5, 1] 的掩码"), MASK_SHAPE),
    ("masked_mean_pool", (H3, torch.ones(5, 3, dtype=torch.long)), ValueError, (3, 5),
     T("a transposed mask", "转置了的掩码"), MASK_SHAPE),
    ("masked_mean_pool", (H3, torch.ones(5, dtype=torch.long)), ValueError, (3, 5),
     T("a mask of one row [5] that would broadcast over the batch", "只有一行 [5]、会在批次维上广播的掩码"),
     MASK_SHAPE),
    ("masked_mean_pool", (H3, [[1] * 5] * 3), TypeError, None, T("a list as the mask", "用列表作掩码"), NOT_TENSOR),
    ("masked_mean_pool", (torch.ones(3, 5, dtype=torch.long), torch.ones(3, 5, dtype=torch.long)), TypeError, None,
     INPUT_IDS, IDS),
    ("sentence_vector", (H3,), TypeError, None,
     T("last_hidden_state instead of the model output", "传了 last_hidden_state，而不是模型输出"),
     (T("a tensor has no .last_hidden_state: check for it and raise TypeError (model_output[0] would index a "
        "tensor's first sentence instead)",
        "张量没有 .last_hidden_state：先检查有没有它，没有就抛出 TypeError（对张量用 model_output[0] "
        "取到的会是第一个句子）"),
      T("'model_output must be what BertModel returns'", "'model_output 必须是 BertModel 返回的输出'"))),
]


@pytest.mark.parametrize("func,args,error,shape,what,advice", BAD_INPUT, ids=[b[4].en for b in BAD_INPUT])
def test_bad_input_gets_a_clear_error(impl, func, args, error, shape, what, advice):
    """Bad input fails early with the right exception and a message saying what was expected
    (for a mask of the wrong shape: the shape it should have had, as the docstring says)."""
    tensor = say("tensor", "张量")
    shown = ", ".join(f"{tensor} {list(a.shape)} {a.dtype}" if isinstance(a, torch.Tensor) else type_name(a)
                      for a in args)
    rec = observe(f"{func}({shown})" + say(f" with {what}", f"  # {what}"), getattr(impl, func), *args)
    mistake, example = advice
    exc = rec.expect_error(error, example, mistake=mistake)
    if shape:
        check(re.search(rf"\b{shape[0]}\D{{1,6}}{shape[1]}\b", str(exc)) is not None, rec.call,
              f"{type(exc).__name__}({str(exc)!r})",
              T(f"a message naming the expected shape {list(shape)}", f"一条写明期望形状 {list(shape)} 的消息"),
              T("say which shape the mask must have: [batch, seq_len] of last_hidden_state",
                "说明掩码应有的形状：last_hidden_state 的 [batch, seq_len]"))
    rec.expect_no_side_effects()


# ---------------------------------------------------------------- bert-base-chinese's outputs


def test_the_vector_is_the_cls_tokens(impl, tokenizer, model):
    """Each returned vector is the output at the position whose input id is [CLS] (101)."""
    cls_embeddings = observing(impl.cls_embeddings)
    sentences = ["你好", "今天天气很好", "我觉得不行"]
    batch = tokenizer(sentences, padding=True, return_tensors="pt")
    ids = batch["input_ids"]
    check(tokenizer.cls_token_id == CLS_ID and bool((ids[:, 0] == CLS_ID).all()),
          "tokenizer(...)['input_ids'][:, 0]", summary(ids[:, 0]),
          T(f"[CLS] ({CLS_ID}) in every row", f"每一行都是 [CLS]（{CLS_ID}）"), NOT_CHINESE_TOKENIZER)
    hs = forward(model, batch).last_hidden_state
    text = f"cls_embeddings(last_hidden_state)  # {sentences}, {say('shape', '形状')} {list(hs.shape)}"
    got = call(text, cls_embeddings, hs)
    expect_vectors(text, got, hs[:, 0], lambda: cls_diagnosis(cls_embeddings), atol=0.0, check_values=False)
    for i in range(len(sentences)):
        where = [j for j in range(hs.shape[1]) if torch.equal(got[i], hs[i, j])]
        if where != [0]:
            if where:
                j = where[0]
                token = tokenizer.convert_ids_to_tokens(int(ids[i, j]))
                said = T(f"the output at position {j}, token {token} (id {int(ids[i, j])})",
                         f"位置 {j} 的输出，token {token}（id {int(ids[i, j])}）")
            else:
                said = T("a vector that is no token's output", "一个不是任何 token 输出的向量")
            fail(f"{text}[{i}]", said, T(f"the output at position 0, token [CLS] (id {CLS_ID})",
                                         f"位置 0 的输出，token [CLS]（id {CLS_ID}）"),
                 cls_diagnosis(cls_embeddings))


def test_cls_is_not_pooler_output(impl, tokenizer, model):
    """pooler_output is tanh(pooler.dense([CLS])), computed from the [CLS] vector but not equal to it;
    sentence_vector(model output) gives the [CLS] vectors.

    C09, https://github.com/huggingface/transformers/issues/7540: many posts call
    pooler_output "the [CLS] embedding". The model's own pooler turns the [CLS]
    vectors into exactly its pooler_output, so this checks them against the model.
    """
    sentence_vector = observing(impl.sentence_vector)
    cls_embeddings = observing(impl.cls_embeddings)
    batch = tokenizer(SEED, padding=True, return_tensors="pt")
    out = forward(model, batch)
    text = "sentence_vector(model(**batch))  # " + say("seed batch", "固定的示例批次")
    got = call(text, sentence_vector, out)
    expect_vectors(text, got, out.last_hidden_state[:, 0], lambda: cls_diagnosis(sentence_vector, as_output),
                   atol=0.0)
    text = "cls_embeddings(out.last_hidden_state)  # " + say("seed batch", "固定的示例批次")
    cls = call(text, cls_embeddings, out.last_hidden_state)
    expect_vectors(text, cls, out.last_hidden_state[:, 0], lambda: cls_diagnosis(cls_embeddings), atol=0.0)
    with torch.no_grad():
        pooled = torch.tanh(model.pooler.dense(cls))
    expect_vectors(f"torch.tanh(model.pooler.dense({text}))", pooled, out.pooler_output,
                   lambda: cls_diagnosis(cls_embeddings), atol=1e-6)


def test_cls_is_position_0_even_with_left_padding(impl, tokenizer, model):
    """With padding_side="left" position 0 of the shorter row is [PAD], not [CLS]: cls_embeddings never
    sees the ids and returns position 0 all the same, as its docstring says (pad on the right for [CLS])."""
    cls_embeddings = observing(impl.cls_embeddings)
    tokenizer.padding_side = "left"  # the fixture puts it back
    batch = tokenizer(["你好", "今天天气很好"], padding=True, return_tensors="pt")
    assert int(batch["input_ids"][0, 0]) == tokenizer.pad_token_id
    hs = forward(model, batch).last_hidden_state
    text = "cls_embeddings(last_hidden_state)  # tokenizer.padding_side = 'left'"
    got = call(text, cls_embeddings, hs)
    expect_vectors(text, got, hs[:, 0], lambda: cls_diagnosis(cls_embeddings), atol=0.0)


def test_padding_does_not_change_the_mean(impl, tokenizer, model):
    """C10: "你好" padded to 8 in a batch gets the vector it gets alone (within 1e-5); the seed batch's
    row 0 (7 real tokens of 10) is the mean of its 7.

    https://github.com/huggingface/transformers/issues/17463: mean pooling over
    padding makes a sentence's vector depend on the other sentences in the batch.
    """
    masked_mean_pool = observing(impl.masked_mean_pool)
    batch = tokenizer(["你好", "今天天气很好"], padding=True, return_tensors="pt")
    alone = tokenizer(["你好"], return_tensors="pt")
    check(batch["attention_mask"].sum(1).tolist() == [4, 8], "attention_mask.sum(1)",
          batch["attention_mask"].sum(1).tolist(), [4, 8],
          T("the tokenizer is not bert-base-chinese's", "分词器不是 bert-base-chinese 的"))
    hs, hs_alone = forward(model, batch).last_hidden_state, forward(model, alone).last_hidden_state
    text = 'masked_mean_pool(last_hidden_state, attention_mask)  # ["你好", "今天天气很好"]'
    got = call(text, masked_mean_pool, hs, batch["attention_mask"])
    expect_vectors(f"{text}[0]" + say("  vs  '你好' alone", "  对比  单独编码的 '你好'"),
                   got[0] if isinstance(got, torch.Tensor) and got.dim() == 2
                   else got, hs_alone.mean(1)[0], lambda: mean_diagnosis(masked_mean_pool), atol=PAD_ATOL)
    seed = tokenizer(SEED, padding=True, return_tensors="pt")
    hs = forward(model, seed).last_hidden_state
    text = "masked_mean_pool(last_hidden_state, attention_mask)  # " + say(
        "seed batch, 7 and 10 real tokens of 10", "固定的示例批次，10 个位置中分别有 7 个和 10 个真实 token")
    got = call(text, masked_mean_pool, hs, seed["attention_mask"])
    expect_vectors(text, got, reference_mean(hs, seed["attention_mask"]), lambda: mean_diagnosis(masked_mean_pool), atol=1e-6)


# ---------------------------------------------------------------- properties


@given(hs=hidden_states())
def test_cls_matches_row_by_row(impl, hs):
    """For any [batch, seq_len, hidden] tensor: row i of the result is hs[i][0], exactly, same dtype."""
    cls_embeddings = observing(impl.cls_embeddings)
    text = say(f"cls_embeddings(tensor of shape {list(hs.shape)}, {hs.dtype})",
               f"cls_embeddings(形状为 {list(hs.shape)} 的张量, {hs.dtype})")
    got = call(text, cls_embeddings, hs.clone())
    expect_vectors(text, got, torch.stack([hs[i][0] for i in range(hs.shape[0])]),
                   lambda: cls_diagnosis(cls_embeddings), atol=0.0)


@given(pair=hidden_states_and_masks())
def test_mean_matches_a_loop_over_real_tokens(impl, pair):
    """For any hidden states and 0/1 mask (right-padded or not; int64, int32, bool or float32):
    the mean of the vectors whose mask is 1, as an explicit loop computes it."""
    masked_mean_pool = observing(impl.masked_mean_pool)
    hs, mask = pair
    text = (f"masked_mean_pool({say('tensor', '张量')} {list(hs.shape)} {hs.dtype}, "
            f"{say('mask', '掩码')} {mask.int().tolist()} {mask.dtype})")
    got = call(text, masked_mean_pool, hs.clone(), mask.clone())
    expect_vectors(text, got, reference_mean(hs, mask), lambda: mean_diagnosis(masked_mean_pool), atol=TENSOR_ATOL)


@given(pair=hidden_states_and_masks())
def test_values_at_padding_do_not_matter(impl, pair):
    """Whatever sits at the masked-out positions (here 1000), the mean is the same."""
    masked_mean_pool = observing(impl.masked_mean_pool)
    hs, mask = pair
    other = hs.clone()
    other[mask.to(torch.bool).logical_not()] = 1000.0
    text = (f"masked_mean_pool({say('tensor', '张量')} {list(hs.shape)}, {say('mask', '掩码')} {mask.int().tolist()})"
            + say(" with 1000 at the 0s", "  # 掩码为 0 的位置填入 1000"))
    got = call(text, masked_mean_pool, other, mask.clone())
    expect_vectors(text, got, reference_mean(hs, mask), lambda: mean_diagnosis(masked_mean_pool), atol=TENSOR_ATOL)


@per_model_run(5)  # each example runs the model once per sentence, plus once for the batch
@given(sentences=chinese_batches(min_size=2, max_size=3))
def test_a_sentence_gets_the_same_mean_alone_and_padded(impl, tokenizer, model, sentences):
    """For any batch of Chinese sentences, each row's mean equals the sentence's mean alone (within 1e-5)."""
    masked_mean_pool = observing(impl.masked_mean_pool)
    batch = tokenizer(sentences, padding=True, return_tensors="pt")
    hs = forward(model, batch).last_hidden_state
    text = f"masked_mean_pool(last_hidden_state, attention_mask)  # {sentences}"
    got = call(text, masked_mean_pool, hs, batch["attention_mask"])
    alone = torch.stack([forward(model, tokenizer([s], return_tensors="pt")).last_hidden_state.mean(1)[0]
                         for s in sentences])
    expect_vectors(text + say("  vs  each sentence alone", "  对比  每个句子单独编码"), got, alone,
                   lambda: mean_diagnosis(masked_mean_pool), atol=PAD_ATOL)


# ---------------------------------------------------------------- calling, references and diagnoses


def call(text, run, *args, mistakes=()):
    """The learner's function by ``run`` (:func:`bertkata.calls.observing`) on ``args``: fails on an
    unexpected error (naming ``mistakes``: (words in the error, likely mistake)) and on any change to the
    caller's arguments or grad mode. Returns the value."""
    return observed(text, run, *args, mistakes=mistakes)[0]


def call_backward(text, run, *args):
    """:func:`call`, and the gradient of the result's sum with respect to the input that requires grad
    (None when none reaches it), taken where the learner's code ran."""
    value, rec = observed(text, run, *args, backward=True)
    return value, rec.input_grad


def observed(text, run, *args, mistakes=(), backward=False):
    rec = run(text, *args, backward=backward)
    value = rec.result(mistakes=[NO_UNSQUEEZE, *mistakes])
    rec.expect_kept(inputs_mistake(rec.inputs), grad_mode=True)
    return value, rec


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


def as_output(hs):
    """A model output holding ``hs`` as last_hidden_state (pooler_output: FIXED_POOLER), for re-running
    sentence_vector as a function of last_hidden_state."""
    return Output(last_hidden_state=hs, pooler_output=FIXED_POOLER.to(hs.dtype))


NOT_CHINESE_TOKENIZER = T("the model source's tokenizer is not bert-base-chinese's",
                          "模型来源的分词器不是 bert-base-chinese 的")
NO_UNSQUEEZE = ("must match the size", T("attention_mask is [batch, seq_len] and last_hidden_state is "
                                         "[batch, seq_len, hidden]: give the mask a last axis with "
                                         "attention_mask.unsqueeze(-1) so it broadcasts over hidden",
                                         "attention_mask 是 [batch, seq_len]，last_hidden_state 是 "
                                         "[batch, seq_len, hidden]：用 attention_mask.unsqueeze(-1) 给掩码加上"
                                         "最后一维，让它能在 hidden 维上广播"))
NUMPY = T("return a torch.Tensor, not a NumPy array: .numpy() drops the autograd graph and the dtype rules "
          "of torch; the caller converts if they need to",
          "返回 torch.Tensor，而不是 NumPy 数组：.numpy() 会丢掉自动求导计算图和 torch 的 dtype 规则；"
          "调用者需要的话会自己转换")
CUT = {
    "cls_embeddings": T("cls_embeddings cut its result from the autograd graph (.detach(), .data, torch.no_grad() "
                        "or a new torch.tensor): index last_hidden_state[:, 0, :] directly; whether gradients "
                        "flow is the caller's choice",
                        "cls_embeddings 把结果从自动求导计算图上切断了（.detach()、.data、torch.no_grad() 或新建 "
                        "torch.tensor）：直接索引 last_hidden_state[:, 0, :]；梯度要不要流过由调用者决定"),
    "sentence_vector": T("sentence_vector cut its result from the autograd graph: return "
                         "model_output.last_hidden_state[:, 0, :] as it is, without .detach()",
                         "sentence_vector 把结果从自动求导计算图上切断了：原样返回 "
                         "model_output.last_hidden_state[:, 0, :]，不要 .detach()"),
    "masked_mean_pool": T("masked_mean_pool ran without a graph (torch.no_grad() or .detach() inside): "
                          "fine-tuning through mean pooling needs the gradient; leave grad mode to the caller",
                          "masked_mean_pool 运行时没有计算图（内部用了 torch.no_grad() 或 .detach()）："
                          "通过均值池化做微调需要梯度；梯度模式交给调用者决定"),
}
CLS_SHAPES = {
    (5, 4): T("last_hidden_state[0] is every token of sentence 0 ([seq_len, hidden]); "
              "the [CLS] vectors of all sentences are last_hidden_state[:, 0, :]",
              "last_hidden_state[0] 是句子 0 的全部 token（[seq_len, hidden]）；所有句子的 [CLS] 向量是 "
              "last_hidden_state[:, 0, :]"),
    (3, 1, 4): T("last_hidden_state[:, 0:1, :] keeps a seq_len axis of 1 ([batch, 1, hidden]): index with 0, "
                 "not a slice, last_hidden_state[:, 0, :]",
                 "last_hidden_state[:, 0:1, :] 保留了一个长度为 1 的 seq_len 维（[batch, 1, hidden]）：用下标 0 "
                 "而不是切片，last_hidden_state[:, 0, :]"),
    (4,): T("last_hidden_state[0, 0] is the [CLS] vector of sentence 0 only; take every sentence's: [:, 0, :]",
            "last_hidden_state[0, 0] 只是句子 0 的 [CLS] 向量；要取每个句子的：[:, 0, :]"),
    (3, 5): T("last_hidden_state[:, :, 0] indexes the hidden axis; [CLS] is position 0 of the sequence axis (dim 1)",
              "last_hidden_state[:, :, 0] 索引的是 hidden 维；[CLS] 是序列维（dim 1）上的位置 0"),
}
CLS_IS = T("the [CLS] vector of every sentence is last_hidden_state[:, 0, :]",
           "每个句子的 [CLS] 向量是 last_hidden_state[:, 0, :]")
MEAN_IS = T("sum the vectors where attention_mask is 1 and divide by how many there are",
            "把 attention_mask 为 1 处的向量相加，再除以它们的个数")
ONLY_0_AND_1 = T("check that attention_mask holds only 0 and 1 and raise ValueError",
                 "检查 attention_mask 是否只包含 0 和 1，否则抛出 ValueError")


def cls_diagnosis(run, wrap=None):
    """Re-run the learner's function by ``run`` (:func:`bertkata.calls.observing`) on FIXED_HS (given as
    ``wrap(hs)`` when set: hidden states -> [CLS] vectors) and name the mistake its result matches."""
    wrap = wrap or (lambda hs: hs)
    rec = run(f"cls_embeddings({SHOWN})", wrap(FIXED_HS.clone()))
    got, hs = rec.value, FIXED_HS.double()
    if rec.error is not None or not isinstance(got, torch.Tensor):
        return CLS_IS
    if tuple(got.shape) in CLS_SHAPES:
        return CLS_SHAPES[tuple(got.shape)]
    if tuple(got.shape) != (3, 4):
        return T("index the sequence dimension (dim 1) at 0 for every sentence: last_hidden_state[:, 0, :]",
                 "对每个句子，在序列维（dim 1）上取下标 0：last_hidden_state[:, 0, :]")
    candidates = [
        (hs[:, 0], None),
        (FIXED_POOLER.double(), T("pooler_output is tanh(pooler.dense([CLS])), a layer trained for next-sentence "
                                  "prediction, not the [CLS] vector; take position 0 of last_hidden_state",
                                  "pooler_output 是 tanh(pooler.dense([CLS]))，出自一个为下一句预测训练的层，不是 "
                                  "[CLS] 向量；取 last_hidden_state 的位置 0")),
        (hs[:, -1], T("you took the last token ([SEP] or a [PAD]); position 0 holds [CLS]: last_hidden_state[:, 0, :]",
                      "你取的是最后一个 token（[SEP] 或某个 [PAD]）；[CLS] 在位置 0：last_hidden_state[:, 0, :]")),
        (hs.mean(1), T("you averaged over all tokens; the [CLS] vector is the one at position 0",
                       "你对所有 token 求了平均；[CLS] 向量是位置 0 上的那一个")),
        (hs[:, 1], T("position 1 is the first character; [CLS] is at position 0: last_hidden_state[:, 0, :]",
                     "位置 1 是第一个字；[CLS] 在位置 0：last_hidden_state[:, 0, :]")),
        (hs.max(1).values, T("you max-pooled over the tokens; the [CLS] vector is the one at position 0",
                             "你对 token 做了最大池化；[CLS] 向量是位置 0 上的那一个")),
    ]
    for want, mistake in candidates:
        if torch.allclose(got.detach().double(), want, atol=1e-6):
            return mistake or one_sentence_diagnosis(run, wrap) or T(
                "right on a fixed input: check how the dtype and the graph are kept (see the docstring)",
                "在固定输入上结果正确：检查 dtype 和计算图有没有保持住（见 docstring）")
    return CLS_IS


def one_sentence_diagnosis(run, wrap):
    """A batch of one sentence loses its batch axis to a bare squeeze()."""
    rec = run(f"cls_embeddings({SHOWN}[:1])", wrap(FIXED_HS[:1].clone()))
    if rec.error is None and isinstance(rec.value, torch.Tensor) and list(rec.value.shape) != [1, 4]:
        return T(f"given a batch of one sentence, [1, 5, 4], it returned shape {list(rec.value.shape)}, not [1, 4]: "
                 "squeeze() removes every axis of size 1, the batch axis too; index last_hidden_state[:, 0, :] "
                 "(or squeeze(1))",
                 f"给它只有一个句子的批次 [1, 5, 4] 时，它返回的形状是 {list(rec.value.shape)}，而不是 [1, 4]："
                 "squeeze() 会去掉所有长度为 1 的维，批次维也不例外；用 last_hidden_state[:, 0, :] 索引"
                 "（或用 squeeze(1)）")
    return None


def mean_diagnosis(run):
    """Re-run masked_mean_pool by ``run`` (:func:`bertkata.calls.observing`) on FIXED_HS and FIXED_MASK
    (right-padded, left-padded and gapped rows) and name the pooling mistake its result matches; the
    most specific one first."""
    rec = run(f"masked_mean_pool({SHOWN}, {SHOWN_MASK})", FIXED_HS.clone(), FIXED_MASK.clone())
    got, hs, m = rec.value, FIXED_HS.double(), FIXED_MASK.double().unsqueeze(-1)
    if rec.error is not None or not isinstance(got, torch.Tensor):
        return MEAN_IS
    only_seq = T("average over the sequence (dim=1) only, keeping the hidden axis: [batch, hidden]",
                 "只在序列维（dim=1）上求平均，保留 hidden 维：[batch, hidden]")
    shapes = {
        (3, 1): only_seq,
        (3,): only_seq,
        (3, 5): T("you averaged over the hidden axis (dim=2); average over the sequence (dim=1): [batch, hidden]",
                  "你在 hidden 维（dim=2）上求了平均；应在序列维（dim=1）上求平均：[batch, hidden]"),
        (4,): T("you averaged over the batch too; each sentence gets its own mean: [batch, hidden]",
                "你把批次维也平均掉了；每个句子应有自己的均值：[batch, hidden]"),
        (3, 5, 4): T("you masked the vectors but never summed over the sequence (dim=1)",
                     "你对向量做了掩码，却没有在序列维（dim=1）上求和"),
    }
    if tuple(got.shape) in shapes:
        return shapes[tuple(got.shape)]
    if tuple(got.shape) != (3, 4):
        return T("average over the sequence dimension (dim=1): the result is [batch, hidden]",
                 "在序列维（dim=1）上求平均：结果是 [batch, hidden]")
    real = m.sum(1)
    first_n = torch.stack([hs[i, :int(real[i])].mean(0) for i in range(3)])
    candidates = [
        ((hs * m).sum(1) / real, None),
        (hs.mean(1), T("you averaged over every position, [PAD] included: multiply by the mask first so "
                       "padding adds nothing, and divide by the number of real tokens",
                       "你对所有位置求了平均，[PAD] 也算在内：先乘以掩码，让填充位置不计入总和，再除以真实 token "
                       "的个数")),
        ((hs * m).sum(1) / hs.shape[1], T("you divided by the padded length (seq_len); divide by the number of "
                                          "real tokens of each row, attention_mask.sum(dim=1)",
                                          "你除以的是补齐后的长度（seq_len）；应除以每一行真实 token 的个数，"
                                          "attention_mask.sum(dim=1)")),
        (first_n, T("you averaged the first n positions of each row, which assumes right padding; the real "
                    "tokens are where attention_mask is 1 (left padding, gaps): multiply by the mask",
                    "你对每一行的前 n 个位置求了平均，这默认了填充都在右侧；真实 token 在 attention_mask 为 1 "
                    "的地方（可能左侧填充，也可能中间有空位）：乘以掩码")),
        (hs[:, 0], T("you returned the [CLS] vector; this function averages the real tokens",
                     "你返回的是 [CLS] 向量；这个函数要对真实 token 求平均")),
        ((hs * m).sum(1), T("you summed the real tokens but never divided by their number",
                            "你把真实 token 加起来了，却没有除以它们的个数")),
        ((hs * m).sum(1) / m.sum(), T("you divided by the number of real tokens in the whole batch; divide each "
                                      "row by its own, attention_mask.sum(dim=1, keepdim=True)",
                                      "你除以的是整个批次的真实 token 数；每一行应除以自己的个数，"
                                      "attention_mask.sum(dim=1, keepdim=True)")),
        ((hs * (1 - m)).sum(1) / (1 - m).sum(1), T("you averaged the [PAD] positions: 1 in attention_mask marks "
                                                   "a real token, 0 a [PAD]",
                                                   "你平均的是 [PAD] 位置：attention_mask 中 1 表示真实 token，"
                                                   "0 表示 [PAD]")),
    ]
    for want, mistake in candidates:
        if torch.allclose(got.detach().double(), want, atol=1e-5):
            return mistake or T("right on a fixed input: check the dtype, the graph, NaN and the mask's dtype "
                                "against the docstring",
                                "在固定输入上结果正确：对照 docstring 检查 dtype、计算图、NaN 和掩码的 dtype")
    return MEAN_IS


def nan_diagnosis(got, hs):
    """For the NaN test: was the NaN skipped or turned into 0 instead of staying in the mean?"""
    if not isinstance(got, torch.Tensor) or tuple(got.shape) != (3, 4) or got[1, 2].isnan():
        return None
    real = [2, 3, 4]  # row 1's real positions; position 3 holds the NaN
    kept = hs[1, [2, 4], 2].double()
    if abs(got[1, 2].item() - kept.mean().item()) < 1e-5:
        return T("you skipped the NaN (nanmean, or averaging the finite values only): the docstring keeps NaN "
                 "in the mean, so a broken model output shows instead of hiding",
                 "你跳过了 NaN（用了 nanmean，或只对有限值求平均）：docstring 要求均值里保留 NaN，"
                 "这样坏掉的模型输出会暴露出来，而不是被掩盖")
    if abs(got[1, 2].item() - kept.sum().item() / len(real)) < 1e-5:
        return T("you turned the NaN into 0 (nan_to_num) before averaging: the docstring keeps NaN in the mean, "
                 "so a broken model output shows instead of hiding",
                 "你在求平均之前把 NaN 变成了 0（nan_to_num）：docstring 要求均值里保留 NaN，"
                 "这样坏掉的模型输出会暴露出来，而不是被掩盖")
    return None


def weights_diagnosis(rec, mask):
    """For a mask holding other values than 0 and 1: was it used as weights or as 'nonzero is real'?"""
    got = rec.value
    if rec.error is not None or not isinstance(got, torch.Tensor) or tuple(got.shape) != (3, 4):
        return ONLY_0_AND_1
    hs, w = FIXED_HS.double(), mask.double().unsqueeze(-1)
    weighted = (hs * w).sum(1) / w.sum(1)
    nonzero = (hs * (w != 0)).sum(1) / (w != 0).sum(1)
    if torch.allclose(got.double(), weighted, atol=1e-5):
        return T("you used the mask's values as weights: a mask holds 0 and 1 only; check "
                 "((attention_mask == 0) | (attention_mask == 1)).all() and raise ValueError",
                 "你把掩码的值当成了权重：掩码只包含 0 和 1；检查 "
                 "((attention_mask == 0) | (attention_mask == 1)).all()，不满足就抛出 ValueError")
    if torch.allclose(got.double(), nonzero, atol=1e-5):
        return T("you counted every nonzero value as a real token (mask.bool()): a 2, 0.5 or -1 is not a mask "
                 "value; check that attention_mask holds only 0 and 1 and raise ValueError",
                 "你把每个非零值都当成了真实 token（mask.bool()）：2、0.5 或 -1 都不是合法的掩码值；"
                 "检查 attention_mask 是否只包含 0 和 1，否则抛出 ValueError")
    return ONLY_0_AND_1


def inputs_mistake(changes):
    """Name how the caller's tensor was changed, from what :func:`observe` found."""
    text = "; ".join(changes)
    if "went from" in text and "attention_mask" in text:
        return T("attention_mask.unsqueeze_(-1) reshaped the caller's mask in place (it is now [batch, seq_len, 1]): "
                 "use attention_mask.unsqueeze(-1), which returns a new view",
                 "attention_mask.unsqueeze_(-1) 原地改变了调用者掩码的形状（现在是 [batch, seq_len, 1]）："
                 "用 attention_mask.unsqueeze(-1)，它返回一个新的视图")
    if "last_hidden_state's values were changed in place" in text:
        return T("you zeroed the caller's [PAD] vectors in place (last_hidden_state *= mask, or "
                 "last_hidden_state[mask == 0] = 0): multiply out of place, last_hidden_state * mask.unsqueeze(-1)",
                 "你原地把调用者的 [PAD] 向量清零了（last_hidden_state *= mask，或 last_hidden_state[mask == 0] = 0）："
                 "用非原地的乘法，last_hidden_state * mask.unsqueeze(-1)")
    if "requires_grad went from" in text:
        return T("you changed requires_grad on the caller's tensor: whether it needs gradients is the caller's choice",
                 "你改了调用者张量的 requires_grad：它要不要梯度由调用者决定")
    return None


def expect_vectors(text, got, want, diagnose, atol, check_values=True):
    """A torch.Tensor of ``want``'s shape and dtype and values (NaN where ``want`` has NaN) within ``atol``.
    ``diagnose()`` names the mistake; it runs only on a failure. Numbers are labelled returned/expected."""
    if not isinstance(got, torch.Tensor):
        name = type_name(got)
        fail(text, T(f"a {name}", f"一个 {name}"),
             T(f"a torch.Tensor of shape {list(want.shape)}", f"一个形状为 {list(want.shape)} 的 torch.Tensor"),
             NUMPY if type(got).__module__ == "numpy" else T("return a torch.Tensor", "返回一个 torch.Tensor"))
    if list(got.shape) != list(want.shape):
        fail(text, T(f"shape {list(got.shape)}", f"形状 {list(got.shape)}"),
             T(f"shape {list(want.shape)}", f"形状 {list(want.shape)}"), diagnose())
    check(got.dtype == want.dtype, text, f"dtype {got.dtype}", f"dtype {want.dtype}",
          T("keep the dtype of last_hidden_state: convert the mask to it (mask.to(last_hidden_state.dtype)), "
            "never the hidden states to another dtype",
            "保持 last_hidden_state 的 dtype：把掩码转换成它的 dtype（mask.to(last_hidden_state.dtype)），"
            "不要把隐藏状态转换成别的 dtype"))
    if not check_values:
        return
    g, w = got.detach().double(), want.detach().double()
    same = (g - w).abs() <= atol
    same |= (g.isnan() & w.isnan()) | (g == w)
    if not bool(same.all()):
        where = tuple(int(i) for i in (~same).nonzero()[0])
        diff = (g - w).abs()[~(g.isnan() | w.isnan())]
        head = T(f"values differing by up to {diff.max().item():.3g}", f"数值最多相差 {diff.max().item():.3g}") \
            if diff.numel() and diff.max() > atol \
            else T("NaN where the expected has none, or a number where it has NaN",
                   "期望中没有 NaN 的地方出现了 NaN，或期望为 NaN 的地方是数字")
        fail(text, head + T(f"; at {where}: returned {g[where].item():.6g}, expected {w[where].item():.6g}",
                            f"；位置 {where}：返回 {g[where].item():.6g}，期望 {w[where].item():.6g}"),
             T(f"the same values within {atol:g}", f"误差 {atol:g} 以内的相同数值" if atol else "完全相同的数值"),
             diagnose())
