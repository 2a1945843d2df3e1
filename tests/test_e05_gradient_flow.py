"""Exercise 05, gradient flow: checked against autograd on bert-base-chinese and its real parameter counts.

Every call to the learner's code goes through :func:`bertkata.calls.observe`, directly or by ``rows``,
``count``, ``freeze`` and ``gradient`` after the tests, which take the learner's function wrapped by
:func:`bertkata.calls.observing`: it records what came back and what changed, and each call's side
effects are checked before its value.
"""

from contextlib import ExitStack

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from bertkata.calls import observe, observing
from bertkata.feedback import check, expect_close, expect_tensor, fail, summary, type_name
from bertkata.i18n import T, say
from bertkata.strategies import chinese_text, mixed_sentences, per_model_run, sparse_gradients, vocab_chinese_chars

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
# The same forward and backward in another order of calls (or on another number of threads) agree to
# float32 rounding, which grows with the gradient's largest entry (tens, for a sum over every entry).
GRAD_ATOL, GRAD_RTOL = 1e-6, 1e-5
WORD = "embeddings.word_embeddings.weight"

_REFERENCE: dict = {}


# ---------------------------------------------------------------- rows_with_gradient (no model)


SMALL_ROWS = [0, 3, 9, 11]  # the non-zero rows of small_gradient() (after the tests)


def test_rows_of_a_small_gradient(impl):
    """Rows 0, 3, 9 and 11 are non-zero: row 3 holds one tiny entry, row 9's entries cancel (it sums to 0),
    row 0 counts like any other; the caller's tensor is not changed."""
    rows_with_gradient = observing(impl.rows_with_gradient)
    call = say("rows_with_gradient(tensor [12, 4] with rows 0, 3, 9 and 11 non-zero, row 9 summing to 0)",
               "rows_with_gradient(张量 [12, 4]，第 0、3、9、11 行非零，第 9 行之和为 0)")
    expect_rows(call, rows(rows_with_gradient, small_gradient(), call), SMALL_ROWS)


@given(grad=sparse_gradients())
def test_rows_match_a_loop_over_rows(impl, grad):
    """For any gradient: the sorted indices of rows with at least one non-zero entry."""
    rows_with_gradient = observing(impl.rows_with_gradient)
    want = [i for i in range(grad.shape[0]) if any(v != 0 for v in grad[i].tolist())]
    call = say(f"rows_with_gradient(tensor {list(grad.shape)} with rows {want} non-zero)",
               f"rows_with_gradient(张量 {list(grad.shape)}，非零行为 {want})")
    got = rows(rows_with_gradient, grad, call)
    if not is_rows(got, want):
        # shrinking makes mistakes look alike (a lone tiny entry looks like cancelling entries): name the
        # mistake from the fixed input that tells them apart
        fail(call, summary(got), want,
             diagnose_rows_on_the_fixed_input(rows_with_gradient) or diagnose_rows(got, want))


BAD_INPUT = [
    (None, TypeError, T("None (no backward() has run, or the parameter is frozen)",
                        "传入 None（还没有运行过 backward()，或该参数已被冻结）")),
    ([[0.0, 1.0]], TypeError, T("a list instead of a tensor", "传入的是 list，而不是张量")),
    (torch.ones(5), ValueError, T("a 1-D tensor", "传入一个一维张量")),
    (torch.ones(2, 3, 4), ValueError, T("a 3-D tensor", "传入一个三维张量")),
]


@pytest.mark.parametrize("grad,error,what", BAD_INPUT, ids=[b[2].en for b in BAD_INPUT])
def test_rows_of_bad_input_get_a_clear_error(impl, grad, error, what):
    """None is what .grad holds before any backward(): say so, instead of an AttributeError."""
    rec = observe(say(f"rows_with_gradient({summary(grad)}) with {what.en}",
                      f"rows_with_gradient({summary(grad)})，{what.zh}"), impl.rows_with_gradient, grad)
    rec.expect_error(error, "'grad is None: no backward() has reached this parameter'")
    rec.expect_no_side_effects()


# ---------------------------------------------------------------- count_trainable_parameters


def test_count_trainable_parameters(impl, model):
    """102,267,648 in all, 85,645,056 with the embeddings frozen, 0 with everything frozen (C15),
    a Python int each time, the model unchanged. https://github.com/huggingface/transformers/issues/95
    """
    count_trainable_parameters = observing(impl.count_trainable_parameters)
    total = sum(p.numel() for p in model.parameters())
    check(total == TOTAL_PARAMETERS, "sum(p.numel() for p in model.parameters())", total, TOTAL_PARAMETERS,
          T("the model source is not bert-base-chinese's architecture",
            "模型来源不是 bert-base-chinese 的架构"))
    expect_count(count_trainable_parameters, model, T("nothing frozen", "什么都没冻结"), total)
    model.embeddings.requires_grad_(False)
    without = total - sum(p.numel() for p in model.embeddings.parameters())
    check(without == TRAINABLE_WITHOUT_EMBEDDINGS,
          T("trainable numbers without the embeddings", "不计 embeddings 时可训练的数值个数"), without,
          TRAINABLE_WITHOUT_EMBEDDINGS,
          T("the model source is not bert-base-chinese's architecture",
            "模型来源不是 bert-base-chinese 的架构"))
    expect_count(count_trainable_parameters, model, T("after model.embeddings.requires_grad_(False)",
                                                      "model.embeddings.requires_grad_(False) 之后"), without)
    model.requires_grad_(False)
    expect_count(count_trainable_parameters, model,
                 T("after model.requires_grad_(False)", "model.requires_grad_(False) 之后"), 0)


def test_a_tied_weight_counts_once(impl):
    """A parameter shared by two modules is one parameter: model.parameters() lists it once.
    BertForMaskedLM ties its output layer to word_embeddings.weight (config.tie_word_embeddings)."""
    from transformers import BertConfig, BertForMaskedLM

    count_trainable_parameters = observing(impl.count_trainable_parameters)

    expect_count(count_trainable_parameters, shared_weight(),
                 T("two Linear(3, 3): first.weight is second.weight, 9 + 3 numbers",
                   "两个 Linear(3, 3)：first.weight 就是 second.weight，共 9 + 3 个数值"), 12)
    mlm = BertForMaskedLM(BertConfig(vocab_size=50, hidden_size=8, num_hidden_layers=1, num_attention_heads=2,
                                     intermediate_size=16, max_position_embeddings=16))
    word = mlm.bert.embeddings.word_embeddings.weight
    check(mlm.cls.predictions.decoder.weight is word, "BertForMaskedLM: decoder.weight is word_embeddings.weight",
          False, True, T("transformers no longer ties the output layer by default",
                         "transformers 默认不再把输出层与 word_embeddings 绑定（tie）"))
    total = sum(p.numel() for p in mlm.parameters())
    expect_count(count_trainable_parameters, mlm,
                 T("a small BertForMaskedLM (decoder.weight tied to word_embeddings.weight)",
                   "一个小型 BertForMaskedLM（decoder.weight 与 word_embeddings.weight 绑定）"),
                 total)
    word.requires_grad_(False)
    expect_count(count_trainable_parameters, mlm,
                 T("a small BertForMaskedLM with word_embeddings.weight (and so the tied decoder.weight) frozen",
                   "一个小型 BertForMaskedLM，冻结了 word_embeddings.weight（与之绑定的 decoder.weight 也随之冻结）"),
                 total - word.numel())


@given(data=st.data())
def test_count_matches_any_frozen_subset(impl, model, data):
    """Freeze any subset of the model's parameters: the count is the elements of the rest."""
    count_trainable_parameters = observing(impl.count_trainable_parameters)
    params = dict(model.named_parameters())
    frozen = data.draw(st.sets(st.sampled_from(sorted(params))), label="frozen")
    for name, p in params.items():
        p.requires_grad_(name not in frozen)
    want = sum(p.numel() for name, p in params.items() if name not in frozen)
    expect_count(count_trainable_parameters, model, T("{} parameters frozen", "冻结了 {} 个参数").format(len(frozen)), want)


# ---------------------------------------------------------------- freeze_embeddings


def test_freeze_embeddings_freezes_exactly_the_embeddings(impl, tokenizer, model):
    """After freezing, 85,645,056 of 102,267,648 parameters remain trainable, and a backward()
    gives the embeddings no .grad but the encoder one (C15, https://github.com/huggingface/transformers/issues/95)."""
    freeze_embeddings = observing(impl.freeze_embeddings)
    total = sum(p.numel() for p in model.parameters())
    in_embeddings = sum(p.numel() for p in model.embeddings.parameters())
    check((total, in_embeddings) == (TOTAL_PARAMETERS, EMBEDDING_PARAMETERS),
          T("the model's parameter counts", "模型的参数量"),
          (total, in_embeddings), (TOTAL_PARAMETERS, EMBEDDING_PARAMETERS),
          T("the model source is not bert-base-chinese's architecture",
            "模型来源不是 bert-base-chinese 的架构"))
    call = "freeze_embeddings(model)"
    freeze(freeze_embeddings, model, call)
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    check(trainable == TRAINABLE_WITHOUT_EMBEDDINGS,
          T("{}; trainable numbers", "{}；可训练的数值个数").format(call), trainable,
          TRAINABLE_WITHOUT_EMBEDDINGS,
          T("freeze model.embeddings only", "只冻结 model.embeddings"))
    loss_of(model, encode(tokenizer, [SEED])).backward()
    with_grad = [n for n, p in model.embeddings.named_parameters() if p.grad is not None]
    check(not with_grad,
          T("{}; backward(); then embeddings' .grad", "{}; backward()；然后查看 embeddings 的 .grad").format(call),
          T("tensors on {}", "{} 上有张量").format(with_grad), "None",
          T("frozen parameters get no gradient", "冻结的参数不会得到梯度"))
    query = model.encoder.layer[0].attention.self.query.weight
    check(query.grad is not None,
          T("{}; backward(); then encoder.layer[0].attention.self.query.weight.grad",
            "{}; backward()；然后 encoder.layer[0].attention.self.query.weight.grad").format(call),
          "None", T("a gradient", "一个梯度"),
          T("freeze only the embeddings: the encoder must keep learning",
            "只冻结 embeddings：encoder 必须继续学习"))


def test_freeze_leaves_the_callers_other_flags_and_mode(impl, model):
    """The caller froze encoder.layer[3] and the pooler and put the model in train mode: after freezing
    the embeddings, those two stay frozen, everything else stays trainable, and the mode stays train."""
    freeze_embeddings = observing(impl.freeze_embeddings)
    model.train()
    model.encoder.layer[3].requires_grad_(False)
    model.pooler.requires_grad_(False)
    freeze(freeze_embeddings, model, "model.train(); model.encoder.layer[3].requires_grad_(False); "
                                     "model.pooler.requires_grad_(False); freeze_embeddings(model)")


# ---------------------------------------------------------------- embedding_gradient


def test_gradient_of_the_seed_sentence(impl, tokenizer, model):
    """[21128, 768] float32, equal to autograd's; non-zero exactly in the rows of the 7 input ids;
    the model (eval mode) and the batch are left as they were.

    C13, https://github.com/huggingface/transformers/issues/5567.
    """
    embedding_gradient = observing(impl.embedding_gradient)
    rows_with_gradient = observing(impl.rows_with_gradient)
    inputs = encode(tokenizer, [SEED])
    check(inputs["input_ids"][0].tolist() == SEED_IDS, f"tokenizer([{SEED!r}])['input_ids']",
          inputs["input_ids"][0].tolist(), SEED_IDS,
          T("the model source's tokenizer is not bert-base-chinese's",
            "模型来源的分词器不是 bert-base-chinese 的"))
    ref = reference_gradient(model, tokenizer, [SEED])
    check(nonzero_rows(ref) == SEED_ROWS, T("autograd's gradient rows", "autograd 梯度的非零行"),
          nonzero_rows(ref), SEED_ROWS,
          T("the model source is not bert-base-chinese's architecture",
            "模型来源不是 bert-base-chinese 的架构"))
    call = f"embedding_gradient(model, tokenizer([{SEED!r}], return_tensors='pt'))"
    got = gradient(embedding_gradient, model, inputs, call, ref)
    expect_rows(f"rows_with_gradient({call})", rows(rows_with_gradient, got, f"rows_with_gradient({call})"),
                SEED_ROWS)


def test_gradients_the_model_already_holds_do_not_count(impl, tokenizer, model):
    """After a backward() of the caller's own, the result is still the gradient of this loss alone,
    and the caller's gradients are either restored or cleared (C16).

    https://discuss.pytorch.org/t/what-does-the-backward-function-do/9944/2
    """
    embedding_gradient = observing(impl.embedding_gradient)
    ref = reference_gradient(model, tokenizer, [SEED])
    weight = model.embeddings.word_embeddings.weight
    query = model.encoder.layer[0].attention.self.query.weight
    # the caller's own, earlier backward (into two parameters only: a full one costs 400 MB of gradients)
    loss_of(model, encode(tokenizer, PADDED)).backward(inputs=[weight, query])
    earlier = weight.grad.clone()
    call = say(f"embedding_gradient(model, tokenizer([{SEED!r}]))  # the model holds gradients of {PADDED}",
               f"embedding_gradient(model, tokenizer([{SEED!r}]))  # 模型已持有 {PADDED} 的梯度")
    gradient(embedding_gradient, model, encode(tokenizer, [SEED]), call, ref, earlier=earlier)


def test_calling_twice_gives_the_same_gradient(impl, tokenizer, model):
    """A second call returns the same gradient, not twice it: backward() adds to .grad (C16),
    and a later call on other input leaves an earlier result unchanged (it is the caller's copy).

    https://discuss.pytorch.org/t/what-does-the-backward-function-do/9944/2
    """
    embedding_gradient = observing(impl.embedding_gradient)
    ref = reference_gradient(model, tokenizer, [SEED])
    call = f"embedding_gradient(model, tokenizer([{SEED!r}]))"
    first = gradient(embedding_gradient, model, encode(tokenizer, [SEED]),
                     call + say("  # first call", "  # 第一次调用"), ref)
    kept = first.clone()
    gradient(embedding_gradient, model, encode(tokenizer, [SEED]), call + say("  # second call", "  # 第二次调用"),
             ref, earlier=kept)
    gradient(embedding_gradient, model, encode(tokenizer, PADDED), f"embedding_gradient(model, tokenizer({PADDED}))")
    expect_close(say(f"g = {call}; embedding_gradient(model, <{PADDED}>); then g",
                     f"g = {call}; embedding_gradient(model, <{PADDED}>)；然后 g"), first, kept, atol=0.0,
                 mistake=T("you returned weight.grad itself, which the next call zeroes and refills in place; "
                           "return weight.grad.detach().clone()",
                           "你返回的是 weight.grad 本身，下一次调用会原地把它清零再重新填充；"
                           "应返回 weight.grad.detach().clone()"))


def test_padded_batch_leaves_the_pad_row_zero(impl, tokenizer, model):
    """C13: the padded pair ["你好", "今天天气很好"] holds [PAD] (0), but row 0 gets no gradient
    (padding_idx=0), so the rows are the other 8 ids; the notebook's sum runs over every position, and the
    [PAD] positions' vectors (they attend to the real tokens) add to the real rows' gradient.
    https://github.com/huggingface/transformers/issues/5567
    """
    embedding_gradient = observing(impl.embedding_gradient)
    rows_with_gradient = observing(impl.rows_with_gradient)
    inputs = encode(tokenizer, PADDED)
    check(0 in inputs["input_ids"].tolist()[0] and model.embeddings.word_embeddings.padding_idx == 0,
          f"tokenizer({PADDED}, padding=True)", summary(inputs["input_ids"]),
          T("[PAD] (0) in row 0, padding_idx 0", "第 0 行含有 [PAD] (0)，padding_idx 为 0"),
          T("the model source is not bert-base-chinese's", "模型来源不是 bert-base-chinese"))
    ref = reference_gradient(model, tokenizer, PADDED)
    check(nonzero_rows(ref) == PADDED_ROWS, T("autograd's gradient rows", "autograd 梯度的非零行"),
          nonzero_rows(ref), PADDED_ROWS,
          T("the model source is not bert-base-chinese's architecture",
            "模型来源不是 bert-base-chinese 的架构"))
    real_only = autograd_gradient(model, inputs, positions="real")
    check(not close(ref, real_only), T("autograd's gradient of the sum over every position and over real tokens only",
                                       "autograd 对全部位置求和与只对真实 token 求和时的梯度"),
          T("the same", "相同"), T("different", "不同"),
          T("the model source's [PAD] positions do not depend on the real tokens",
            "模型来源中 [PAD] 位置的向量不依赖真实 token"))
    call = f"embedding_gradient(model, tokenizer({PADDED}, padding=True))"
    got = gradient(embedding_gradient, model, inputs, call, ref)
    expect_rows(f"rows_with_gradient({call})", rows(rows_with_gradient, got, f"rows_with_gradient({call})"),
                PADDED_ROWS)


def test_a_batch_without_attention_mask_raises_key_error(impl, tokenizer, model):
    """Documented: KeyError when inputs has no attention_mask (without it the model takes every position
    as a real token, and in a padded batch the real tokens attend to [PAD])."""
    embedding_gradient = observing(impl.embedding_gradient)
    inputs = dict(encode(tokenizer, [SEED]))
    del inputs["attention_mask"]
    rec = gradient_call(embedding_gradient, model, inputs, say(
        f"embedding_gradient(model, {{input_ids, token_type_ids}} of {SEED!r}, no attention_mask)",
        f"embedding_gradient(model, {SEED!r} 的 {{input_ids, token_type_ids}}，没有 attention_mask)"))
    if rec.error is None:
        mistake = T("a batch without attention_mask must raise KeyError: read inputs['attention_mask'] "
                    "(it raises by itself); inputs.get('attention_mask', ones) treats every position as real "
                    "and hides the caller's mistake",
                    "没有 attention_mask（注意力掩码）的批次必须抛出 KeyError：用 inputs['attention_mask'] "
                    "读取（缺这个键时它自己就会抛出）；inputs.get('attention_mask', ones) "
                    "会把每个位置都当作真实 token，掩盖调用方的错误")
    else:
        mistake = T("read inputs['attention_mask'], which raises KeyError by itself, before the forward",
                    "在 forward 之前读取 inputs['attention_mask']，缺这个键时它自己就会抛出 KeyError")
    rec.expect_error(KeyError, "KeyError('attention_mask')", mistake=mistake)
    expect_untouched(rec, model, training=False)


def test_more_than_512_positions_raise_value_error(impl, tokenizer, model):
    """Documented: ValueError past model.config.max_position_embeddings (512): the model's position
    embeddings have no row 512, and the model itself fails with an unclear RuntimeError."""
    embedding_gradient = observing(impl.embedding_gradient)
    inputs = long_inputs(tokenizer, MAX_POSITIONS + 1)
    rec = gradient_call(embedding_gradient, model, inputs,
                        say(f"embedding_gradient(model, a batch of {MAX_POSITIONS + 1} positions)",
                            f"embedding_gradient(model, 一个 {MAX_POSITIONS + 1} 个位置的批次)"))
    if rec.error is None:
        mistake = T("you cut the input to fit the model: the docstring asks for ValueError when seq_len is more than "
                    "model.config.max_position_embeddings (512); the caller must know their text did not fit",
                    "你截断了输入来适应模型：docstring 要求 seq_len 超过 "
                    "model.config.max_position_embeddings (512) 时抛出 ValueError；调用方必须知道自己的文本放不下")
    else:
        mistake = T("the model fails past model.config.max_position_embeddings with an unclear error: compare "
                    "input_ids.shape[1] with model.config.max_position_embeddings (512) and raise ValueError",
                    "超过 model.config.max_position_embeddings 时，模型自己报的错含糊不清："
                    "把 input_ids.shape[1] 与 model.config.max_position_embeddings (512) 比较，并抛出 ValueError")
    rec.expect_error(ValueError, "ValueError('input_ids has 513 positions; the model takes at most 512')",
                     mistake=mistake)
    expect_untouched(rec, model, training=False)


def test_a_sentence_pair_uses_its_token_type_ids(impl, tokenizer, model):
    """tokenizer([a], [b]) marks the second sentence with token_type_ids 1; the model adds a different
    token type embedding there, so the gradient differs from the one with token_type_ids left out."""
    embedding_gradient = observing(impl.embedding_gradient)
    inputs = tokenizer([PAIR[0]], [PAIR[1]], return_tensors="pt")
    check(inputs["token_type_ids"].sum().item() == 6, f"tokenizer([{PAIR[0]!r}], [{PAIR[1]!r}])['token_type_ids']",
          summary(inputs["token_type_ids"]),
          T("six 1s on the second sentence and its [SEP]", "第二句及其 [SEP] 上共 6 个 1"),
          T("the model source's tokenizer is not bert-base-chinese's", "模型来源的分词器不是 bert-base-chinese 的"))
    ref = reference_gradient(model, tokenizer, PAIR, pair=True)
    without = reference_gradient(model, tokenizer, PAIR, pair=True, token_types=False)
    check(not close(without, ref),
          T("autograd's gradient with and without token_type_ids",
            "autograd 在有 token_type_ids（句段编号）和没有它时算出的梯度"),
          T("the same", "相同"), T("different", "不同"),
          T("the model source's token type embeddings do not differ",
            "模型来源的各个 token type embedding 之间没有差别"))
    call = f"embedding_gradient(model, tokenizer([{PAIR[0]!r}], [{PAIR[1]!r}], return_tensors='pt'))"
    gradient(embedding_gradient, model, inputs, call, ref)


def test_the_forward_runs_in_the_callers_train_mode(impl, tokenizer, model):
    """A model in train mode (every submodule, each Dropout) runs the forward in train mode and stays
    in it: the mode is the caller's (C12, https://github.com/huggingface/transformers/issues/9039).
    Dropout makes this gradient random, so only its form is checked."""
    embedding_gradient = observing(impl.embedding_gradient)
    model.train()
    gradient(embedding_gradient, model, encode(tokenizer, [SEED]),
             f"model.train(); embedding_gradient(model, tokenizer([{SEED!r}]))")


def test_a_model_frozen_in_part_stays_frozen_in_that_part(impl, tokenizer, model):
    """The caller froze encoder.layer[3] and the pooler: the gradient is the same, and exactly those
    stay frozen after the call (the word embeddings and the rest stay trainable)."""
    embedding_gradient = observing(impl.embedding_gradient)
    ref = reference_gradient(model, tokenizer, [SEED])
    model.encoder.layer[3].requires_grad_(False)
    model.pooler.requires_grad_(False)
    call = ("model.encoder.layer[3].requires_grad_(False); model.pooler.requires_grad_(False); "
            f"embedding_gradient(model, tokenizer([{SEED!r}]))")
    gradient(embedding_gradient, model, encode(tokenizer, [SEED]), call, ref)


def test_works_inside_no_grad(impl, tokenizer, model):
    """Inside torch.no_grad() the forward builds no graph; the function must still work (C14),
    and leave no_grad in force for the caller.

    https://github.com/nianticlabs/monodepth2/issues/24
    """
    embedding_gradient = observing(impl.embedding_gradient)
    ref = reference_gradient(model, tokenizer, [SEED])
    call = f"with torch.no_grad(): embedding_gradient(model, tokenizer([{SEED!r}]))"
    with torch.no_grad():
        gradient(embedding_gradient, model, encode(tokenizer, [SEED]), call, ref)


def test_frozen_embeddings_still_give_their_gradient(impl, tokenizer, model):
    """With the embeddings frozen, or the whole model, the gradient is the same, and stays frozen after."""
    embedding_gradient = observing(impl.embedding_gradient)
    ref = reference_gradient(model, tokenizer, [SEED])
    inputs = encode(tokenizer, [SEED])
    for what, module in (("model.embeddings", model.embeddings), ("model", model)):
        module.requires_grad_(False)
        call = f"{what}.requires_grad_(False); embedding_gradient(model, tokenizer([{SEED!r}]))"
        gradient(embedding_gradient, model, inputs, call, ref)


def test_512_positions_are_fine(impl, tokenizer, model):
    """Exactly 512 positions fit (position ids 0..511): the rows with gradient are the input's ids."""
    embedding_gradient = observing(impl.embedding_gradient)
    rows_with_gradient = observing(impl.rows_with_gradient)
    inputs = long_inputs(tokenizer, MAX_POSITIONS)
    call = say(f"rows_with_gradient(embedding_gradient(model, a batch of {MAX_POSITIONS} positions))",
               f"rows_with_gradient(embedding_gradient(model, 一个 {MAX_POSITIONS} 个位置的批次))")
    got = gradient(embedding_gradient, model, inputs, call, mistakes=[("ValueError", T(
        "512 positions fit the model (position ids 0..511): raise ValueError only for more than "
        "model.config.max_position_embeddings",
        "512 个位置模型放得下（位置编号 0..511）：只有超过 model.config.max_position_embeddings "
        "时才抛出 ValueError"))])
    expect_rows(call, rows(rows_with_gradient, got, call), sorted(set(inputs["input_ids"][0].tolist())))


# each example is a forward and backward through BERT-base: 3 for a learner, 12 in CI. Long texts are drawn only
# past 512 tokens (a cheap ValueError): a backward at 512 positions takes a second, and the test above pins it
@per_model_run(12)
@given(sentence=st.one_of(mixed_sentences(max_pieces=3), chinese_text(511, 520)))
def test_rows_are_the_ids_of_any_sentence(impl, tokenizer, model, sentence):
    """For any single (unpadded) sentence, the rows with gradient are exactly its distinct ids;
    a sentence of more than 512 tokens gets ValueError (texts of 511-520 characters)."""
    rows_with_gradient = observing(impl.rows_with_gradient)
    embedding_gradient = observing(impl.embedding_gradient)
    inputs = tokenizer([sentence], return_tensors="pt")
    ids = inputs["input_ids"][0].tolist()
    call = say(f"rows_with_gradient(embedding_gradient(model, tokenizer([{summary(sentence)}])))  # {len(ids)} tokens",
               f"rows_with_gradient(embedding_gradient(model, tokenizer([{summary(sentence)}])))  # {len(ids)} 个 token")
    if len(ids) > MAX_POSITIONS:
        rec = gradient_call(embedding_gradient, model, inputs, call)
        rec.expect_error(ValueError, "ValueError('input_ids has 513 positions; the model takes at most 512')")
        expect_untouched(rec, model, training=False)
        return
    want = sorted(set(ids))
    got = rows(rows_with_gradient, gradient(embedding_gradient, model, inputs, call), call)
    if isinstance(got, list) and set(got) > set(want):
        fail(call, summary(got), want,
             T("rows of tokens not in this sentence have gradient, left over from an earlier call: gradients "
               "accumulate across backward() calls; clear them before backward()",
               "不属于这个句子的 token 所在的行也有梯度，是上一次调用留下的：梯度会在多次 backward() "
               "之间累加；在 backward() 之前先把它们清掉"))
    expect_rows(call, got, want)


# ================================================================ helpers: inputs and references


def encode(tokenizer, sentences):
    return tokenizer(sentences, padding=True, return_tensors="pt")


def long_inputs(tokenizer, positions):
    """One sentence of ``positions`` tokens: distinct-ish Chinese characters, one token each."""
    chars = vocab_chinese_chars()
    text = "".join(chars[(7 * i) % len(chars)] for i in range(positions - 2))
    inputs = tokenizer([text], return_tensors="pt")
    assert inputs["input_ids"].shape[1] == positions, say("one token per vocabulary character",
                                                          "每个词表字符应当正好是一个 token")
    return inputs


def small_gradient():
    """A fixed [12, 4] gradient that tells the row mistakes apart: row 0 non-zero (as a real [PAD] row
    never is), row 3 one tiny entry (1e-30: its square underflows to 0), row 9 two entries that cancel."""
    grad = torch.zeros(12, 4)
    grad[0, 1] = 0.25
    grad[3, 2] = 1e-30
    grad[9, 0], grad[9, 1] = 0.5, -0.5
    grad[11, 3] = -2.0
    return grad


def shared_weight() -> torch.nn.Module:
    """Two linear layers sharing one weight: 9 shared numbers and 3 of bias, 12 in all. Built from
    torch's own classes, so a sandboxed worker unpickles it (it cannot import this file)."""
    first, second = torch.nn.Linear(3, 3), torch.nn.Linear(3, 3, bias=False)
    second.weight = first.weight  # tied, as a language model ties its output layer
    return torch.nn.ModuleDict({"first": first, "second": second})


def loss_of(model, inputs, positions="all", output="last_hidden_state"):
    """The documented loss, the notebook's: the sum of last_hidden_state over every position, [PAD] included
    (``positions="real"``: over the real tokens only; ``output="pooler_output"``: that sum instead; for diagnoses)."""
    out = getattr(model(**inputs), output)
    if positions == "real":
        out = out * inputs["attention_mask"].unsqueeze(-1).to(out.dtype)
    return out.sum()


def autograd_gradient(model, inputs, positions="all", output="last_hidden_state"):
    """torch.autograd.grad of the loss on the model in eval mode with the weight trainable, the model
    put back afterwards (for diagnoses after a learner's call, whatever it left behind)."""
    weight = model.embeddings.word_embeddings.weight
    with ExitStack() as restore:
        restore.callback(weight.requires_grad_, weight.requires_grad)
        restore.callback(model.train, model.training)
        model.eval()
        weight.requires_grad_(True)
        with torch.enable_grad():
            (grad,) = torch.autograd.grad(loss_of(model, inputs, positions, output), weight)
        return grad


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


def tolerance(ref):
    """The absolute tolerance for a gradient like ``ref``: rounding grows with its largest entry."""
    return GRAD_ATOL + GRAD_RTOL * ref.abs().max().item()


def close(got, ref):
    return torch.allclose(got, ref, atol=tolerance(ref), rtol=0.0)


def nonzero_rows(grad):
    """The test's own row finder: a loop-free but independent spelling (abs, max over hidden)."""
    return [i for i, m in enumerate(grad.abs().amax(dim=1).tolist()) if m > 0]


# ================================================================ helpers: calling the learner's code


def rows(rows_with_gradient, grad, call):
    """rows_with_gradient(grad), the learner's by :func:`bertkata.calls.observing`: a raise fails, and so does
    a change to the caller's grad."""
    kept = grad.clone() if isinstance(grad, torch.Tensor) else grad
    rec = rows_with_gradient(call, grad)
    got = rec.result(T("the sorted row indices", "排好序的行下标"))
    rec.expect_inputs_unchanged(grad_changed_mistake(kept, grad) if rec.inputs else None)
    rec.expect_grad_mode_kept()
    return got


def count(count_trainable_parameters, model, call):
    rec = count_trainable_parameters(call, model, model=model)
    got = rec.result(T("the number of trainable numbers", "可训练的数值个数"))
    rec.expect_no_side_effects()
    return got


def expect_count(count_trainable_parameters, model, state, want):
    call = f"count_trainable_parameters(model)  # {state}"
    got = count(count_trainable_parameters, model, call)
    check(type(got) is int and got == want, call, summary(got),
          T("{:,} (a Python int)", "{:,}（一个 Python int）").format(want),
          diagnose_count(got, want, model))


def freeze(freeze_embeddings, model, call):
    """freeze_embeddings(model), the learner's by :func:`bertkata.calls.observing`: None back, the mode kept,
    exactly the embeddings switched off and every other flag as the caller had it."""
    before = {n: p.requires_grad for n, p in model.named_parameters()}
    rec = freeze_embeddings(call, model, model=model)
    got = rec.result(T("None (the model is changed in place)", "None（模型被原地修改）"))
    check(got is None, call,
          summary(got) if not isinstance(got, torch.nn.Module) else T("a {}", "一个 {}").format(type_name(got)),
          "None", T("freeze_embeddings returns None: it changes the model in place (requires_grad_() returns "
                    "the module, so `return model.embeddings.requires_grad_(False)` hands back a module)",
                    "freeze_embeddings 返回 None：它原地修改模型（requires_grad_() 返回的是模块本身，"
                    "所以 `return model.embeddings.requires_grad_(False)` 交回的是一个模块）"))
    rec.expect_inputs_unchanged()
    rec.expect_grad_mode_kept()
    rec.expect_modes_kept(mistake=T("freezing is requires_grad only: model.eval() switches dropout off and freezes "
                                    "nothing, and the caller's model left in eval mode stops training dropout",
                                    "冻结只关乎 requires_grad：model.eval() 只会关掉 dropout，什么也不冻结；"
                                    "调用方的模型被留在 eval（评估模式）下，之后训练时 dropout 就不起作用了"))
    after = {n: p.requires_grad for n, p in model.named_parameters()}
    wrong = [n for n in after if after[n] != (False if n.startswith("embeddings.") else before[n])]
    if wrong:
        fail(T("{}; then requires_grad", "{}；然后 requires_grad").format(call),
             T("wrong on {} parameters, e.g. {}", "{} 个参数上不对，例如 {}").format(len(wrong), wrong[:3]),
             T("False on every embeddings.* parameter, every other flag as the caller set it",
               "每个 embeddings.* 参数上为 False，其余每个标志都保持调用方的设置"),
             diagnose_freeze(model, before, after, wrong))


def gradient_call(embedding_gradient, model, inputs, call):
    return embedding_gradient(call, model, inputs, model=model, grads=True)


def gradient(embedding_gradient, model, inputs, call, ref=None, earlier=None, mistakes=()):
    """embedding_gradient(model, inputs), the learner's by :func:`bertkata.calls.observing`. In order: what it
    raised; what it changed (the batch, grad mode, the mode after and during the forward, requires_grad); the
    returned tensor's form; its values against ``ref``; the gradients left on the model."""
    training, frozen = model.training, not model.embeddings.word_embeddings.weight.requires_grad
    rec = gradient_call(embedding_gradient, model, inputs, call)
    got = rec.result(T("the gradient", "梯度"), mistakes=[*mistakes, *error_mistakes(frozen)], default=T(
        "see the docstring for the loss and what the function must do",
        "损失怎么算、函数必须做什么，见 docstring"))
    expect_untouched(rec, model, training, grads=False)
    expect_gradient_form(call, got, rec)
    if ref is not None and not close(got, ref):  # diagnose only on failure
        expect_close(call, got, ref, atol=tolerance(ref),
                     mistake=diagnose_gradient(got, ref, rec, model, inputs, earlier))
    expect_grads_restored_or_cleared(rec, model)
    return got


def expect_untouched(rec, model, training, grads=True):
    """Every side effect embedding_gradient must not have, each with its specific mistake."""
    rec.expect_inputs_unchanged(inputs_mistake(rec.inputs))
    if rec.grad_mode == (True, False):  # the generic advice (a bare no_grad) does not fit a function that needs grad
        fail(T("{}; then torch.is_grad_enabled()", "{}；然后 torch.is_grad_enabled()").format(rec.call), False, True,
             T("gradients were switched off for the caller: torch.set_grad_enabled(...) called bare, as a statement, "
               "is global, so a bare set_grad_enabled(False) meant to undo a bare set_grad_enabled(True) leaves them "
               "off whatever the caller had; use it as a context manager, `with torch.set_grad_enabled(True):` (or "
               "`with torch.enable_grad():`), which gives the caller's mode back when its block ends",
               "调用方的梯度计算被关掉了：torch.set_grad_enabled(...) 作为一条语句直接调用时是全局生效的，"
               "所以用直接调用的 set_grad_enabled(False) 去撤销直接调用的 set_grad_enabled(True)，"
               "不管调用方原来是什么状态，梯度都会被留在关闭状态；应把它当作上下文管理器使用，"
               "`with torch.set_grad_enabled(True):`（或 `with torch.enable_grad():`），"
               "代码块结束时调用方原来的模式就会恢复"))
    rec.expect_grad_mode_kept()
    rec.expect_modes_kept(mistake=mode_mistake(rec.modes))
    if training:
        rec.expect_forward_mode(True, T("the forward ran in eval mode though the caller's model was in train mode: "
                                        "it runs in the caller's mode, so do not call model.eval() for it (a training "
                                        "loop calling this expects dropout on)",
                                        "调用方的模型处于训练模式，forward 却在 eval（评估模式）下运行：forward "
                                        "沿用调用方的模式，所以不要为它调用 model.eval()（训练循环调用这个函数时，"
                                        "期望 dropout 是开着的）"))
    else:
        rec.expect_forward_mode(False, T("the forward ran in train mode (dropout on) though the caller's model was in "
                                         "eval mode: gradients do not need model.train(); run the forward in the "
                                         "caller's mode",
                                         "调用方的模型处于 eval（评估模式），forward 却在训练模式下运行（dropout "
                                         "开启）：求梯度不需要 model.train()；按调用方的模式运行 forward"))
    rec.expect_flags_kept(flags_mistake(rec.flags))
    if grads:
        expect_grads_restored_or_cleared(rec, model)


def expect_gradient_form(call, got, rec):
    if got is None:
        fail(call, "None", T("a float32 tensor [{}, {}]", "一个 float32 张量 [{}, {}]").format(VOCAB, HIDDEN),
             T("weight.grad is None until a backward() reaches it: call backward() on the loss first, "
               "and make sure the weight requires a gradient (it is not frozen)",
               "在 backward() 传到这个权重之前，weight.grad 一直是 None：先对损失调用 backward()，"
               "并确保该权重需要梯度（没有被冻结）"))
    expect_tensor(call, got, shape=[VOCAB, HIDDEN], dtype=torch.float32,
                  mistakes={"type": T("return the gradient tensor, weight.grad (a clone of it)",
                                      "返回梯度张量 weight.grad（的克隆）"),
                            "shape": T("the gradient has the shape of model.embeddings.word_embeddings.weight",
                                       "梯度的形状与 model.embeddings.word_embeddings.weight 相同")})
    check(not got.requires_grad, call, T("a tensor that requires grad", "一个 requires_grad 为 True 的张量"),
          T("a detached tensor", "一个已 detach 的张量"),
          T("return the gradient detached: weight.grad.detach().clone()",
            "返回 detach 之后的梯度：weight.grad.detach().clone()"))
    check(f"{WORD}.grad" not in rec.shares, call, T("the model's own weight.grad tensor", "模型自己的 weight.grad 张量"),
          T("a copy, not shared with the model", "一份副本，不与模型共享内存"),
          T("you returned weight.grad itself, which the next backward() adds into in place; "
            "return weight.grad.detach().clone()",
            "你返回的是 weight.grad 本身，下一次 backward() 会原地往里累加；应返回 weight.grad.detach().clone()"))


def expect_grads_restored_or_cleared(rec, model):
    """The docstring allows either: each parameter's .grad is as before the call, or None (or zeros)."""
    params = dict(model.named_parameters())
    left = [n for n in rec.grads if params[n].grad is not None and params[n].grad.any()]
    if not left:
        return
    if left == [WORD]:
        mistake = T("word_embeddings.weight.grad still holds your call's gradient: after copying it, put back the "
                    "caller's .grad (saved before the call) or clear it",
                    "word_embeddings.weight.grad 里还留着你这次调用的梯度：复制出来之后，要么放回调用方的 .grad"
                    "（在调用前保存好），要么把它清掉")
    else:
        others = [n for n in left if n != WORD]
        mistake = T("backward() filled .grad of {} other parameters (e.g. {}) and left it there: "
                    "backward only into the weight, loss.backward(inputs=[weight]) or torch.autograd.grad, or "
                    "put back or clear the others' .grad afterwards",
                    "backward() 填充了另外 {} 个参数（例如 {}）的 .grad，并把它们留在了那里：只对这个权重做反向传播，"
                    "用 loss.backward(inputs=[weight]) 或 torch.autograd.grad；或者事后把其他参数的 .grad "
                    "放回原样或清掉").format(len(others), others[0])
    fail(T("{}; then the parameters' .grad", "{}；然后查看各参数的 .grad").format(rec.call),
         T("changed and non-zero on {} parameters, e.g. {}", "{} 个参数的 .grad 变了且不为零，例如 {}").format(
             len(left), left[:2]),
         T("as before the call, or cleared (None)", "与调用前相同，或已清除（None）"), mistake)


# ================================================================ helpers: naming the mistake


def error_mistakes(frozen):
    """(words in the exception, likely mistake) for exceptions embedding_gradient must not raise."""
    none_grad = T("the word embeddings are frozen (requires_grad False), so backward() leaves their .grad None; "
                  "switch requires_grad on for the call and put it back afterwards",
                  "词嵌入被冻结了（requires_grad 为 False），所以 backward() 之后它们的 .grad 仍是 None；"
                  "在这次调用期间打开 requires_grad，结束后再恢复原样")
    out = []
    if not torch.is_grad_enabled():
        out.append(("does not require grad",
                    T("the caller is inside torch.no_grad(), so the forward built no graph and backward() has "
                      "nothing to follow; wrap your forward and backward in torch.enable_grad()",
                      "调用方处在 torch.no_grad() 之中，所以 forward 没有构建计算图，backward() 无图可循；"
                      "把你的 forward 和 backward 包在 torch.enable_grad() 里")))
    if frozen:
        out += [("does not require grad", none_grad), ("NoneType", none_grad)]
    reach = T("backward() did not reach word_embeddings.weight: is the loss computed from last_hidden_state?",
              "backward() 没有传到 word_embeddings.weight：损失是从 last_hidden_state（最后一层隐藏状态）算出来的吗？")
    return out + [("does not require grad", reach), ("NoneType", reach)]


def inputs_mistake(changes):
    text = "; ".join(changes)
    if "lost the keys" in text:
        return T("inputs.pop(...) (or del) removed keys from the caller's batch: read them with inputs[key] and "
                 "pass the model a new dict",
                 "inputs.pop(...)（或 del）从调用方的批次里删掉了键：用 inputs[key] 读取，再给模型传一个新的 dict")
    if "gained the keys" in text:
        return T("you added keys to the caller's batch: build a new dict ({**inputs, key: value}) instead",
                 "你往调用方的批次里加了键：改为构建一个新的 dict（{**inputs, key: value}）")
    if "replaced by another tensor" in text:
        return T("you assigned into the caller's batch (inputs[key] = ...): keep a converted mask or ids in a local "
                 "variable or a new dict",
                 "你对调用方的批次做了赋值（inputs[key] = ...）：把转换后的掩码或 ids 放在局部变量或新的 dict 里")
    return None  # an in-place operation: the generic advice names out-of-place forms


def mode_mistake(modes):
    top = [m for m in modes if m[0] == ""]
    if top and not top[0][1] and top[0][2]:
        return T("the model arrived in eval mode and left in train mode: model.train() switches dropout on (random "
                 "outputs, C12) and gradients do not need it; leave the mode as the caller set it",
                 "模型进来时处于 eval（评估模式），出去时却成了训练模式：model.train() 会打开 dropout"
                 "（输出变得随机，C12），而求梯度并不需要它；保持调用方设置的模式")
    return None


def flags_mistake(flags):
    if not flags:
        return None
    others = [f for f in flags if f[0] != WORD]
    if others and others[0][2]:
        return T("the call unfroze {} parameters the caller had frozen (e.g. {}): "
                 "model.requires_grad_(True) switches on every flag; switch on only word_embeddings.weight, and put "
                 "it back",
                 "这次调用解冻了调用方冻结的 {} 个参数（例如 {}）：model.requires_grad_(True) 会打开每一个标志；"
                 "只打开 word_embeddings.weight 的，用完再恢复").format(len(others), others[0][0])
    if others:
        return T("the call froze {} parameters the caller had trainable (e.g. {}): other "
                 "parameters' requires_grad is the caller's; leave them alone",
                 "这次调用冻结了调用方设为可训练的 {} 个参数（例如 {}）：其他参数的 requires_grad 由调用方决定；"
                 "不要动它们").format(len(others), others[0][0])
    _, before, after = flags[0]
    if after:
        return T("the caller froze word_embeddings.weight: you switched requires_grad on for the call but did not put "
                 "it back; save the flag and restore it in a finally block",
                 "调用方冻结了 word_embeddings.weight：你为这次调用打开了 requires_grad，却没有恢复；"
                 "先保存这个标志，再在 finally 块里恢复它")
    return T("word_embeddings.weight is left frozen: put its requires_grad back as it was (True)",
             "word_embeddings.weight 被留在了冻结状态：把它的 requires_grad 恢复原样（True）")


def diagnose_gradient(got, ref, rec, model, inputs, earlier):
    """Name the mistake behind a wrong gradient; a known mistake's gradient is computed only now, on failure."""
    if earlier is not None and close(got, earlier + ref):
        return T("this is the earlier gradient plus the new one: gradients accumulate across backward() "
                 "calls; clear them (weight.grad = None) before backward(), and put the caller's back after",
                 "这是之前的梯度加上新的梯度：梯度会在多次 backward() 调用之间累加；在 backward() 之前先清掉"
                 "（weight.grad = None），结束后再放回调用方的梯度")
    if close(got, 2 * ref):
        return T("twice the gradient: gradients accumulate across backward() calls; clear them "
                 "(weight.grad = None or model.zero_grad()) before backward()",
                 "梯度成了两倍：梯度会在多次 backward() 调用之间累加；在 backward() 之前先清掉"
                 "（weight.grad = None 或 model.zero_grad()）")
    if not got.any():
        return T("the gradient is all zeros: if you return weight.grad itself, zero_grad(set_to_none=False) "
                 "zeroes it in place afterwards; return a clone",
                 "梯度全是 0：如果你返回的是 weight.grad 本身，之后的 zero_grad(set_to_none=False) "
                 "会把它原地清零；应返回一个克隆")
    scale = ((got.double() * ref.double()).sum() / ref.double().pow(2).sum()).item()
    if abs(scale - 1) > 1e-3 and close(got, scale * ref):
        return T("your gradient is {:.3g} times the expected one: the loss is the notebook's "
                 "last_hidden_state.sum(), a sum over every entry, not a mean (.mean() divides by their number)",
                 "你的梯度是期望值的 {:.3g} 倍：损失就是笔记本里的 last_hidden_state.sum()，对每个元素求和，"
                 "而不是求平均（.mean() 会除以元素个数）").format(scale)
    types = inputs.get("token_type_ids")
    if types is not None and types.any():
        if close(got, autograd_gradient(model, {**inputs, "token_type_ids": torch.zeros_like(types)})):
            passed = any("token_type_ids" in f.keys or f.positional >= 3 for f in rec.forwards)
            if passed:
                return T("the model got token_type_ids of zeros: in a sentence pair the second sentence has "
                         "token_type_ids 1; pass the batch's own token_type_ids (model(**inputs))",
                         "模型拿到的 token_type_ids 全是 0：在句子对中，第二句的 token_type_ids（句段编号）是 1；"
                         "传入批次自己的 token_type_ids（model(**inputs)）")
            return T("you dropped token_type_ids: the model then takes every token as sentence A; pass every "
                     "input the batch holds, model(**inputs)",
                     "你丢掉了 token_type_ids（句段编号）：模型于是把每个 token 都当作句子 A；"
                     "把批次里的每个输入都传进去，model(**inputs)")
    if not inputs["attention_mask"].all() and close(got, autograd_gradient(model, inputs, positions="real")):
        return T("you left the [PAD] positions out of the sum: the loss is the notebook's last_hidden_state.sum() "
                 "over every position; the [PAD] positions' vectors attend to the real tokens, so they add to the "
                 "real rows' gradient (row 0 itself still gets none: padding_idx)",
                 "你把 [PAD] 位置排除在求和之外了：损失就是笔记本里的 last_hidden_state.sum()，对每个位置求和；"
                 "[PAD] 位置的向量会关注真实 token，所以它们也会加到真实 token 所在行的梯度上"
                 "（第 0 行本身仍然没有梯度：padding_idx）")
    if close(got, autograd_gradient(model, inputs, output="pooler_output")):
        return T("you summed pooler_output: the loss is the sum of last_hidden_state, every token's vector, "
                 "not of the pooled [CLS] vector",
                 "你对 pooler_output 求了和：损失是 last_hidden_state（每个 token 的向量）之和，"
                 "而不是池化后的 [CLS] 向量之和")
    if 0 in nonzero_rows(got) and 0 not in nonzero_rows(ref):
        return T("row 0 ([PAD]) has gradient: nn.Embedding(padding_idx=0) gives the [PAD] row none, though the [PAD] "
                 "positions are in the sum; scattering the positions' gradients into rows by hand (index_add_) "
                 "must leave row padding_idx zero",
                 "第 0 行（[PAD]）有梯度：nn.Embedding(padding_idx=0) 不给 [PAD] 行任何梯度，尽管 [PAD] 位置也在"
                 "求和之中；手工把各位置的梯度按行累加（index_add_）时，必须让 padding_idx 这一行保持为 0")
    if nonzero_rows(got) != nonzero_rows(ref):
        return T("other rows than the input's tokens have gradient: is the gradient left over from another input?",
                 "输入 token 以外的行也有梯度：这是别的输入留下来的梯度吗？")
    return T("compute the notebook's loss = model(**inputs).last_hidden_state.sum(), then backward()",
             "计算笔记本里的损失 loss = model(**inputs).last_hidden_state.sum()，然后调用 backward()")


def grad_changed_mistake(kept, grad):
    if not isinstance(grad, torch.Tensor) or grad.shape != kept.shape:
        return None
    if torch.equal(grad, kept.abs()):
        return T("grad.abs_() made the caller's gradient positive in place (to stop entries cancelling?): "
                 "grad.abs() or grad != 0 makes a new tensor",
                 "grad.abs_() 原地把调用方的梯度变成了非负数（是为了防止元素相互抵消吗？）："
                 "grad.abs() 或 grad != 0 会生成新的张量")
    changed = (grad != kept).any(dim=1).nonzero().flatten().tolist()
    if changed == [0]:
        return T("you wrote into row 0 of the caller's gradient (grad[0] = 0, to drop [PAD]?): the tensor is the "
                 "caller's; and row 0 counts where it is non-zero",
                 "你改写了调用方梯度的第 0 行（grad[0] = 0，是为了去掉 [PAD] 吗？）：这个张量属于调用方；"
                 "而且第 0 行非零时也要算上")
    return None


def is_rows(got, want):
    return isinstance(got, list) and all(type(r) is int for r in got) and got == list(want)


def expect_rows(call, got, want):
    check(is_rows(got, want), call, summary(got), list(want), diagnose_rows(got, want))


def diagnose_rows_on_the_fixed_input(rows_with_gradient):
    """The diagnosis from :func:`small_gradient`, or None if the function gets that one right."""
    rec = rows_with_gradient("rows_with_gradient(small_gradient())", small_gradient())
    if rec.error is not None or is_rows(rec.value, SMALL_ROWS):
        return None
    return diagnose_rows(rec.value, SMALL_ROWS)


def diagnose_rows(got, want):
    if isinstance(got, torch.Tensor):
        return T("return a list of int: (grad != 0).any(dim=1).nonzero().flatten().tolist()",
                 "返回一个由 int 组成的 list：(grad != 0).any(dim=1).nonzero().flatten().tolist()")
    if not isinstance(got, list):
        return T("return a list of int, not a {}", "返回一个由 int 组成的 list，而不是 {}").format(type_name(got))
    if any(isinstance(r, bool) or not isinstance(r, int) for r in got):
        kinds = sorted({type_name(r) for r in got if type(r) is not int})
        return T("return Python ints, not {} (.tolist() converts a tensor of indices)",
                 "返回 Python int，而不是 {}（.tolist() 能把下标张量转换成 int）").format(', '.join(kinds))
    if len(got) != len(set(got)):
        return T("ids repeat: nonzero() lists every non-zero entry, 768 per row; reduce over the hidden axis "
                 "first with any(dim=1)",
                 "id 重复了：nonzero() 会列出每一个非零元素，每行最多 768 个；先用 any(dim=1) 在隐藏维上归约")
    if sorted(got) == sorted(want):
        return T("the ids are right but not sorted: return them in increasing order",
                 "id 都对，但没有排序：按升序返回")
    missing = set(want) - set(got)
    if want == SMALL_ROWS and set(got) <= set(want):
        if missing == {0}:
            return T("row 0 is non-zero in this tensor but missing: report what grad holds; in a real embedding "
                     "gradient padding_idx keeps row 0 zero by itself, so do not drop it",
                     "这个张量的第 0 行非零，结果里却没有它：如实报告 grad 里的内容；在真实的词嵌入梯度中，"
                     "padding_idx 自己就会让第 0 行保持为 0，所以不要把它去掉")
        if 3 in missing and 9 not in missing:
            return T("row 3 holds one tiny entry (1e-30) and is missing: squaring underflows to 0 in float32 "
                     "(grad.norm(), grad.pow(2).sum()) and a threshold drops it; compare with 0: "
                     "(grad != 0).any(dim=1)",
                     "第 3 行只有一个极小的元素（1e-30），结果里却没有它：在 float32 中平方会下溢为 0"
                     "（grad.norm()、grad.pow(2).sum()），阈值也会把它漏掉；应直接和 0 比较：(grad != 0).any(dim=1)")
    if set(got) < set(want):
        return T("rows are missing: a row whose entries cancel sums to 0 but is not zero; test each entry, "
                 "(grad != 0).any(dim=1)",
                 "缺了一些行：元素相互抵消的行求和为 0，但它并不全为零；要逐个元素检查，(grad != 0).any(dim=1)")
    if 0 in got and 0 not in want:
        return T("row 0 ([PAD]) has no gradient: padding_idx=0 keeps it zero",
                 "第 0 行（[PAD]）没有梯度：padding_idx=0 让它保持为 0")
    return T("a row counts when any of its entries is non-zero", "一行中只要有任何一个元素非零，这一行就要算上")


def diagnose_count(got, want, model):
    params = list(model.parameters())
    total = sum(p.numel() for p in params)
    twice = sum(p.numel() for _, p in model.named_parameters(remove_duplicate=False) if p.requires_grad)
    value = int(got) if isinstance(got, (int, float)) or (isinstance(got, torch.Tensor) and got.numel() == 1) \
        or type(got).__module__ == "numpy" else None
    if value == want:
        if isinstance(got, torch.Tensor):
            return T("return a Python int, not a tensor: add p.numel() (an int) instead of summing a tensor",
                     "返回 Python int，而不是张量：累加 p.numel()（它是 int），不要对张量求和")
        if type(got).__module__ == "numpy":
            return T("return a Python int, not {}: np.prod(p.shape) gives numpy ints; p.numel() is an int",
                     "返回 Python int，而不是 {}：np.prod(p.shape) 得到的是 numpy 整数；p.numel() 才是 int"
                     ).format(type_name(got))
        return T("return a Python int, not a {}", "返回 Python int，而不是 {}").format(type_name(got))
    if value == total and want != total:
        return T("you counted every parameter; count only those with requires_grad True",
                 "你把每个参数都算上了；只统计 requires_grad 为 True 的参数")
    if value == sum(1 for p in params if p.requires_grad):
        return T("you counted parameter tensors; count their elements with p.numel()",
                 "你数的是参数张量的个数；应该用 p.numel() 统计它们的元素个数")
    if value == twice != want:
        return T("a tied weight was counted twice: it is one parameter shared by two modules; model.parameters() "
                 "lists it once, named_parameters(remove_duplicate=False) or each module's own parameters twice",
                 "绑定（tie）的权重被算了两次：它是两个模块共享的同一个参数；model.parameters() 只列出它一次，"
                 "而 named_parameters(remove_duplicate=False) 或逐个模块取各自的参数会列出两次")
    return T("add p.numel() over the parameters p whose requires_grad is True",
             "对 requires_grad 为 True 的参数 p 累加 p.numel()")


def diagnose_freeze(model, before, after, wrong):
    if model.embeddings.__dict__.get("requires_grad") is False:
        return T("model.embeddings.requires_grad = False only sets a plain Python attribute on the module; "
                 "freeze its parameters with model.embeddings.requires_grad_(False)",
                 "model.embeddings.requires_grad = False 只是在模块上设了一个普通的 Python 属性；"
                 "要用 model.embeddings.requires_grad_(False) 冻结它的参数")
    if not any(after.values()):
        return T("you froze the whole model; freeze model.embeddings only",
                 "你冻结了整个模型；只冻结 model.embeddings")
    unfrozen = [n for n in wrong if not n.startswith("embeddings.") and after[n] and not before[n]]
    if unfrozen:
        return T("you set every parameter's flag, unfreezing {} that the caller had frozen: leave the "
                 "other flags as the caller had them and change only model.embeddings' parameters",
                 "你设置了每个参数的标志，把调用方冻结的 {} 也解冻了：其他标志保持调用方的设置，"
                 "只改 model.embeddings 的参数").format(unfrozen[0])
    if all(n.startswith("embeddings.") for n in wrong) and not after[WORD]:
        return T("you froze only word_embeddings: position_embeddings, token_type_embeddings and LayerNorm are "
                 "under model.embeddings too; model.embeddings.requires_grad_(False)",
                 "你只冻结了 word_embeddings：position_embeddings、token_type_embeddings 和 LayerNorm "
                 "也在 model.embeddings 下面；用 model.embeddings.requires_grad_(False)")
    return T("freeze every parameter under model.embeddings, and nothing else: requires_grad_(False)",
             "冻结 model.embeddings 下的每一个参数，其他的都不动：requires_grad_(False)")
