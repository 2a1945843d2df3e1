"""Exercise 10, one fine-tuning step: checked against torch's cross-entropy and AdamW on BertForSequenceClassification.

The learner's loss is compared with the test's own float64 cross-entropy and with the model's own ``labels=``
loss. The learner's training loop runs under ``torch.manual_seed``, and so does the test's own loop, written
here from the docstring (AdamW over the trainable parameters; each step zero_grad, forward in train mode,
cross-entropy, backward, step) on the same starting weights: the losses and the weights they leave must agree.
Most tests freeze everything but the pooler and the classifier head (the common recipe, and a step then
costs a forward); the property also trains the last encoder layer.

Every call to the learner's code goes through :func:`bertkata.calls.observe`, directly or by ``loss``,
``train`` and ``train_call`` (after the tests), which are given the function wrapped by
:func:`bertkata.calls.observing`.
"""

import math
from contextlib import ExitStack

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from bertkata import seed, shared
from bertkata.calls import observe, observing
from bertkata.feedback import check, expect_tensor, fail, summary, type_name
from bertkata.i18n import T, say
from bertkata.strategies import logits_and_labels, per_model_run

SEED = list(seed.SEED)
LABELS = [0, 1]
NUM_LABELS = 2
HEAD = ("bert.pooler.", "classifier.")  # trainable in most tests: the encoder frozen, as in the common recipe
LAST_LAYER = ("bert.encoder.layer.11.",)
LR = 1e-4  # small enough that three steps of AdamW lower the loss on any replica weights
STEPS = 3
STALE_FROZEN = ("bert.encoder.layer.11.output.dense.weight", "bert.embeddings.LayerNorm.weight")
RNG_SEED = 20240601
LOSS_ATOL = 1e-5  # the same float32 forward; log_softmax + gather against cross_entropy differ by rounding
LOSSES_ATOL = 1e-4  # three steps of AdamW on rounding-level differences
WEIGHT_ATOL = 1e-6  # AdamW moves a weight by about lr per step; rounding-level differences stay far below


# ================================================================ classification_loss (no model)


def test_loss_of_a_small_batch(impl):
    """Two rows, three labels: the mean of -log softmax at each row's label (the test's own float64 sum)."""
    logits = torch.tensor([[2.0, 0.5, -1.0], [0.0, 3.0, 1.0]])
    labels = torch.tensor([0, 2])
    got = loss(observing(impl.classification_loss), logits, labels,
               "classification_loss(tensor([[2.0, 0.5, -1.0], [0.0, 3.0, 1.0]]), tensor([0, 2]))")
    expect_loss("classification_loss(tensor([[2.0, 0.5, -1.0], [0.0, 3.0, 1.0]]), tensor([0, 2]))",
                got, logits, labels)


def test_loss_equals_the_models_own_labels_loss(impl):
    """On a BertForSequenceClassification's logits, the loss is what the model returns as .loss given int64
    labels= (single-label CrossEntropyLoss); given float one-hot labels the model switches to multi-label
    BCEWithLogitsLoss, a different number (https://github.com/huggingface/transformers/pull/11012). A small
    model of the same class, two fresh copies: the first labels= call fixes config.problem_type for good."""
    labels = torch.tensor([1, 0, 1])
    logits, own, multi, fixed = models_own_losses(labels)
    check(abs(own - cross_entropy64(logits, labels)) < LOSS_ATOL and abs(own - multi) > 1e-3 and fixed,
          "BertForSequenceClassification(...)(input_ids, labels=labels).loss", own,
          T("the float64 cross-entropy, a different value for float one-hot labels, and "
            "config.problem_type set by the first call", "float64 交叉熵；浮点 one-hot 标签给出另一个值；"
            "第一次调用设定了 config.problem_type"),
          T("transformers no longer picks the loss from the labels' dtype", "transformers 不再按标签的 dtype 选择损失"))
    call = "classification_loss(BertForSequenceClassification(...)(input_ids).logits, tensor([1, 0, 1]))"
    got = loss(observing(impl.classification_loss), logits, labels, call)
    expect_loss(call, got, logits, labels, want=own)


@given(pair=logits_and_labels())
def test_loss_matches_log_softmax_for_any_logits(impl, pair):
    """For any logits (saturated softmaxes included) and labels: the mean of -log softmax at the label."""
    logits, labels = pair
    call = f"classification_loss(logits {list(logits.shape)}, labels {labels.tolist()})"
    expect_loss(call, loss(observing(impl.classification_loss), logits, labels, call), logits, labels)


def test_loss_keeps_the_graph(impl):
    """The loss reaches the logits: its gradient is (softmax - one_hot(labels)) / batch, as autograd gives
    for the test's own formula."""
    logits = torch.tensor([[1.0, -1.0], [0.5, 0.25], [-2.0, 2.0]], requires_grad=True)
    labels = torch.tensor([1, 0, 1])
    call = "classification_loss(logits [3, 2] with requires_grad=True, tensor([1, 0, 1])); backward()"
    rec = observe(call, impl.classification_loss, logits, labels, backward=True)
    got = rec.result(T("a 0-dim tensor with a graph", "一个带计算图的 0 维张量"))
    rec.expect_inputs_unchanged()
    expect_loss(call, got, logits.detach(), labels)
    want = (logits.detach().softmax(-1) - torch.nn.functional.one_hot(labels, 2)) / 3
    grad = rec.input_grads[0] if rec.input_grads else None
    check(isinstance(grad, torch.Tensor) and torch.allclose(grad, want, atol=1e-6), call + say(
        "; then logits.grad", "；然后 logits.grad"), summary(grad), summary(want), T(
        "the loss must keep the autograd graph: no .item(), .detach() or torch.no_grad() inside; "
        "train_steps calls backward() on it",
        "损失必须保留计算图：函数里不要用 .item()、.detach() 或 torch.no_grad()；train_steps 要对它调用 backward()"))


def test_integer_labels_of_any_dtype(impl):
    """int32 labels (what numpy often gives) are class indices too: they are converted, not refused."""
    logits = torch.tensor([[0.3, -0.2], [1.5, 0.5]])
    labels = torch.tensor([1, 0], dtype=torch.int32)
    call = "classification_loss(logits [2, 2], tensor([1, 0], dtype=torch.int32))"
    rec = observe(call, impl.classification_loss, logits, labels)
    got = rec.result(mistakes=[("Long", T(
        "cross_entropy wants int64 class indices: convert integer labels with labels.long()",
        "cross_entropy 要 int64 的类别下标：用 labels.long() 转换整数标签"))])
    rec.expect_inputs_unchanged()
    expect_loss(call, got, logits, labels.long())


BAD_LOSS_INPUT = [
    ("float labels", torch.tensor([0.0, 1.0]), TypeError, "class indices"),
    ("one-hot float labels", torch.tensor([[1.0, 0.0], [0.0, 1.0]]), TypeError, "one-hot"),
    ("one-hot int labels", torch.tensor([[1, 0], [0, 1]]), ValueError, "one-hot"),
    ("bool labels", torch.tensor([False, True]), TypeError, "class indices"),
    ("a list of labels", [0, 1], TypeError, "class indices"),
    ("label 2 with 2 labels", torch.tensor([0, 2]), ValueError, "range"),
    ("label -1", torch.tensor([-1, 1]), ValueError, "range"),
    ("label -100 (cross_entropy's ignore_index)", torch.tensor([-100, 1]), ValueError, "ignore_index"),
    ("3 labels for 2 rows", torch.tensor([0, 1, 1]), ValueError, "shape"),
]


@pytest.mark.parametrize("what,labels,error,kind", BAD_LOSS_INPUT, ids=[b[0] for b in BAD_LOSS_INPUT])
def test_bad_labels_get_a_clear_error(impl, what, labels, error, kind):
    """Labels are int class indices, one per row, in 0 .. num_labels - 1: a float label is read by
    F.cross_entropy as a probability, -100 is silently skipped (ignore_index), 2 of 2 labels is 'Target 2 is
    out of bounds' (https://github.com/Beomi/KcBERT/issues/3)."""
    logits = torch.tensor([[0.5, -0.5], [1.0, 2.0]])
    if kind == "ignore_index":  # what cross_entropy does with it: row 0 is left out of the mean
        torch_says, row_1 = (torch.nn.functional.cross_entropy(logits, labels).item(),
                             cross_entropy64(logits[1:], labels[1:]))
        check(abs(torch_says - row_1) < LOSS_ATOL, "F.cross_entropy(logits, tensor([-100, 1]))", torch_says,
              T("{:.6f}, the loss of row 1 alone", "{:.6f}，只有第 1 行的损失").format(row_1),
              T("torch's cross_entropy no longer ignores -100", "torch 的 cross_entropy 不再忽略 -100"))
    if what == "one-hot float labels":  # read as probabilities: a one-hot row gives its class's loss
        torch_says, of_indices = (torch.nn.functional.cross_entropy(logits, labels).item(),
                                  cross_entropy64(logits, labels.argmax(-1)))
        check(abs(torch_says - of_indices) < LOSS_ATOL, "F.cross_entropy(logits, one-hot float labels)", torch_says,
              T("{:.6f}, the loss of the indices", "{:.6f}，类别下标的损失").format(of_indices),
              T("torch's cross_entropy no longer takes probabilities", "torch 的 cross_entropy 不再接受概率"))
    call = f"classification_loss(logits [2, 2], {summary(labels)})  # {what}"
    rec = observe(call, impl.classification_loss, logits, labels)
    rec.expect_error(error, LABEL_ERRORS[kind][0], mistake=bad_labels_mistake(rec, kind))
    rec.expect_inputs_unchanged()


BAD_LOGITS = [
    ("int logits", torch.tensor([[1, 0], [0, 1]]), TypeError),
    ("1-D logits", torch.tensor([0.5, -0.5]), ValueError),
    ("logits with no row", torch.empty(0, 2), ValueError),
    ("a list of logits", [[0.5, -0.5], [1.0, 2.0]], TypeError),
]


@pytest.mark.parametrize("what,logits,error", BAD_LOGITS, ids=[b[0] for b in BAD_LOGITS])
def test_bad_logits_get_a_clear_error(impl, what, logits, error):
    """Logits are a float tensor [batch, num_labels]."""
    call = f"classification_loss({summary(logits)}, tensor([0, 1]))  # {what}"
    rec = observe(call, impl.classification_loss, logits, torch.tensor([0, 1]))
    rec.expect_error(error, f"{error.__name__}('logits must be a floating-point tensor [batch, num_labels]')")
    rec.expect_inputs_unchanged()


# ================================================================ train_steps


def test_a_few_steps_lower_the_loss(impl, tokenizer, classifier):
    """Three steps of AdamW (lr 1e-4) on the seed batch, encoder frozen: the loss the test measures in eval
    mode goes down; each step's loss and the weights left agree with the test's own loop; the frozen
    parameters are bit-for-bit as they were, the trainable ones all moved; the model is back in eval mode."""
    freeze_except(classifier, HEAD)
    batch, labels = encode(tokenizer), torch.tensor(LABELS)
    before = eval_loss(classifier, batch, labels)
    call = f"train_steps(classifier, tokenizer({SEED}, padding=True, return_tensors='pt'), tensor({LABELS}), steps={STEPS}, lr={LR})  # encoder frozen"
    run = train(observing(impl.train_steps), classifier, batch, labels, STEPS, LR, call)
    after = eval_loss(classifier, batch, labels)
    run.expect_reference()  # before the loss: a wrong loop is named by what it did
    check(after < before, say(f"{call}; then the loss in eval mode", f"{call}；然后在 eval 模式下的损失"),
          f"{before:.6f} -> {after:.6f}", T("lower than {:.6f}", "低于 {:.6f}").format(before),
          T("the steps did not lower the loss: step against the gradient of the cross-entropy of the logits and "
            "labels (optimizer.step() after loss.backward())",
            "这几步没有让损失下降：应沿交叉熵（logits 对 labels）梯度的反方向更新（在 loss.backward() 之后调用 "
            "optimizer.step()）"))


def test_steps_match_adamw_from_the_docstring(impl, tokenizer, classifier):
    """Under torch.manual_seed, dropout draws the same masks in the learner's loop and the test's: the losses
    and the weights left are those of AdamW(lr) with zero_grad, train-mode forward, cross-entropy, backward,
    step, in that order (https://discuss.pytorch.org/t/what-does-the-backward-function-do/9944/2)."""
    freeze_except(classifier, HEAD)
    call = f"torch.manual_seed({RNG_SEED}); train_steps(classifier, tokenizer({SEED}, padding=True, return_tensors='pt'), tensor({LABELS}), " \
           f"steps=2, lr=1e-3)"
    train(observing(impl.train_steps), classifier, encode(tokenizer), torch.tensor(LABELS), 2, 1e-3,
          call).expect_reference()


def test_one_step_returns_the_loss_of_the_weights_given(impl, tokenizer, classifier):
    """steps=1: a list of one float, the train-mode loss of the weights passed in (before the update)."""
    freeze_except(classifier, HEAD)
    call = f"torch.manual_seed({RNG_SEED}); train_steps(classifier, tokenizer({SEED}, padding=True, return_tensors='pt'), tensor([1, 1]), " \
           f"steps=1, lr={LR})"
    train(observing(impl.train_steps), classifier, encode(tokenizer), torch.tensor([1, 1]), 1, LR,
          call).expect_reference()


def test_the_callers_stale_gradients_count_for_nothing(impl, tokenizer, classifier):
    """The caller ran a backward() of its own and then froze the encoder, so every parameter holds a stale
    .grad: the steps are those from cleared gradients (they add up across backward() calls, C16), and the
    frozen parameters stay bit-for-bit as they were though they hold a .grad: an optimizer given them with
    zeroed gradients still moves them by weight decay (https://github.com/iamwangyabin/S-Prompts/pull/2)."""
    batch, labels = encode(tokenizer), torch.tensor(LABELS)
    classifier.train()
    # the caller's backward into a few parameters only (all of them would be 400 MB of .grad)
    stale = [p for n, p in classifier.named_parameters() if n.startswith(HEAD) or n in STALE_FROZEN]
    torch.nn.functional.cross_entropy(classifier(**batch).logits, torch.tensor([1, 0])).backward(inputs=stale)
    classifier.eval()
    freeze_except(classifier, HEAD)
    call = say(f"train_steps(classifier, tokenizer({SEED}, padding=True, return_tensors='pt'), tensor({LABELS}), steps=2, lr={LR})  # every "
               "parameter holds a stale .grad; the encoder was frozen after it",
               f"train_steps(classifier, tokenizer({SEED}, padding=True, return_tensors='pt'), tensor({LABELS}), steps=2, lr={LR})  # 每个参数都带着"
               "旧的 .grad；encoder 是在那之后冻结的")
    train(observing(impl.train_steps), classifier, batch, labels, 2, LR, call).expect_reference()


def test_the_forward_runs_in_train_mode_and_eval_mode_comes_back(impl, tokenizer, classifier):
    """A model in eval mode (as from_pretrained returns it) is trained with dropout on, every submodule in
    train mode, and is in eval mode again afterwards (C12, https://github.com/huggingface/transformers/issues/9039;
    https://github.com/wkentaro/pytorch-fcn/pull/56)."""
    freeze_except(classifier, HEAD)
    call = f"train_steps(classifier in eval mode, tokenizer({SEED}, padding=True, return_tensors='pt'), tensor({LABELS}), steps=2, lr={LR})"
    train(observing(impl.train_steps), classifier, encode(tokenizer), torch.tensor(LABELS), 2, LR, call)


def test_a_model_in_train_mode_stays_in_train_mode(impl, tokenizer, classifier):
    """A caller in the middle of a training loop passes the model in train mode: it stays in train mode."""
    freeze_except(classifier, HEAD)
    classifier.train()
    call = f"classifier.train(); train_steps(classifier, tokenizer({SEED}, padding=True, return_tensors='pt'), tensor({LABELS}), steps=1, lr={LR})"
    train(observing(impl.train_steps), classifier, encode(tokenizer), torch.tensor(LABELS), 1, LR,
          call).expect_reference()


def test_works_inside_no_grad(impl, tokenizer, classifier):
    """Inside the caller's torch.no_grad() the steps still train (a forward without a graph cannot be
    backpropagated, C14, https://github.com/nianticlabs/monodepth2/issues/24), and no_grad is still in force
    afterwards."""
    freeze_except(classifier, HEAD)
    call = f"with torch.no_grad(): train_steps(classifier, tokenizer({SEED}, padding=True, return_tensors='pt'), tensor({LABELS}), steps=2, lr={LR})"
    train_steps = observing(impl.train_steps)
    with torch.no_grad():
        run = train(train_steps, classifier, encode(tokenizer), torch.tensor(LABELS), 2, LR, call)
    run.expect_reference()


# each example is two loops of up to 3 steps (the learner's and the test's), through the last encoder layer
# when it is drawn trainable: 2 examples for a learner, 6 in CI
@per_model_run(6)
@given(trainable=st.sets(st.sampled_from(["classifier.", "bert.pooler.", LAST_LAYER[0]]), min_size=1),
       labels=st.lists(st.integers(0, NUM_LABELS - 1), min_size=2, max_size=2), steps=st.integers(1, 3))
def test_any_frozen_split_and_labels(impl, tokenizer, classifier, trainable, labels, steps):
    """Whatever part is trainable (the head, the pooler, the last encoder layer) and whatever the labels: the
    losses and weights of the test's own loop, the frozen parameters untouched."""
    shared.restore_model("classifier")  # hypothesis runs every example in one test: start each from the checkpoint
    freeze_except(classifier, tuple(sorted(trainable)))
    call = f"torch.manual_seed({RNG_SEED}); train_steps(classifier, tokenizer({SEED}, padding=True, return_tensors='pt'), tensor({labels}), " \
           f"steps={steps}, lr={LR})  # trainable: {sorted(trainable)}"
    train(observing(impl.train_steps), classifier, encode(tokenizer), torch.tensor(labels), steps, LR,
          call).expect_reference()


BAD_TRAIN_INPUT = [
    ("float labels", dict(labels=torch.tensor([0.0, 1.0])), TypeError, "class indices"),
    ("one-hot float labels", dict(labels=torch.tensor([[1.0, 0.0], [0.0, 1.0]])), TypeError, "one-hot"),
    ("label 2 with num_labels 2", dict(labels=torch.tensor([0, 2])), ValueError, "range"),
    ("3 labels for 2 sentences", dict(labels=torch.tensor([0, 1, 1])), ValueError, "shape"),
    ("steps=0", dict(steps=0), ValueError, "steps"),
    ("steps=True", dict(steps=True), TypeError, "steps"),
    ("steps=2.0", dict(steps=2.0), TypeError, "steps"),
    ("lr=0", dict(lr=0.0), ValueError, "lr"),
    ("lr=-1e-4", dict(lr=-1e-4), ValueError, "lr"),
    ("lr=nan", dict(lr=float("nan")), ValueError, "lr"),
    ("lr=inf", dict(lr=float("inf")), ValueError, "lr"),
    ("lr=True", dict(lr=True), TypeError, "lr"),
    ("lr='1e-4'", dict(lr="1e-4"), TypeError, "lr"),
    ("a batch without input_ids", dict(batch="no input_ids"), TypeError, "batch"),
]


@pytest.mark.parametrize("what,change,error,kind", BAD_TRAIN_INPUT, ids=[b[0] for b in BAD_TRAIN_INPUT])
def test_bad_input_gets_a_clear_error_before_anything_changes(impl, tokenizer, classifier, what, change, error,
                                                              kind):
    """Wrong labels (https://github.com/Beomi/KcBERT/issues/3), steps or lr raise the documented error
    before a single weight, flag or mode has changed."""
    freeze_except(classifier, HEAD)
    args = dict(batch=encode(tokenizer), labels=torch.tensor(LABELS), steps=2, lr=LR)
    args.update(change)
    if isinstance(args["batch"], str):
        args["batch"] = {k: v for k, v in encode(tokenizer).items() if k != "input_ids"}
    call = f"train_steps(classifier, ..., steps={args['steps']!r}, lr={args['lr']!r})  # {what}"
    rec = train_call(observing(impl.train_steps), classifier, args["batch"], args["labels"], args["steps"],
                     args["lr"], call)
    example, mistake = LABEL_ERRORS.get(kind, (None, None))
    rec.expect_error(error, example or TRAIN_ERRORS[kind],
                     mistake=bad_labels_mistake(rec, kind) if mistake else bad_train_mistake(rec, kind))
    expect_nothing_changed(rec, classifier)


def test_a_model_with_nothing_to_train_gets_value_error(impl, tokenizer, classifier):
    """Every parameter frozen: ValueError saying there is nothing to train (torch's own AdamW says only
    'optimizer got an empty parameter list'; a backward() says 'element 0 of tensors does not require grad',
    C15, https://github.com/huggingface/transformers/issues/95)."""
    classifier.requires_grad_(False)
    call = f"classifier.requires_grad_(False); train_steps(classifier, tokenizer({SEED}, padding=True, return_tensors='pt'), tensor({LABELS}), " \
           f"steps=1, lr={LR})"
    rec = train_call(observing(impl.train_steps), classifier, encode(tokenizer), torch.tensor(LABELS), 1, LR,
                     call)
    rec.expect_error(ValueError, "ValueError('no parameter of the model requires grad: there is nothing to train')",
                     mistake=T("check before building the optimizer that some parameter has requires_grad True, "
                               "and raise ValueError saying there is nothing to train",
                               "在构造优化器之前检查是否有 requires_grad 为 True 的参数，没有就抛出 ValueError，"
                               "说明没有可训练的东西"))
    expect_nothing_changed(rec, classifier)


# ================================================================ helpers: inputs and the test's own loop


def encode(tokenizer, sentences=SEED):
    return tokenizer(sentences, padding=True, return_tensors="pt")


def models_own_losses(labels):
    """A small BertForSequenceClassification's logits for 3 rows, its .loss for int64 labels= and for the same
    labels as float one-hot rows (each from a fresh model: the first labels= call sets config.problem_type), and
    whether the first model's problem_type stayed single-label for good."""
    from transformers import BertConfig, BertForSequenceClassification

    config = dict(vocab_size=50, hidden_size=8, num_hidden_layers=1, num_attention_heads=2, intermediate_size=16,
                  max_position_embeddings=16, num_labels=NUM_LABELS, initializer_range=1.0)
    input_ids = torch.tensor([[2, 7, 9, 3], [2, 11, 3, 0], [2, 5, 5, 3]])
    out = []
    for target in (labels, torch.nn.functional.one_hot(labels, NUM_LABELS).float()):
        torch.manual_seed(0)
        model = BertForSequenceClassification(BertConfig(**config)).eval()
        with torch.no_grad():
            result = model(input_ids=input_ids, labels=target)
        out.append((result, model))
    fixed = out[0][1].config.problem_type == "single_label_classification"
    return out[0][0].logits, out[0][0].loss.item(), out[1][0].loss.item(), fixed


def freeze_except(model, prefixes):
    for name, p in model.named_parameters():
        p.requires_grad_(name.startswith(prefixes))


def cross_entropy64(logits, labels) -> float:
    """The test's own cross-entropy: -log softmax at each row's label, averaged, in float64."""
    x = logits.detach().double()
    logp = x - x.logsumexp(dim=-1, keepdim=True)
    return -logp[torch.arange(len(labels)), labels.long()].mean().item()


def eval_loss(model, batch, labels) -> float:
    """The loss of the model's current weights with dropout off, measured by the test; the mode put back."""
    with ExitStack() as restore, torch.no_grad():
        restore.callback(model.train, model.training)
        model.eval()
        return cross_entropy64(model(**batch).logits, labels)


def reference_steps(model, batch, labels, steps, lr, variant=None) -> list[float]:
    """The docstring's loop on the model's weights as they are now: AdamW(lr) over the trainable parameters; each
    step zero_grad, forward in train mode, cross-entropy, backward, step; the mode put back. ``variant`` replays
    a known mistake, for a diagnosis."""
    params = [p for p in model.parameters() if p.requires_grad]
    if variant == "sgd":
        optimizer = torch.optim.SGD(params, lr=lr)
    elif variant == "adam":
        optimizer = torch.optim.Adam(params, lr=lr)
    else:
        optimizer = torch.optim.AdamW(params, lr=1e-3 if variant == "default_lr" else lr)
    losses = []
    with ExitStack() as restore, torch.enable_grad():
        restore.callback(model.train, model.training)
        model.train(variant != "eval")
        for step in range(steps):
            if variant not in ("accumulate", "stale") or (variant == "stale" and step > 0):
                optimizer.zero_grad()
            logits = model(**batch).logits
            loss_value = torch.nn.functional.cross_entropy(logits, labels.long())
            if variant == "sum":
                loss_value = loss_value * len(labels)
            loss_value.backward()
            optimizer.step()
            losses.append(loss_value.item())
    return losses


# ================================================================ helpers: calling the learner's code


def loss(classification_loss, logits, labels, call):
    """The learner's ``classification_loss`` (from :func:`observing`) on ``logits`` and ``labels``: its value, after
    failing on an unexpected error or a change to the caller's tensors or grad mode."""
    rec = classification_loss(call, logits, labels)
    got = rec.result(T("the mean cross-entropy, a 0-dim tensor", "平均交叉熵，一个 0 维张量"), mistakes=[
        ("Long", T("cross_entropy wants int64 class indices: convert integer labels with labels.long()",
                   "cross_entropy 要 int64 的类别下标：用 labels.long() 转换整数标签"))])
    rec.expect_inputs_unchanged(T("you changed the caller's logits or labels in place (log_softmax_, a labels "
                                  "conversion written back?): work on new tensors",
                                  "你原地修改了调用者的 logits 或 labels（log_softmax_，或把转换后的标签写了回去？）："
                                  "在新张量上计算"))
    rec.expect_grad_mode_kept()
    return got


def expect_loss(call, got, logits, labels, want=None):
    """A 0-dim tensor of the logits' dtype holding the test's own cross-entropy (or ``want``)."""
    expect_tensor(call, got, shape=[], dtype=logits.dtype, mistakes={
        "type": T("return the loss tensor (F.cross_entropy(...) itself), not loss.item(): train_steps needs its graph",
                  "返回损失张量（F.cross_entropy(...) 本身），不要返回 loss.item()：train_steps 需要它的计算图"),
        "shape": T("the loss is one number for the batch, averaged over the rows (reduction='mean'), a 0-dim tensor",
                   "损失是整个批次的一个数，对各行取平均（reduction='mean'），是一个 0 维张量")})
    want = cross_entropy64(logits, labels) if want is None else want
    value = got.item()
    if not (abs(value - want) <= LOSS_ATOL * max(1.0, abs(want))):
        fail(call, f"{value:.6f}", f"{want:.6f}", diagnose_loss(value, logits, labels))


def train_call(train_steps, model, batch, labels, steps, lr, call):
    """The learner's ``train_steps`` (from :func:`observing`) called once, the model watched: the record."""
    return train_steps(call, model, batch, labels, steps, lr, model=model, weights=True)


class Run:
    """One call of train_steps, checked for everything but the values, with what the test's own loop needs."""

    def __init__(self, model, batch, labels, steps, lr, call, rng_seed, start, losses):
        self.model, self.batch, self.labels, self.steps, self.lr = model, batch, labels, steps, lr
        self.call, self.rng_seed, self.start, self.losses = call, rng_seed, start, losses

    def expect_reference(self):
        """The losses and the weights left agree with the test's own loop from the same weights and seed."""
        params = dict(self.model.named_parameters())
        got = {n: params[n].detach().clone() for n in self.start}
        want_losses, want = self.replay(None)
        close = all(abs(g - w) <= LOSSES_ATOL for g, w in zip(self.losses, want_losses))
        off = {n: (got[n] - want[n]).abs().max().item() for n in got}
        if close and max(off.values()) <= WEIGHT_ATOL:
            return
        mistake = self.diagnose(got)
        if not close:
            fail(self.call, [round(x, 6) for x in self.losses], [round(x, 6) for x in want_losses], mistake)
        worst = max(off, key=off.get)
        fail(say(f"{self.call}; then {worst}", f"{self.call}；然后 {worst}"),
             say(f"differing from the expected weights by up to {off[worst]:.3g}",
                 f"与期望的权重最多相差 {off[worst]:.3g}"),
             say(f"the weights AdamW(lr={self.lr}) leaves, within {WEIGHT_ATOL:g}",
                 f"AdamW(lr={self.lr}) 更新后的权重，误差在 {WEIGHT_ATOL:g} 以内"), mistake)

    def replay(self, variant, stale=None):
        """The test's loop (or a known mistake) from the starting weights under the same seed; the weights left."""
        params = dict(self.model.named_parameters())
        with torch.no_grad():
            for n, v in self.start.items():
                params[n].copy_(v)
        for n, p in params.items():
            p.grad = None if stale is None else stale.get(n)
        torch.manual_seed(self.rng_seed)
        losses = reference_steps(self.model, self.batch, self.labels, self.steps, self.lr, variant)
        return losses, {n: params[n].detach().clone() for n in self.start}

    def diagnose(self, got):
        """Name the mistake by replaying known ones (only on failure: each costs a loop)."""
        for variant, mistake in TRAINING_MISTAKES:
            losses, weights = self.replay(variant, self.stale if variant == "stale" else None)
            if all(abs(g - w) <= LOSSES_ATOL for g, w in zip(self.losses, losses)) and all(
                    (got[n] - weights[n]).abs().max().item() <= WEIGHT_ATOL for n in got):
                return mistake
        return T("each step: optimizer.zero_grad(); loss = classification_loss(model(**batch).logits, labels); "
                 "loss.backward(); optimizer.step(), with optimizer = torch.optim.AdamW(trainable parameters, lr=lr) "
                 "made once, before the loop",
                 "每一步：optimizer.zero_grad()；loss = classification_loss(model(**batch).logits, labels)；"
                 "loss.backward()；optimizer.step()。其中 optimizer = torch.optim.AdamW(可训练的参数, lr=lr)，"
                 "在循环之前只创建一次")


def train(train_steps, model, batch, labels, steps, lr, call, rng_seed=RNG_SEED) -> Run:
    """train_steps through observe under torch.manual_seed, then, in order: what it raised; what it changed
    (the batch and labels, grad mode, every forward's mode, the mode after, requires_grad); the losses' form;
    the frozen parameters untouched and the trainable ones moved. ``Run.expect_reference`` checks the values.
    ``train_steps``: the learner's function, from :func:`observing`."""
    params = dict(model.named_parameters())
    trainable = [n for n, p in params.items() if p.requires_grad]
    start = {n: params[n].detach().clone() for n in trainable}
    stale = {n: p.grad.clone() for n, p in params.items() if p.grad is not None}
    training = model.training
    caller_no_grad = not torch.is_grad_enabled()
    torch.manual_seed(rng_seed)
    rec = train_call(train_steps, model, batch, labels, steps, lr, call)
    got = rec.result(T("a list of {} float".format(steps), "含 {} 个 float 的 list".format(steps)),
                     mistakes=[NO_GRAD_CALLER if caller_no_grad else NO_GRAD_FORWARD, *ERROR_MISTAKES])
    expect_untouched(rec, training)
    expect_losses_form(call, got, steps)
    expect_frozen_untouched(rec, model, trainable)
    now = dict(model.named_parameters())
    still = [n for n in trainable if torch.equal(now[n].detach(), start[n])]
    if still:
        fail(say(f"{call}; then the trainable parameters", f"{call}；然后查看可训练的参数"),
             say(f"{len(still)} of {len(trainable)} unchanged, e.g. {still[0]}",
                 f"{len(trainable)} 个中有 {len(still)} 个没变，例如 {still[0]}"),
             T("every trainable parameter moved by the steps", "每个可训练的参数都被这几步更新了"),
             unmoved_mistake(still, trainable))
    run = Run(model, batch, labels, steps, lr, call, rng_seed, start, got)
    run.stale = stale
    return run


def expect_untouched(rec, training):
    rec.expect_inputs_unchanged(T("you changed the caller's batch or labels (labels converted in place, a key "
                                  "added to the batch?): build new tensors, and pass labels to the loss, not into "
                                  "the batch", "你改动了调用者的 batch 或 labels（原地转换了标签，或往 batch 里加了键？）："
                                  "请构造新的张量，把 labels 交给损失函数，而不是放进 batch"))
    rec.expect_grad_mode_kept()
    rec.expect_forward_mode(True, T(
        "the forward ran with dropout off (model.eval() during training, or left on from an evaluation): "
        "fine-tuning runs in train mode; call model.train() before the steps",
        "forward 运行时 dropout 是关着的（训练时处于 model.eval()，或者是评估之后没切回来）：微调要在训练模式下进行；"
        "在这几步之前调用 model.train()"))
    top_after = next((after for name, before, after in rec.modes if name == ""), None)
    if top_after is not None and not training and top_after:
        fail(say(f"{rec.call}; then model.training", f"{rec.call}；然后 model.training"), True, False, T(
            "the model was left in train mode: model.train() stays on after the steps, so the caller's next "
            "evaluation runs with dropout; save was_training = model.training and put it back with "
            "model.train(was_training) in a finally",
            "模型被留在了训练模式：model.train() 在这几步之后仍然生效，调用者接下来的评估会带着 dropout；"
            "先保存 was_training = model.training，再在 finally 里用 model.train(was_training) 恢复"))
    rec.expect_modes_kept(T("the model arrived in train mode and left in eval mode: a caller in the middle of a "
                            "training loop loses its dropout; put back the mode it had, model.train(was_training)",
                            "模型进来时处于训练模式，出去时却是 eval 模式：训练循环中的调用者会因此失去 dropout；"
                            "恢复它原来的模式，model.train(was_training)") if training else None)
    rec.expect_flags_kept(T("requires_grad is the caller's choice: the steps train the parameters that require grad "
                            "and change no flag (model.requires_grad_(True) unfreezes the frozen encoder)",
                            "requires_grad 由调用者决定：这几步只训练需要梯度的参数，不改任何标志"
                            "（model.requires_grad_(True) 会把冻结的 encoder 解冻）"))


def expect_losses_form(call, got, steps):
    if isinstance(got, list) and got and all(isinstance(x, torch.Tensor) for x in got):
        fail(call, say(f"a list of {type_name(got[0])}", f"含 {type_name(got[0])} 的 list"),
             T("a list of Python float", "Python float 组成的 list"),
             T("append loss.item(), not the loss tensor: a tensor keeps its whole autograd graph (and the "
               "activations) alive",
               "append 的应是 loss.item()，而不是损失张量：张量会让整个计算图（和激活值）一直留在内存里"))
    check(isinstance(got, list) and len(got) == steps and all(type(x) is float for x in got), call, summary(got),
          T("a list of {} Python float (one loss per step)", "含 {} 个 Python float 的 list（每步一个损失）").format(steps),
          T("return every step's loss.item() in a list, the first computed before the first update",
            "用 list 返回每一步的 loss.item()，第一个在第一次更新之前算出"))
    check(all(math.isfinite(x) for x in got), call, summary(got), T("finite losses", "有限的损失值"),
          T("a loss is NaN or infinite: is lr far too large?", "有损失是 NaN 或无穷大：lr 是不是太大了？"))


def expect_frozen_untouched(rec, model, trainable):
    moved = [n for n in shared.changed_weights("classifier") if n not in trainable]
    if not moved:
        return
    fail(say(f"{rec.call}; then the frozen parameters", f"{rec.call}；然后查看被冻结的参数"),
         say(f"{len(moved)} changed, e.g. {moved[0]}", f"{len(moved)} 个变了，例如 {moved[0]}"),
         T("bit-for-bit as they were (requires_grad False)", "与调用前逐位相同（requires_grad 为 False）"),
         T("a frozen parameter moved: the optimizer was given the frozen parameters, and their stale .grad (zeroed "
           "with zero_grad(set_to_none=False), or kept) took a step, weight decay included; build AdamW over "
           "[p for p in model.parameters() if p.requires_grad] and clear gradients with zero_grad() (to None)",
           "被冻结的参数变了：优化器拿到了被冻结的参数，它们旧的 .grad（被 zero_grad(set_to_none=False) 清零，或"
           "原样留着）也走了一步，权重衰减也算在内；用 [p for p in model.parameters() if p.requires_grad] 构造 "
           "AdamW，并用 zero_grad()（设为 None）清空梯度"))


def expect_nothing_changed(rec, model):
    rec.expect_inputs_unchanged()
    rec.expect_grad_mode_kept()
    rec.expect_modes_kept(T("check the arguments before model.train(): an error must leave the model as it was",
                            "在 model.train() 之前检查参数：出错时模型必须保持原样"))
    rec.expect_flags_kept()
    moved = shared.changed_weights("classifier")
    check(not moved, say(f"{rec.call}; then the weights", f"{rec.call}；然后查看权重"),
          say(f"{len(moved)} changed, e.g. {moved[:1]}", f"{len(moved)} 个变了，例如 {moved[:1]}"),
          T("unchanged", "没有变化"),
          T("check every argument before the first step: a bad argument must raise before any weight moves",
            "在第一步之前检查所有参数：参数不对时，必须在任何权重变化之前就抛出异常"))


# ================================================================ helpers: diagnoses


LABEL_ERRORS = {
    "class indices": ("TypeError('labels must be a tensor of class indices (int64), got a torch.float32 tensor')",
                      T("check labels before the loss: a float (or bool) tensor is not class indices; F.cross_entropy "
                        "reads float labels as probabilities, and the model's own labels= loss switches to multi-label "
                        "BCEWithLogitsLoss", "在算损失之前检查 labels：浮点（或 bool）张量不是类别下标；F.cross_entropy "
                        "会把浮点标签当作概率，模型自带的 labels= 损失则会改用多标签的 BCEWithLogitsLoss")),
    "one-hot": ("TypeError('labels must be class indices [batch], not one-hot rows: labels.argmax(-1)')",
                T("one-hot rows are not class indices: refuse them (TypeError for float rows, ValueError for int "
                  "rows [batch, num_labels]); the caller converts with labels.argmax(-1)",
                  "one-hot 行不是类别下标：拒绝它们（浮点行抛 TypeError，形状为 [batch, num_labels] 的整数行抛 "
                  "ValueError）；调用者可用 labels.argmax(-1) 转换")),
    "range": ("ValueError('labels must be class indices in 0 .. 1, got [0, 2]')",
              T("check 0 <= label < num_labels (logits.shape[1], model.config.num_labels) and raise ValueError: "
                "cross_entropy says only 'Target 2 is out of bounds', and a negative label -100 it skips silently",
                "检查 0 <= label < num_labels（logits.shape[1]，model.config.num_labels），不满足就抛出 ValueError："
                "cross_entropy 只会说 'Target 2 is out of bounds'，而负的 -100 它会悄悄跳过")),
    "ignore_index": ("ValueError('labels must be class indices in 0 .. 1, got [-100, 1]')",
                     T("-100 is cross_entropy's ignore_index: that row is silently left out of the mean; check "
                       "0 <= label < num_labels and raise ValueError",
                       "-100 是 cross_entropy 的 ignore_index：那一行会被悄悄排除在平均之外；检查 "
                       "0 <= label < num_labels，不满足就抛出 ValueError")),
    "shape": ("ValueError('labels must have shape [2], got [3]')",
              T("labels hold one class index per row: check labels.shape == (batch,) and raise ValueError",
                "labels 每行一个类别下标：检查 labels.shape == (batch,)，不满足就抛出 ValueError")),
}

TRAIN_ERRORS = {
    "steps": "ValueError('steps must be at least 1, got 0')",
    "lr": "ValueError('lr must be a finite number > 0, got 0.0')",
    "batch": "TypeError('batch must be a mapping holding an input_ids tensor')",
}


def bad_labels_mistake(rec, kind):
    if rec.error is None and isinstance(rec.value, torch.Tensor) and kind in ("class indices", "one-hot"):
        return T("float labels were accepted: .long() silently truncates 0.7 to 0, and F.cross_entropy itself reads "
                 "float targets as class probabilities; a caller passing floats has mixed something up, so refuse "
                 "them with TypeError", "浮点标签被接受了：.long() 会悄悄把 0.7 截成 0，而 F.cross_entropy 本身会把"
                 "浮点目标当作类别概率；传浮点数的调用者一定是弄混了什么，所以应抛出 TypeError 拒绝它们")
    if rec.error is None and kind == "ignore_index":
        return LABEL_ERRORS["ignore_index"][1]
    return LABEL_ERRORS[kind][1]


def bad_train_mistake(rec, kind):
    if kind == "steps":
        return T("steps is an int >= 1 (type(steps) is int: True and 2.0 are not numbers of steps); check it before "
                 "anything runs", "steps 是 >= 1 的 int（type(steps) is int：True 和 2.0 都不是步数）；在运行任何东西"
                 "之前先检查它")
    if kind == "lr":
        return T("lr is a finite number > 0 (math.isfinite(lr) and lr > 0; a str or a bool is a TypeError); AdamW "
                 "itself accepts lr=0 and trains nothing, and lr=inf turns every trained weight into nan",
                 "lr 是 > 0 的有限数（math.isfinite(lr) and lr > 0；str 或 bool 抛 TypeError）；AdamW 本身接受 lr=0，"
                 "结果什么也不训练，而 lr=inf 会把每个被训练的权重变成 nan")
    return T("check that batch is a mapping holding an input_ids tensor, and raise TypeError",
             "检查 batch 是含 input_ids 张量的映射，否则抛出 TypeError")


NO_GRAD_FORWARD = ("does not require grad", T(
    "you ran the forward inside torch.no_grad() (as for features), so the loss has no graph and backward() has "
    "nothing to go back through: training needs the graph; drop the no_grad around the training forward",
    "你在 torch.no_grad() 里运行了 forward（像提取特征时那样），于是损失没有计算图，backward() 无路可回："
    "训练需要计算图；去掉训练 forward 外面的 no_grad"))
NO_GRAD_CALLER = ("does not require grad", T(
    "inside the caller's torch.no_grad() nothing builds a graph, so backward() has nothing to go back through: "
    "run the steps inside `with torch.enable_grad():`, which switches the graph on for its block only",
    "在调用者的 torch.no_grad() 之中，什么都不会建立计算图，backward() 无路可回："
    "把这几步放进 `with torch.enable_grad():`，它只在自己的代码块里打开计算图"))
ERROR_MISTAKES = [
    ("empty parameter list", T(
        "the optimizer got no parameter: pass it the parameters that require grad",
        "优化器没拿到任何参数：把需要梯度的参数交给它")),
    ("Target size", T(
        "float labels passed to the model's labels= make it use multi-label BCEWithLogitsLoss; pass int64 class "
        "indices (or compute classification_loss(logits, labels) yourself)",
        "把浮点标签传给模型的 labels= 会让它改用多标签的 BCEWithLogitsLoss；应传 int64 类别下标"
        "（或自己计算 classification_loss(logits, labels)）")),
]

TRAINING_MISTAKES = [
    ("accumulate", T("these are the losses of steps whose gradients add up: gradients accumulate across backward() "
                     "calls, so clear them with optimizer.zero_grad() at the start of every step",
                     "这是梯度不断累加时的损失：梯度会在多次 backward() 之间累加，所以每一步开始时都要用 "
                     "optimizer.zero_grad() 清空")),
    ("stale", T("the first step used the caller's stale .grad: clear the gradients before backward(), at the top of "
                "each step, not after optimizer.step()",
                "第一步用上了调用者留下的旧 .grad：要在 backward() 之前、每一步的开头清空梯度，而不是在 "
                "optimizer.step() 之后")),
    ("sgd", T("these are SGD's steps: the docstring's optimizer is torch.optim.AdamW(params, lr=lr)",
              "这是 SGD 的更新：docstring 要求的优化器是 torch.optim.AdamW(params, lr=lr)")),
    ("adam", T("these are Adam's steps (L2 weight decay 0): use torch.optim.AdamW(params, lr=lr), whose decoupled "
               "weight decay is 0.01 by default",
               "这是 Adam 的更新（L2 权重衰减为 0）：应使用 torch.optim.AdamW(params, lr=lr)，它解耦的权重衰减默认是 0.01")),
    ("default_lr", T("these are AdamW's steps with its default lr (1e-3): pass lr=lr to the optimizer",
                     "这是 AdamW 用默认 lr（1e-3）时的更新：把 lr=lr 传给优化器")),
    ("sum", T("the loss is the sum over the batch, not the mean: F.cross_entropy averages by default "
              "(reduction='mean')", "损失是对批次求和，而不是平均：F.cross_entropy 默认取平均（reduction='mean'）")),
]


def diagnose_loss(value, logits, labels):
    """The known wrong losses, each computed by the test from the same logits."""
    F = torch.nn.functional
    x = logits.detach().double()
    one_hot = F.one_hot(labels.long(), x.shape[1]).double()
    known = [
        (cross_entropy64(logits, labels) * len(labels), T(
            "the loss is the sum over the rows; average them (reduction='mean', F.cross_entropy's default)",
            "损失是各行之和；应取平均（reduction='mean'，F.cross_entropy 的默认值）")),
        (cross_entropy64(x.softmax(-1), labels), T(
            "softmax was applied before cross_entropy, which applies log_softmax itself: pass the raw logits",
            "在 cross_entropy 之前先做了 softmax，而 cross_entropy 自己会做 log_softmax：直接传入原始 logits")),
        (F.binary_cross_entropy_with_logits(x, one_hot).item(), T(
            "this is multi-label BCEWithLogitsLoss on one-hot labels (what the model's labels= does with float "
            "labels); single-label classification is cross-entropy over class indices",
            "这是对 one-hot 标签的多标签 BCEWithLogitsLoss（模型的 labels= 拿到浮点标签时就这样做）；"
            "单标签分类用的是对类别下标的交叉熵")),
        (F.nll_loss(x, labels.long()).item(), T(
            "nll_loss wants log-probabilities: it only picks -logits[label]; use F.cross_entropy (log_softmax, then "
            "nll_loss)", "nll_loss 要的是对数概率：它只是取出 -logits[label]；应使用 F.cross_entropy"
            "（先 log_softmax，再 nll_loss）")),
    ]
    for want, mistake in known:
        if abs(value - want) <= LOSS_ATOL * max(1.0, abs(want)):
            return mistake
    return T("the loss is F.cross_entropy(logits, labels): the mean over the rows of -log_softmax(logits)[label]",
             "损失是 F.cross_entropy(logits, labels)：各行 -log_softmax(logits)[label] 的平均")


def unmoved_mistake(still, trainable):
    if len(still) == len(trainable):
        return T("no weight moved: optimizer.step() ran before loss.backward() (or after zero_grad()), when every "
                 ".grad was None, or the optimizer holds other tensors than the model's parameters; order: "
                 "zero_grad(), forward, loss, backward(), step()",
                 "没有任何权重被更新：optimizer.step() 在 loss.backward() 之前（或在 zero_grad() 之后）运行，那时每个 "
                 ".grad 都是 None；或者优化器拿到的不是模型的参数。顺序应为：zero_grad()、forward、loss、"
                 "backward()、step()")
    return T("some trainable parameters did not move: give the optimizer every parameter that requires grad",
             "有些可训练的参数没有被更新：把每个需要梯度的参数都交给优化器")
