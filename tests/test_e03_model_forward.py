"""Exercise 03, model forward: checked against BertModel's own forward on bert-base-chinese.

The replica's weights are random, so these tests check properties (types, shapes, masking,
sentence pairs, determinism, no autograd graph, nothing of the caller's changed), never numbers
from the model. The learner's ``encode`` is called only through :func:`bertkata.calls.observe`;
on a valid batch through :func:`call` (``encode`` wrapped by :func:`bertkata.calls.observing`),
which checks, on every call, that the batch, grad mode, every submodule's train/eval flag, the
``requires_grad`` flags and the gradients are as the caller left them, and that the forward itself
ran in eval mode without a graph. The cheap, discriminating tests come first: the meta tests stop
at the first failure.
"""

import pytest
import torch
from hypothesis import given

from bertkata.calls import observe, observing
from bertkata.feedback import check, expect_close, expect_tensor, fail, summary, type_name
from bertkata.i18n import T, say
from bertkata.strategies import chinese_batches, per_model_run
from bertkata import seed

SENTENCES = ["你好", "今天天气很好"]  # padded to 8 positions: '你好' has 4 real ones
SEED = list(seed.SEED)
# Sentence pairs: token_type_ids are 1 on the second sentence (C04, tokenizer(first, second)).
FIRST, SECOND = ["你好", "我觉得不行"], ["今天天气很好", "其实还可以"]
# The padded sentence's real positions must match the sentence encoded alone within this
# (float32 rounding; C04 measured 2e-6). Without the mask they differ by about 1; without
# token_type_ids a pair differs by about 3.
ATOL = 1e-4
CALL = "encode(model, tokenizer({}, padding=True, return_tensors='pt'))"


# ---------------------------------------------------------------- the output


def test_returns_the_model_output(impl, model, tokenizer):
    """The output of model(**batch): last_hidden_state [2, 8, 768] and pooler_output [2, 768], with the
    values BertModel gives; the model (in eval mode) and the batch are as they were.

    Cases C04 (https://github.com/huggingface/transformers/issues/278) and
    C09 (https://github.com/huggingface/transformers/issues/7540).
    """
    encode = observing(impl.encode)
    batch = tokenizer(SENTENCES, padding=True, return_tensors="pt")
    text = CALL.format(SENTENCES)
    out, rec = call(encode, model, batch, text)
    assert model.config.hidden_size == 768  # bert-base-chinese's config
    want = forward(model, batch)
    for name in ("last_hidden_state", "pooler_output"):
        expect_values(f"{text}.{name}", getattr(out, name), getattr(want, name), value_mistake(rec, ITSELF))


def test_sentence_pairs_keep_their_token_type_ids(impl, model, tokenizer):
    """tokenizer(first, second) marks the second sentence with token_type_ids 1; the model's output
    depends on them (by about 3 here), so encode must pass them on as they are.

    Case C04: https://github.com/huggingface/transformers/issues/278 (model(**batch) passes every key);
    https://huggingface.co/docs/transformers/glossary#token-type-ids
    """
    encode = observing(impl.encode)
    batch = tokenizer(FIRST, SECOND, padding=True, return_tensors="pt")
    assert batch["token_type_ids"].any()
    text = f"encode(model, tokenizer({FIRST}, {SECOND}, padding=True, return_tensors='pt'))"
    out, rec = call(encode, model, batch, text)
    want = forward(model, batch)
    if not torch.allclose(out.last_hidden_state, want.last_hidden_state, atol=ATOL):
        without = forward(model, {**batch, "token_type_ids": torch.zeros_like(batch["token_type_ids"])})
        assert (without.last_hidden_state - want.last_hidden_state).abs().max() > 100 * ATOL
        mistake = value_mistake(rec, ITSELF)
        if torch.allclose(out.last_hidden_state, without.last_hidden_state, atol=ATOL):
            keys = rec.forwards[0].keys if rec.forwards else ()
            mistake = TYPES_ZEROS if "token_type_ids" in keys else TYPES_DROPPED
        expect_values(f"{text}.last_hidden_state", out.last_hidden_state, want.last_hidden_state, mistake)
    expect_values(f"{text}.pooler_output", out.pooler_output, want.pooler_output, value_mistake(rec, ITSELF))


def test_a_training_loop_keeps_its_settings(impl, model, tokenizer):
    """Called in the middle of fine-tuning: the model in train mode, its embeddings frozen, gradients
    left by the last backward(). encode runs the forward in eval mode (every Dropout), so two calls
    give identical tensors, and leaves the mode (every submodule), the frozen part and the gradients
    as they were.

    Case C12: https://github.com/huggingface/transformers/issues/9039
    """
    encode = observing(impl.encode)
    batch = tokenizer(["我爱北京天安门"], return_tensors="pt")
    want = forward(model, batch).last_hidden_state
    model.train()
    model.embeddings.requires_grad_(False)
    model.pooler.dense.weight.grad = torch.full_like(model.pooler.dense.weight, 0.5)
    text = ("model.train(); model.embeddings.requires_grad_(False); " + say("<a backward()>", "<一次 backward()>")
            + "; encode(model, tokenizer(['我爱北京天安门'], return_tensors='pt'))")
    first, rec = call(encode, model, batch, text)
    second, _ = call(encode, model, batch, text + say(" (again)", "  # 再次调用"))
    expect_values(f"{text}.last_hidden_state" + say(", called twice", "  # 调用两次"), second.last_hidden_state,
                  first.last_hidden_state, forward_mistake(rec), atol=0.0)
    expect_values(f"{text}.last_hidden_state", first.last_hidden_state, want, value_mistake(rec, DROPOUT))


def test_the_mode_comes_back_when_the_model_raises(impl, model, tokenizer):
    """The caller's train mode comes back even when the forward raises. token_type_ids of 2 pass the
    checks the docstring asks for (BERT has two segments, 0 and 1) and fail inside the model, with an
    IndexError from its token type embedding: the mode is restored in a `finally`, not after the forward."""
    batch = dict(tokenizer(["我爱北京天安门"], return_tensors="pt"))
    batch["token_type_ids"] = torch.full_like(batch["token_type_ids"], 2)
    model.train()
    text = say("model.train(); encode(model, a batch whose token_type_ids are all 2)  # the model raises",
               "model.train(); encode(model, token_type_ids 全为 2 的批次)  # 模型会抛出异常")
    rec = observe(text, impl.encode, model, batch, model=model)
    rec.expect_modes_kept(T("the mode is put back only when the forward returns: when the model raises, the caller's "
                            "model stays in eval mode; restore it in a finally (try: ... finally: "
                            "model.train(was_training))",
                            "只有前向计算正常返回时才恢复模式：模型抛出异常时，调用者的模型就停在了 eval 模式；"
                            "请在 finally 中恢复（try: ... finally: model.train(was_training)）"))


def test_inside_torch_no_grad_grad_stays_off(impl, model, tokenizer):
    """A caller already inside ``with torch.no_grad():`` is still inside it after encode returns."""
    encode = observing(impl.encode)
    batch = tokenizer(SEED, padding=True, return_tensors="pt")
    with torch.no_grad():
        call(encode, model, batch, "with torch.no_grad(): " + CALL.format(SEED))


def test_no_autograd_graph(impl, model, tokenizer):
    """Nothing in the output requires grad, so backward() on it fails and no gradient reaches the model.

    Case C14: https://github.com/nianticlabs/monodepth2/issues/24
    """
    encode = observing(impl.encode)
    batch = tokenizer(SEED, padding=True, return_tensors="pt")
    out, _ = call(encode, model, batch, CALL.format(SEED))
    with pytest.raises(RuntimeError):
        out.last_hidden_state[:, 0].sum().backward()
    grad = model.embeddings.word_embeddings.weight.grad
    check(grad is None, T("model.embeddings.word_embeddings.weight.grad after encode",
                          "encode 之后的 model.embeddings.word_embeddings.weight.grad"), summary(grad), None, NEVER_OFF)


# ---------------------------------------------------------------- bad input


IDS = [[101, 872, 1962, 102, 0, 0], [101, 791, 1921, 1921, 3698, 102]]  # two rows, as the tokenizer pads
MASK = [[1, 1, 1, 1, 0, 0], [1, 1, 1, 1, 1, 1]]


NOT_A_BATCH = [
    (["你好", "今天天气很好"], T("a list of sentences instead of a tokenized batch", "句子列表，而不是分词后的批次")),
    (torch.tensor(IDS), T("a bare tensor of input_ids", "只有 input_ids 的单个张量")),
    ({"attention_mask": torch.tensor(MASK)}, T("a mapping without input_ids", "没有 input_ids 的映射")),
    ({"input_ids": IDS, "attention_mask": MASK}, T("lists: the tokenizer called without return_tensors='pt'",
                                                   "列表：调用分词器时没有传 return_tensors='pt'")),
]


@pytest.mark.parametrize("batch,what", NOT_A_BATCH, ids=[w.en.split(":")[0] for _, w in NOT_A_BATCH])
def test_not_a_batch_is_a_type_error(impl, model, batch, what):
    """Anything but a mapping holding an input_ids tensor raises TypeError whose message says to
    pass the BatchEncoding the tokenizer returns (the docstring's Raises asks for those words)."""
    text = f"encode(model, {summary(batch)})  # {what}"
    rec = observe(text, impl.encode, model, batch, model=model)
    if "argument after ** must be a mapping" in str(rec.error):
        name = type(rec.error).__name__
        fail(text, T(f"{name} from model(**batch), a printout of the whole model first",
                     f"model(**batch) 抛出的 {name}，消息开头先打印了整个模型"),
             T("TypeError mentioning 'BatchEncoding'", "提到 'BatchEncoding' 的 TypeError"), NOT_CHECKED)
    rec.expect_error(TypeError, T("'pass the BatchEncoding the tokenizer returns (return_tensors=\"pt\")'",
                                  "'请传入分词器返回的 BatchEncoding（return_tensors=\"pt\"）'"),
                     mention="BatchEncoding", mistake=NOT_CHECKED)
    rec.expect_no_side_effects()


# (batch, what it is, error, words the docstring asks for, the mistake when the model is left to find out)
BAD_BATCH = [
    ({"input_ids": torch.tensor([101, 872, 1962, 102])},
     T("one sentence's input_ids [4] without a batch axis", "单个句子的 input_ids [4]，没有批次维"), ValueError, None,
     T("input_ids of one sentence are [seq_len]; BertModel unpacks [batch, seq_len] and fails with 'not enough "
       "values to unpack': check input_ids.dim() == 2 and raise ValueError before the model runs",
       "单个句子的 input_ids 形状是 [seq_len]；BertModel 按 [batch, seq_len] 解包，会报 'not enough values to "
       "unpack'：在模型运行之前检查 input_ids.dim() == 2，不满足就抛出 ValueError")),
    ({"input_ids": torch.tensor(IDS, dtype=torch.float32), "attention_mask": torch.tensor(MASK)},
     T("float input_ids", "浮点型的 input_ids"), TypeError, None,
     T("the embedding lookup needs integer ids (the model fails with 'Expected tensor for argument #1 "
       "indices'): check that input_ids is not floating point and raise TypeError",
       "词嵌入查表需要整数 id（否则模型报 'Expected tensor for argument #1 indices'）：检查 input_ids "
       "不是浮点类型，否则抛出 TypeError")),
    ({"input_ids": torch.tensor(IDS), "attention_mask": torch.tensor([row[:5] for row in MASK])},
     T("an attention_mask one position short", "attention_mask 少了一个位置"), ValueError, None, None),
    ({"input_ids": torch.tensor(IDS), "attention_mask": torch.tensor(MASK[:1])},
     T("the attention_mask of one sentence for a batch of 2", "2 个句子的批次，只给了 1 个句子的 attention_mask"),
     ValueError, None, None),
    ({"input_ids": torch.tensor([[101, 872, 1962, 102, -1, -1], IDS[1]]), "attention_mask": torch.tensor(MASK)},
     T("padding with id -1", "用 id -1 填充"), ValueError, None,
     T("an id outside the vocabulary makes the model fail with 'IndexError: index out of range in self', which "
       "says neither which id nor why: check 0 <= id < model.config.vocab_size and raise ValueError",
       "词表之外的 id 会让模型报 'IndexError: index out of range in self'，既不说是哪个 id，也不说原因："
       "检查 0 <= id < model.config.vocab_size，不满足就抛出 ValueError")),
    ({"input_ids": torch.tensor([IDS[0], [101, 21128, 102, 0, 0, 0]]), "attention_mask": torch.tensor(MASK)},
     T("the id 21128 = config.vocab_size", "id 21128 = config.vocab_size"), ValueError, None,
     T("ids run from 0 to config.vocab_size - 1 (21127): the model fails with 'IndexError: index out of range "
       "in self'; check the largest id too and raise ValueError",
       "id 的范围是 0 到 config.vocab_size - 1（21127）：超出时模型报 'IndexError: index out of range in "
       "self'；最大的 id 也要检查，超出就抛出 ValueError")),
    ({"input_ids": torch.tensor([[101] + [2769] * 511 + [102]])}, T("513 positions", "513 个位置"), ValueError,
     ("truncat", "截断", "截短"), None),
]


@pytest.mark.parametrize("batch,what,error,mention,mistake", BAD_BATCH, ids=[b[1].en for b in BAD_BATCH])
def test_bad_batch_gets_the_documented_error(impl, model, batch, what, error, mention, mistake):
    """Each bad batch raises the documented error, before the model runs (the model's own errors do not
    say what was wrong, and a mismatched attention_mask passes it silently); for more than 512
    positions the message says to truncate, as the docstring's Raises says."""
    text = f"encode(model, {{{', '.join(f'{k!r}: {summary(v)}' for k, v in batch.items())}}})  # {what}"
    rec = observe(text, impl.encode, model, batch, model=model)
    mistake = bad_batch_mistake(rec, batch, mistake)
    if rec.error is None:
        got = getattr(rec.value, "last_hidden_state", None)
        name = type_name(rec.value)
        fail(text, T(f"a {name}", f"一个 {name}") + (
                 T(f" with last_hidden_state {list(got.shape)}", f"，其 last_hidden_state 形状为 {list(got.shape)}")
                 if isinstance(got, torch.Tensor) else ""),
             before_the_model(error), mistake or T("check the batch first", "先检查批次"))
    rec.expect_error(error, T("'attention_mask has shape [2, 5], input_ids [2, 6]: they must match'",
                              "'attention_mask 的形状是 [2, 5]，input_ids 是 [2, 6]：两者必须一致'"),
                     mention=mention, mistake=mistake)
    check(not rec.forwards, text, rec.raised + T(", from inside the model (its forward had started)",
                                                 "，来自模型内部（模型的 forward 已经开始运行）"),
          before_the_model(error),
          mistake or T("check the batch before calling the model; its own errors do not say what was wrong",
                       "调用模型之前先检查批次；模型自己的报错说不清哪里错了"))
    rec.expect_no_side_effects()


# ---------------------------------------------------------------- values


def test_batch_without_token_type_ids(impl, model, tokenizer):
    """A batch may hold only input_ids and attention_mask; model(**batch) passes what is there.

    Case C04: https://github.com/huggingface/transformers/issues/278
    """
    encode = observing(impl.encode)
    batch = tokenizer(SEED, padding=True, return_tensors="pt", return_token_type_ids=False)
    assert sorted(batch.keys()) == ["attention_mask", "input_ids"]
    text = f"encode(model, tokenizer({SEED}, padding=True, return_tensors='pt', return_token_type_ids=False))"
    out, rec = call(encode, model, batch, text)
    want = forward(model, batch)
    expect_values(f"{text}.last_hidden_state", out.last_hidden_state, want.last_hidden_state,
                  value_mistake(rec, ITSELF))


def test_padding_does_not_change_the_short_sentence(impl, model, tokenizer):
    """'你好' padded to 8 positions gives the same 4 vectors as '你好' alone, because the
    attention_mask hides the [PAD]s; forgetting the mask changes them by about 1.

    Case C04: https://github.com/huggingface/transformers/issues/278
    """
    encode = observing(impl.encode)
    batch = tokenizer(SENTENCES, padding=True, return_tensors="pt")
    alone = forward(model, tokenizer(SENTENCES[:1], return_tensors="pt")).last_hidden_state[0]
    unmasked = forward(model, {"input_ids": batch["input_ids"]}).last_hidden_state[0, :4]
    assert (unmasked - alone).abs().max() > 100 * ATOL  # this test would notice a forgotten mask
    text = CALL.format(SENTENCES)
    out, rec = call(encode, model, batch, text)
    expect_values(f"{text}.last_hidden_state[0, :4]  # " + say("'你好' without its [PAD]s", "'你好' 去掉 [PAD] 的部分"),
                  out.last_hidden_state[0, :4],
                  alone, value_mistake(rec, MASK_FORGOTTEN))


def test_512_positions_are_encoded_whole(impl, model, tokenizer):
    """BERT has 512 position embeddings (config.max_position_embeddings): a text of 510 characters
    plus [CLS] and [SEP] is encoded whole, last_hidden_state [1, 512, 768], nothing cut."""
    encode = observing(impl.encode)
    batch = tokenizer(["我" * 510], return_tensors="pt")
    assert batch["input_ids"].shape[1] == model.config.max_position_embeddings == 512
    # call() checks the shapes [1, 512, 768] and [1, 768]; the other tests check the values
    # (a second 512-position forward for them would cost 0.6 s per run of this file).
    call(encode, model, batch, "encode(model, tokenizer(['我' * 510], return_tensors='pt'))  # "
         + say("512 positions", "512 个位置"))


# Each example runs the model up to 3 times (the batch, then each padded sentence alone):
# at most 12 examples keep this file fast on 2 cores.
@per_model_run(12)
@given(sentences=chinese_batches(max_size=3))
def test_each_sentence_as_if_alone(impl, model, tokenizer, sentences):
    """For any small batch: the shapes follow the batch, and each padded sentence's real positions
    (and its pooler_output) equal those of the sentence encoded alone, within 1e-4."""
    encode = observing(impl.encode)
    batch = tokenizer(sentences, padding=True, return_tensors="pt")
    width = batch["input_ids"].shape[1]
    text = CALL.format(sentences)
    out, rec = call(encode, model, batch, text)
    for i, s in enumerate(sentences):
        n = int(batch["attention_mask"][i].sum())
        if n == width:
            continue  # not padded: nothing for the mask to hide
        alone = forward(model, tokenizer([s], return_tensors="pt"))
        expect_values(f"{text}.last_hidden_state[{i}, :{n}]  # "
                      + say(f"{s!r} without its [PAD]s", f"{s!r} 去掉 [PAD] 的部分"),
                      out.last_hidden_state[i, :n], alone.last_hidden_state[0], value_mistake(rec, MASK_FORGOTTEN))
        expect_values(f"{text}.pooler_output[{i}]  # {s!r}", out.pooler_output[i], alone.pooler_output[0],
                      value_mistake(rec, MASK_FORGOTTEN))


# ---------------------------------------------------------------- calling, the reference and the checks


def call(run, model, batch, text, shape=None):
    """The learner's ``encode(model, batch)`` by ``run`` (:func:`bertkata.calls.observing`). Fails on an unexpected error, on anything
    the call changed (the batch, grad mode, a submodule's mode, a requires_grad flag, a .grad),
    on a forward that ran in train mode or with grad enabled, and on an output that is not the
    model's output object of ``shape`` ``(batch, seq_len)``. Returns ``(output, record)``."""
    rec = run(text, model, batch, model=model, grads=True)
    out = rec.result(default=raised_mistake(rec, ids_width(batch), model.config.max_position_embeddings))
    rec.expect_kept(batch_mistake(rec.inputs), grad_mode=True)
    rec.expect_forward_mode(False, forward_mistake(rec))
    rec.expect_modes_kept()
    rec.expect_flags_kept(FROZE if rec.flags and not rec.flags[0][2] else UNFROZE)
    rec.expect_grads_kept(GRADS)
    ids = batch["input_ids"]
    expect_output(text, out, *(shape or ids.shape), model.config.hidden_size)
    expect_no_graph(text, out, rec)
    return out, rec




def forward(model, batch):
    """The reference: BertModel's own forward on ``batch``, in eval mode, without a graph."""
    was = model.training
    model.eval()
    with torch.no_grad():
        out = model(**batch)
    model.train(was)
    return out


OUTPUT_CLASS = "BaseModelOutputWithPoolingAndCrossAttentions"
A_OUTPUT = T(f"a {OUTPUT_CLASS}", f"一个 {OUTPUT_CLASS}")
ITSELF = T("return model(**batch) itself", "直接返回 model(**batch) 的结果本身")
WHOLE_OUTPUT = T(f"return the whole output object ({OUTPUT_CLASS}), not one of its tensors: "
                 "it holds last_hidden_state and pooler_output",
                 f"返回整个输出对象（{OUTPUT_CLASS}），而不是其中某一个张量：它同时包含 last_hidden_state"
                 "（最后一层隐藏状态）和 pooler_output")
POSITIONAL = T("model(batch) passes the whole BatchEncoding as input_ids (BertModel then asks it for .size() "
               "and fails with a bare AttributeError); unpack it into keyword arguments: model(**batch)",
               "model(batch) 会把整个 BatchEncoding 当作 input_ids 传入（BertModel 随后对它调用 .size()，"
               "只抛出一个没有任何说明的 AttributeError）；应把它解包成关键字参数：model(**batch)")
KEYS = T("not every batch has token_type_ids (return_token_type_ids=False, other tokenizers): "
         "pass whatever keys the batch has, with model(**batch)",
         "并不是每个批次都有 token_type_ids（return_token_type_ids=False，或换了别的分词器）："
         "批次里有哪些键就传哪些键，用 model(**batch)")
DROPOUT = T("dropout was on during the forward (the model was in train mode): call model.eval() before it; "
            "torch.no_grad() does not switch dropout off",
            "forward 期间 dropout 是开着的（模型处于 train 模式）：在 forward 之前调用 model.eval()；"
            "torch.no_grad() 并不会关闭 dropout")
ONE_FLAG = T("model.training was False during the forward but the Dropout layers stayed in train mode: "
             "`model.training = False` sets one flag; model.eval() sets every submodule's",
             "forward 期间 model.training 是 False，但各个 Dropout 层仍处于 train 模式：`model.training = False` "
             "只改了一个标志；model.eval() 会设置每个子模块的标志")
MASK_FORGOTTEN = T("the padded sentence changed: the attention_mask was not passed, so its [PAD] tokens were "
                   "attended to; pass every key of the batch with model(**batch)",
                   "补齐过的句子结果变了：没有传入 attention_mask（注意力掩码），它的 [PAD] token 也参与了注意力"
                   "计算；用 model(**batch) 传入批次的每一个键")
TYPES_DROPPED = T("token_type_ids were not passed: in a sentence pair they mark the second sentence (1s), and "
                  "without them the model reads both as one; pass every key of the batch with model(**batch)",
                  "没有传入 token_type_ids（句段编号）：在句子对中，它用 1 标出第二个句子，没有它模型会把两句当成"
                  "一句来读；用 model(**batch) 传入批次的每一个键")
TYPES_ZEROS = T("token_type_ids were passed as zeros, not the batch's own: in a sentence pair the second "
                "sentence's are 1; pass the batch's token_type_ids as they are, with model(**batch)",
                "传入的 token_type_ids（句段编号）是全 0，而不是批次自带的：在句子对中，第二个句子的 "
                "token_type_ids 是 1；用 model(**batch) 原样传入批次的 token_type_ids")
NEVER_OFF = T("gradients were never switched off: the forward built an autograd graph and the outputs still "
              "require grad; run it under `with torch.no_grad():` (or torch.inference_mode()), these features "
              "are never backpropagated",
              "梯度始终没有关闭：forward 构建了自动求导计算图，输出仍然 requires_grad；把 forward 放在 "
              "`with torch.no_grad():`（或 torch.inference_mode()）里运行，这些特征永远不会被反向传播")
DETACHED = T("the forward built an autograd graph and the outputs were detached afterwards: .detach() drops the "
             "graph only after its memory and time were spent; run the forward under `with torch.no_grad():`",
             "forward 构建了自动求导计算图，事后才对输出调用 .detach()：等 .detach() 丢掉计算图时，内存和时间"
             "已经花掉了；把 forward 放在 `with torch.no_grad():` 里运行")
FROZEN_FOR_CALL = T("grad was enabled during the forward and every parameter frozen for it: requires_grad is the "
                    "caller's setting, not a way to skip the graph; run the forward under `with torch.no_grad():`",
                    "forward 期间梯度是开启的，只是为这次调用冻结了所有参数：requires_grad 是调用者的设置，"
                    "不是跳过计算图的手段；把 forward 放在 `with torch.no_grad():` 里运行")
FROZE = T("model.requires_grad_(False) froze the caller's parameters (a training loop calling encode would stop "
          "learning them): torch.no_grad() skips the graph without touching requires_grad",
          "model.requires_grad_(False) 冻结了调用者的参数（调用 encode 的训练循环将不再学习这些参数）："
          "torch.no_grad() 不用改 requires_grad 就能跳过计算图")
UNFROZE = T("requires_grad was switched back on for parameters the caller had frozen (model.requires_grad_(True) "
            "after the call?): leave the flags alone; torch.no_grad() is all encode needs",
            "调用者已冻结的参数被重新打开了 requires_grad（调用之后执行了 model.requires_grad_(True)？）："
            "不要改动这些标志；encode 只需要 torch.no_grad()")
GRADS = T("the gradients the caller had accumulated changed (model.zero_grad() inside encode?): encode only "
          "computes features; leave .grad as it was, the caller's optimizer step needs it",
          "调用者累积的梯度被改动了（在 encode 里调用了 model.zero_grad()？）：encode 只负责计算特征；"
          "让 .grad 保持原样，调用者的优化器 step 还要用它")
NOT_CHECKED = T("check the batch first (a mapping holding an input_ids tensor) and raise TypeError saying to pass "
                "the BatchEncoding the tokenizer returns",
                "先检查批次（应是一个包含 input_ids 张量的映射），不符合就抛出 TypeError，说明应传入分词器返回的 "
                "BatchEncoding")


def before_the_model(error):
    name = error.__name__
    return T(f"{name} raised by encode before the model runs", f"encode 在模型运行之前抛出 {name}")


def raised_mistake(rec, positions=None, limit=None):
    """The likely mistake behind an exception from a valid batch, from how the model was called
    (``positions``: the batch's width; ``limit``: the model's position embeddings)."""
    err = rec.error
    if isinstance(err, ValueError) and positions is not None and positions == limit:
        return T(f"{limit} positions fit the model (position ids 0..{limit - 1}): raise ValueError only for "
                 "more than model.config.max_position_embeddings (an off-by-one: > not >=)",
                 f"模型能容纳 {limit} 个位置（位置编号 0..{limit - 1}）：只有超过 "
                 "model.config.max_position_embeddings 时才抛出 ValueError（差一错误：应该用 > 而不是 >=）")
    if isinstance(err, AttributeError):
        context = err.__context__
        if (rec.forwards and rec.forwards[0].positional) or (isinstance(context, KeyError) and "size" in str(context)):
            return POSITIONAL
    if isinstance(err, KeyError) and "token_type_ids" in str(err):
        return KEYS
    return None


def ids_width(batch):
    ids = batch.get("input_ids") if hasattr(batch, "get") else None
    return ids.shape[-1] if isinstance(ids, torch.Tensor) and ids.dim() == 2 else None


def batch_mistake(changes):
    """Name how the caller's batch was changed, from what :func:`observe` found."""
    text = "; ".join(changes)
    if "lost the keys" in text:
        return T("you removed keys from the caller's batch (batch.pop(...) or del batch[...]): the caller's "
                 "BatchEncoding is theirs; pick the keys you pass into a new dict instead",
                 "你从调用者的批次里删掉了键（batch.pop(...) 或 del batch[...]）：调用者的 BatchEncoding 归调用者"
                 "所有；应把要传的键挑出来，放进一个新的 dict")
    if "gained the keys" in text:
        return T("you added keys to the caller's batch: put extra arguments in a new dict, {**batch, ...}",
                 "你往调用者的批次里加了键：额外的参数放进一个新的 dict，{**batch, ...}")
    if "replaced by another tensor" in text or "was a tensor" in text:
        return T("you stored a converted tensor back into the caller's batch (batch[key] = ...): the caller's "
                 "BatchEncoding now holds your tensor; build a new dict, {**batch, key: converted}",
                 "你把转换后的张量存回了调用者的批次（batch[key] = ...）：调用者的 BatchEncoding 里现在装的是你的"
                 "张量；应新建一个 dict，{**batch, key: converted}")
    if "in place" in text or "went from" in text:
        return T("an in-place operation (a method ending in _, or x[...] = ...) changed a tensor of the caller's "
                 "batch: use the out-of-place version, which returns a new tensor",
                 "原地操作（以 _ 结尾的方法，或 x[...] = ...）改动了调用者批次里的张量：改用非原地的版本，"
                 "它会返回一个新张量")
    return None


def forward_mistake(rec):
    """Dropout on during the forward: the whole model in train mode, only the top flag switched, or only
    a part of the model switched to eval."""
    for f in rec.forwards:
        if f.modules_training and not f.training and f.modules_training == f.modules - 1:
            return ONE_FLAG
        if 0 < f.modules_training < f.modules:
            return partial_eval(f)
    return DROPOUT


def partial_eval(f):
    return T(f"{f.modules_training} of {f.modules} modules were still in train mode during the forward (e.g. "
             f"{', '.join(f.in_train)}): switching a part of the model (model.encoder.eval()) leaves the rest's "
             "dropout on; model.eval() switches every submodule",
             f"forward 期间 {f.modules} 个模块中仍有 {f.modules_training} 个处于 train 模式（例如 "
             f"{', '.join(f.in_train)}）：只切换模型的一部分（model.encoder.eval()），其余部分的 dropout 仍然"
             "开着；model.eval() 会切换每一个子模块")


def bad_batch_mistake(rec, batch, mistake):
    """The mistake behind a bad batch that got no error (or the model's error) from encode."""
    value = rec.value
    positions = batch["input_ids"].shape[-1]
    if rec.error is None and hasattr(value, "last_hidden_state") and value.last_hidden_state.dim() == 3:
        got = value.last_hidden_state.shape[1]
        if positions > 512 and got == 512:
            return T("you cut the batch to BERT's 512 positions silently: encode never cuts; raise ValueError "
                     "saying to truncate, so the caller chooses (tokenizer(..., truncation=True))",
                     "你悄悄把批次截到了 BERT 的 512 个位置：encode 从不截断；应抛出 ValueError 提示截断，"
                     "由调用者自己决定（tokenizer(..., truncation=True)）")
        if positions > 512 and got < 512:
            return T(f"you cut the batch to a length you chose ({got}): BERT takes up to 512 positions "
                     "(config.max_position_embeddings); above that raise ValueError saying to truncate",
                     f"你把批次截到了自己定的长度（{got}）：BERT 最多接受 512 个位置"
                     "（config.max_position_embeddings）；超过时抛出 ValueError 提示截断")
    if "attention_mask" in batch and batch["attention_mask"].shape != batch["input_ids"].shape:
        return T("BertModel does not check the attention_mask's shape: a mismatched one fails deep inside "
                 "attention or, for some shapes, passes without an error; compare it with input_ids' shape "
                 "and raise ValueError",
                 "BertModel 不检查 attention_mask 的形状：形状不匹配时，要么在注意力计算深处报错，要么（某些形状下）"
                 "不报错直接通过；把它和 input_ids 的形状比较，不一致就抛出 ValueError")
    if positions > 512 and mistake is None:
        return T("BERT has 512 position embeddings (model.config.max_position_embeddings): check seq_len and "
                 "raise ValueError saying to truncate; the model's own error talks about expanded sizes",
                 "BERT 只有 512 个位置嵌入（model.config.max_position_embeddings）：检查 seq_len，超出就抛出 "
                 "ValueError 提示截断；模型自己的报错只会说 expanded size 对不上")
    return mistake


def value_mistake(rec, default):
    """The likeliest reason values differ, from how the model was called."""
    if any(f.modules_training for f in rec.forwards):
        return forward_mistake(rec)
    if rec.forwards and "attention_mask" not in rec.forwards[0].keys:
        return MASK_FORGOTTEN
    return default


def expect_output(text, out, batch_size, seq_len, hidden):
    """The output object, with its two tensors in the right shapes and dtypes."""
    from transformers.modeling_outputs import BaseModelOutputWithPoolingAndCrossAttentions

    if isinstance(out, torch.Tensor):
        fail(text, summary(out), A_OUTPUT, WHOLE_OUTPUT)
    if isinstance(out, tuple):
        fail(text, T(f"a tuple of {len(out)}", f"一个有 {len(out)} 项的 tuple"), A_OUTPUT,
             T("call the model with its default return_dict and return what it gives",
               "按默认的 return_dict 调用模型，原样返回它给出的结果"))
    name = type_name(out)
    check(isinstance(out, BaseModelOutputWithPoolingAndCrossAttentions), text, T(f"a {name}", f"一个 {name}"),
          A_OUTPUT, WHOLE_OUTPUT)
    check(list(out.keys()) == ["last_hidden_state", "pooler_output"], f"{text}.keys()", list(out.keys()),
          ["last_hidden_state", "pooler_output"],
          T("call the model with the batch only, without output_hidden_states or output_attentions",
            "只用批次调用模型，不要加 output_hidden_states 或 output_attentions"))
    got = out.last_hidden_state
    if isinstance(got, torch.Tensor) and got.dim() == 3 and got.shape[0] == batch_size and got.shape[1] < seq_len:
        fail(f"{text}.last_hidden_state", T(f"shape {list(got.shape)}", f"形状 {list(got.shape)}"),
             T(f"shape {[batch_size, seq_len, hidden]}", f"形状 {[batch_size, seq_len, hidden]}"),
             T(f"you cut the batch to a length you chose ({got.shape[1]}): encode never cuts; BERT takes up to "
               "512 positions (config.max_position_embeddings)",
               f"你把批次截到了自己定的长度（{got.shape[1]}）：encode 从不截断；BERT 最多接受 512 个位置"
               "（config.max_position_embeddings）"))
    expect_tensor(f"{text}.last_hidden_state", got, shape=[batch_size, seq_len, hidden], dtype=torch.float32,
                  mistakes={"shape": T("[batch, seq_len, hidden_size]: one vector per token",
                                       "[batch, seq_len, hidden_size]：每个 token 一个向量")})
    expect_tensor(f"{text}.pooler_output", out.pooler_output, shape=[batch_size, hidden], dtype=torch.float32,
                  mistakes={"shape": T("[batch, hidden_size]: one vector per sentence",
                                       "[batch, hidden_size]：每个句子一个向量")})


def expect_no_graph(text, out, rec):
    """No output requires grad, and the forward itself ran with grad disabled (the docstring's promise)."""
    for name in ("last_hidden_state", "pooler_output"):
        t = getattr(out, name)
        check(not t.requires_grad, f"{text}.{name}.requires_grad", True, False, NEVER_OFF)
    for f in rec.forwards:
        if f.grad_enabled:
            fail(text + T(": torch.is_grad_enabled() during the model's forward",
                          "：模型 forward 期间的 torch.is_grad_enabled()"), True, False,
                 FROZEN_FOR_CALL if f.requiring_grad == 0 else DETACHED)


def expect_values(text, got, want, mistake, atol=ATOL):
    """Same shape and values within ``atol`` (the shared check, which labels the learner's numbers)."""
    expect_close(text, got, want, atol=atol, mistake=mistake)
