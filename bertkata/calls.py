"""Calling the learner's code: the one way every exercise test does it.

``observe(call, fn, *args, model=..., tokenizer=...)`` calls ``fn`` once and
hands back an :class:`Observed`: what it returned or raised, and what it
changed — the caller's arguments, torch's grad mode, the model's train/eval
flag on every submodule (after the call and during each forward), its
``requires_grad`` flags and gradients, the tokenizer's settings. The record
is plain data, so the same checks work wherever the call ran.

The ``expect_*`` methods turn a record into a failure in the four-line
template of :mod:`bertkata.feedback`, naming the specific mistake.
A stub's ``NotImplementedError`` passes straight through, so the plugin
reports "still the stub".
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sized
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from bertkata.feedback import KataFailure, check, fail, summary, type_name
from bertkata.forked import in_child
from bertkata.i18n import T, current, say

# Tokenizer settings a function given the caller's tokenizer must leave alone.
TOKENIZER_STATE = ("padding_side", "truncation_side", "model_max_length", "pad_token", "cls_token",
                   "sep_token", "unk_token", "mask_token")
LONG_MESSAGE = 2000  # characters: an error message longer than this is a printout, not an explanation
LONG_LINES = 20  # lines: so is one this many lines long (print(model) is about 30 lines, 1600 characters)
VALID_INPUT = T("a result: the input is valid here", "正常返回结果：这里的输入是合法的")


@dataclass
class Forward:
    """How the model's forward was entered (from a forward pre-hook)."""
    training: bool  # model.training
    modules_training: int  # how many submodules (Dropout included) were in train mode
    modules: int
    grad_enabled: bool
    positional: int
    keys: tuple[str, ...]
    requiring_grad: int = -1  # how many parameters had requires_grad set (-1: not recorded)
    in_train: tuple[str, ...] = ()  # the first few submodules in train mode (names)


@dataclass
class Observed:
    call: str
    value: Any = None
    error: BaseException | None = None
    where: str = ""  # "exercises/e03_model_forward.py:42" for an error raised in the learner's file
    forwards: list[Forward] = field(default_factory=list)
    grad_mode: tuple[bool, bool] = (True, True)  # before, after
    modes: list[tuple[str, bool, bool]] = field(default_factory=list)  # (module, before, after) that changed
    modules: int = 0
    flags: list[tuple[str, bool, bool]] = field(default_factory=list)  # (parameter, before, after) that changed
    grads: list[str] = field(default_factory=list)  # parameters whose .grad changed
    inputs: list[str] = field(default_factory=list)  # how the caller's arguments changed
    tokenizer: list[str] = field(default_factory=list)  # tokenizer settings that changed
    shares: list[str] = field(default_factory=list)  # what a returned tensor shares memory with
    input_grads: list[Any] = field(default_factory=list)  # with backward=True: d value.sum() / d each input
    facts: dict = field(default_factory=dict)  # with within= or facts=: plain data taken where the call ran

    # ------------------------------------------------------------ the value

    @property
    def raised(self) -> str:
        if self.error is None:
            return ""
        text = f"{type(self.error).__name__}: {self.error}"
        text = text if len(text) <= 400 else text[:397] + "..."
        if current() == "zh":
            return f"抛出了 {text}" + (f"（位置：{self.where}）" if self.where else "")
        return f"raised {text}" + (f" (at {self.where})" if self.where else "")

    def result(self, expected: Any = VALID_INPUT,
               mistakes: list[tuple[str, Any]] = (), default: Any = None) -> Any:
        """The value; if the call raised, fail with what it raised and why that is wrong.

        ``mistakes``: (words found in the exception's type or message, the likely mistake).
        """
        if self.error is None:
            return self.value
        text = f"{type(self.error).__name__}: {self.error}"
        for words, mistake in mistakes:
            if words in text:
                fail(self.call, self.raised, expected, mistake)
        fail(self.call, self.raised, expected,
             default or T("the input is valid here (see the docstring): this call must not raise",
                          "这里的输入是合法的（见 docstring）：这次调用不应抛出异常"))

    def expect_error(self, error: type[BaseException], example: str, mention: str | tuple[str, ...] | None = None,
                     mistake: str | None = None) -> BaseException:
        """The call must have raised ``error`` with a message that says what was expected.

        ``mention``: words the message must contain, only where the docstring's Raises says so; a tuple
        holds the same word in other languages (``("truncat", "截断")``): any one will do.
        """
        words = (mention,) if isinstance(mention, str) else mention
        mention = (words[1] if current() == "zh" and len(words) > 1 else words[0]) if words else None
        want = f"{error.__name__}" + (say(f" mentioning {mention!r}", f"，消息中提到 {mention!r}") if mention
                                      else say(" saying what was expected", "，消息说明期望的是什么"))
        advice = mistake or say(f"check the input before using it and raise {error.__name__}, e.g. {example}",
                                f"使用输入前先检查它，不合法时抛出 {error.__name__}，例如 {example}")
        say_what = T("say what was expected, e.g. {}", "在消息里说明期望的是什么，例如 {}").format(example)
        if self.error is None:
            fail(self.call, summary(self.value), want, advice)
        if not isinstance(self.error, error):
            fail(self.call, self.raised, want, advice)
        message = str(self.error)
        check(_says_something(message), self.call, f"{type(self.error).__name__}({message!r})", want, say_what)
        lines = message.count("\n") + 1
        check(len(message) <= LONG_MESSAGE and lines < LONG_LINES, self.call,
              T("a message of {n} characters on {k} lines", "一条 {k} 行、{n} 个字符的消息").format(
                  n=len(message), k=lines),
              want, T("say in a sentence what was expected; do not print whole objects (a model prints its every layer)",
                      "用一句话说明期望的是什么；不要把整个对象打印出来（打印模型会列出它的每一层）"))
        if words:
            check(any(w.lower() in message.lower() for w in words), self.call,
                  f"{type(self.error).__name__}({message!r})", want, mistake or say_what)
        return self.error

    # ------------------------------------------------------------ side effects

    def expect_inputs_unchanged(self, mistake: str | None = None) -> None:
        if self.inputs:
            fail(self.call, T("changed the caller's input: ", "改动了调用者传入的参数：") + _changes(self.inputs[:3]),
                 T("the inputs as given", "参数保持传入时的原样"),
                 mistake or T("never change what the caller passed in: work on a copy "
                              "(t.clone(), dict(batch), list(rows)) or build new objects with out-of-place operations",
                              "不要改动调用者传进来的任何东西：在副本上操作（t.clone()、dict(batch)、list(rows)），"
                              "或用非原地（out-of-place）操作构造新对象"))

    def expect_grad_mode_kept(self) -> None:
        before, after = self.grad_mode
        if before and not after:
            fail(self.call + T("; then torch.is_grad_enabled()", "；然后 torch.is_grad_enabled()"), False, True,
                 T("gradients were switched off for the caller too: torch.set_grad_enabled(False) (or "
                   "torch.no_grad() called bare, not in a `with`) is global; use `with torch.no_grad():`, "
                   "which ends with its block",
                   "调用者的梯度计算也被关掉了：torch.set_grad_enabled(False)（或不放在 `with` 里、直接调用的 "
                   "torch.no_grad()）是全局生效的；请用 `with torch.no_grad():`，它随代码块结束而失效"))
        if after and not before:
            fail(self.call + T("; then torch.is_grad_enabled()  # the caller was inside torch.no_grad()",
                               "；然后 torch.is_grad_enabled()  # 调用者原本处在 torch.no_grad() 之中"), True, False,
                 T("gradients were switched on for the caller: torch.set_grad_enabled(True) called bare is global; "
                   "use `with torch.enable_grad():`, which ends with its block",
                   "调用者的梯度计算被打开了：直接调用的 torch.set_grad_enabled(True) 是全局生效的；"
                   "请用 `with torch.enable_grad():`，它随代码块结束而失效"))

    def expect_modes_kept(self, mistake: str | None = None) -> None:
        if not self.modes:
            return
        top = [m for m in self.modes if m[0] == ""]
        if top:
            _, before, after = top[0]
            was, now = ("train" if before else "eval"), ("train" if after else "eval")
            advice = say(f"the model arrived in {was} mode and left in {now} mode: remember "
                         "was_training = model.training first and put it back with model.train(was_training)",
                         f"模型传进来时处于 {was} 模式，离开时却是 {now} 模式：先记下 was_training = model.training，"
                         "最后用 model.train(was_training) 恢复")
            if before and not after:
                advice += say("; otherwise a training loop that calls this silently loses its dropout",
                              "；否则，调用它的训练循环会在不知不觉中失去 dropout")
            fail(f"{self.call}{THEN}model.training", after, before, mistake or advice)
        name, before, after = self.modes[0]
        if len(self.modes) == self.modules - 1:  # every submodule, not the model itself
            advice = say(f"model.training is as it was but none of its {self.modules - 1} submodules are: "
                         "`model.training = x` sets one flag; model.train(x) / model.eval() set every submodule's",
                         f"model.training 与原来相同，但它的 {self.modules - 1} 个子模块全都不在原来的模式："
                         "`model.training = x` 只设置这一个标志；model.train(x) / model.eval() 才会设置每个子模块的标志")
        else:
            # the outermost changed module is the part that was switched: model.<part>.eval() / .train()
            part = min((n for n, _, _ in self.modes), key=lambda n: n.count("."))
            verb = "eval" if before else "train"
            advice = say(f"model.{part}.{verb}() (or a loop over some modules) switched {len(self.modes)} of "
                         f"{self.modules} modules out of the mode the caller set: leave every module's mode as it "
                         "was, or put the whole model back with model.train(was_training)",
                         f"model.{part}.{verb}()（或对部分模块的循环）把 {self.modules} 个模块中的 {len(self.modes)} "
                         "个切换出了调用者设定的模式：让每个模块保持原来的模式，或用 model.train(was_training) 恢复整个模型")
        fail(f"{self.call}{THEN}model.{name}.training", after, before, advice)

    def expect_forward_mode(self, training: bool, mistake: str) -> None:
        """Every forward ran with the model (every submodule, each Dropout) in train or eval mode."""
        for f in self.forwards:
            want = f.modules if training else 0
            if f.modules_training != want:
                fail(say(f"{self.call}: modules in train mode during the model's forward",
                         f"{self.call}：模型 forward 期间处于 train 模式的模块"),
                     say(f"{f.modules_training} of {f.modules}", f"{f.modules} 个中有 {f.modules_training} 个"),
                     say(f"{want} of {f.modules}", f"{f.modules} 个中有 {want} 个"), mistake)

    def expect_flags_kept(self, mistake: str | None = None) -> None:
        if not self.flags:
            return
        name, before, after = self.flags[0]
        what = "unfroze" if after else "froze"
        fail(f"{self.call}{THEN}{name}.requires_grad", after, before, mistake or say(
            f"the call {what} {len(self.flags)} parameters the caller had set (e.g. {name}): requires_grad "
            "is the caller's choice; change only what the function is for, and put back what you "
            "changed for the call",
            f"这次调用{'解冻' if after else '冻结'}了调用者设定好的 {len(self.flags)} 个参数（例如 {name}）："
            "requires_grad 由调用者决定；只改这个函数该改的，为这次调用临时改动的要改回去"))

    def expect_grads_kept(self, mistake: str | None = None) -> None:
        if self.grads:
            fail(say(f"{self.call}; then the parameters' .grad", f"{self.call}；然后查看各参数的 .grad"),
                 say(f"changed on {len(self.grads)} parameters, e.g. {self.grads[:2]}",
                     f"{len(self.grads)} 个参数的 .grad 变了，例如 {self.grads[:2]}"),
                 T("as before the call (or None)", "与调用前相同（或为 None）"), mistake or T(
                     "leave the model's .grad as you found it: a gradient left over from your call adds into "
                     "the caller's next backward()",
                     "让模型的 .grad 保持原样：你的调用留下的梯度会累加进调用者下一次 backward() 的结果"))

    def expect_tokenizer_kept(self, mistake: str | None = None) -> None:
        if self.tokenizer:
            fail(say(f"{self.call}; then the tokenizer", f"{self.call}；然后查看分词器"),
                 T("changed: ", "被改动：") + _changes(self.tokenizer[:3]),
                 T("the tokenizer as the caller gave it", "分词器保持调用者给它时的原样"),
                 mistake or T("pass options to the call (tokenizer(..., padding=True)) instead of changing the "
                              "caller's shared tokenizer",
                              "把选项作为参数传给这次调用（tokenizer(..., padding=True)），不要改动调用者共享的分词器"))

    def expect_kept(self, inputs: str | None = None, grad_mode: bool = False,
                    tokenizer: str | None = None) -> "Observed":
        """The caller's arguments as they were (``inputs``: the likely mistake when they changed),
        with ``grad_mode=True`` torch's grad mode too, and the tokenizer's settings, when the call was
        observed with ``tokenizer=`` (``tokenizer``: the likely mistake). Returns the record, to go on
        with: ``observe(...).expect_kept(...).result()``."""
        self.expect_inputs_unchanged(inputs)
        if grad_mode:
            self.expect_grad_mode_kept()
        self.expect_tokenizer_kept(tokenizer)
        return self

    @property
    def input_grad(self) -> Any:
        """With ``backward=True``: the gradient of the returned tensor's sum with respect to the first input
        tensor that requires grad, or None when none reaches it."""
        return self.input_grads[0] if self.input_grads else None

    def expect_no_side_effects(self, modes: bool = True, flags: bool = True, grads: bool = False) -> None:
        """Everything the call could change is as it was (the usual contract)."""
        self.expect_inputs_unchanged()
        self.expect_grad_mode_kept()
        if modes:
            self.expect_modes_kept()
        if flags:
            self.expect_flags_kept()
        if grads:
            self.expect_grads_kept()
        self.expect_tokenizer_kept()


THEN = T("; then ", "；然后 ")
# observe's notes of what a call changed, in 简体中文; the notes stay English (tests read their words)
_CHANGED_ZH = [(re.compile(a, re.S), b) for a, b in (
    (r"(?P<l>.+) was a tensor, is a (?P<a>.+)", "{l} 原是张量，现在是 {a}"),
    (r"(?P<l>.+) was replaced by another tensor", "{l} 被换成了另一个张量"),
    (r"(?P<l>.+) went from (?P<a>.+) to (?P<b>.+) \(an in-place unsqueeze_/squeeze_/resize_\?\)",
     "{l} 从 {a} 变成了 {b}（原地调用了 unsqueeze_/squeeze_/resize_？）"),
    (r"(?P<l>.+)'s values were changed in place", "{l} 的值被原地修改了"),
    (r"(?P<l>.+)\.requires_grad went from (?P<a>\w+) to (?P<b>\w+)", "{l}.requires_grad 从 {a} 变成了 {b}"),
    (r"(?P<l>.+) is no longer a mapping", "{l} 不再是映射（mapping）"),
    (r"(?P<l>.+) lost the keys (?P<a>\[.*\])", "{l} 少了键 {a}"),
    (r"(?P<l>.+) gained the keys (?P<a>\[.*\])", "{l} 多了键 {a}"),
    (r"(?P<l>.+) was a (?P<t>list|tuple) of (?P<a>\d+) items?, is (?P<b>.+)", "{l} 原是含 {a} 项的 {t}，现在是{b}"),
    (r"(?P<l>.+) was (?P<a>\d+) items? long, is (?P<b>\d+) items? long", "{l} 原有 {a} 项，现在有 {b} 项"),
    (r"(?P<l>.+?) was (?P<a>.+), is (?P<b>.+)", "{l} 原为 {a}，现为 {b}"),
)]


def _items(n: int) -> str:
    return f"{n} item" if n == 1 else f"{n} items"


def _kind(x: Any) -> str:
    """What a value is, for a note on what replaced an argument: ``a torch.Tensor of shape [7]``, ``a dict``."""
    import torch

    if isinstance(x, torch.Tensor):
        return f"a torch.Tensor of shape {list(x.shape)}"
    t = type(x)
    name = t.__name__ if t.__module__ == "builtins" else f"{t.__module__}.{t.__qualname__}"
    article = "an" if name[0].lower() in "aeiou" else "a"
    return f"{article} {name} of {_items(len(x))}" if isinstance(x, Sized) and not isinstance(x, (str, bytes)) \
        else f"{article} {name}"


def _kind_zh(kind: str) -> str:
    """:func:`_kind`'s words in 简体中文 (anything else unchanged)."""
    m = re.fullmatch(r"a torch\.Tensor of shape (\[.*\])", kind)
    if m:
        return f"形状为 {m[1]} 的 torch.Tensor"
    m = re.fullmatch(r"an? (\S+) of (\d+) items?", kind)
    if m:
        return f"含 {m[2]} 项的 {m[1]}"
    m = re.fullmatch(r"an? (\S+)", kind)
    return f"一个 {m[1]}" if m else kind


def _label_zh(label: str) -> str:
    """``the batch['input_ids']`` → ``参数 batch['input_ids']``; ``argument 2`` → ``第 2 个参数``."""
    if label.startswith("the "):
        return "参数 " + label[4:]
    return re.sub(r"^argument (\d+)", r"第 \1 个参数", label)


def _change_zh(note: str) -> str:
    for pattern, zh in _CHANGED_ZH:
        m = pattern.fullmatch(note)
        if m:
            groups = {k: _kind_zh(v) if k == "b" else v for k, v in m.groupdict().items()}
            return zh.format(**{**groups, "l": _label_zh(m["l"])})
    return note


def _changes(notes: list[str]) -> T:
    """Notes of what a call changed, joined, in both languages."""
    return T("; ".join(notes), "；".join(_change_zh(n) for n in notes))


def _says_something(message: str) -> bool:
    """An empty or one-word message ("bad", "3") explains nothing; "not a str: 3" or "不是字符串" does."""
    text = message.strip()
    return len(text) >= 8 or sum(ord(ch) > 0x2E7F for ch in text) >= 4


# ---------------------------------------------------------------- snapshots


def _snapshot(x: Any, depth: int = 0) -> Any:
    """A deep copy of plain data and tensors, for comparing after the call; other objects by identity."""
    import torch

    if depth > 6:
        return ("id", id(x))
    if isinstance(x, torch.Tensor):
        return ("tensor", id(x), x.detach().clone(), x.requires_grad)
    if isinstance(x, Mapping):
        return ("mapping", id(x), {k: _snapshot(v, depth + 1) for k, v in x.items()})
    if isinstance(x, (list, tuple)):
        return (type(x).__name__, id(x), [_snapshot(v, depth + 1) for v in x])
    if isinstance(x, (str, bytes, int, float, bool, type(None))):
        return ("value", x)
    return ("id", id(x))


def _differences(before: Any, now: Any, label: str, depth: int = 0) -> list[str]:
    import torch

    kind = before[0]
    if kind == "value":
        same = before[1] == now or (isinstance(now, float) and isinstance(before[1], float)
                                    and math.isnan(now) and math.isnan(before[1]))
        return [] if same else [f"{label} was {before[1]!r}, is {now!r}"]
    if kind == "id":
        return []
    if kind == "tensor":
        _, ident, data, requires_grad = before
        if not isinstance(now, torch.Tensor):
            return [f"{label} was a tensor, is a {type_name(now)}"]
        out = []
        if id(now) != ident:
            return [f"{label} was replaced by another tensor"]
        if list(now.shape) != list(data.shape) or now.dtype != data.dtype:
            out.append(f"{label} went from {list(data.shape)} {data.dtype} to {list(now.shape)} {now.dtype} "
                       "(an in-place unsqueeze_/squeeze_/resize_?)")
        elif not torch.equal(now.detach(), data) and not (
                now.is_floating_point() and torch.equal(now.detach().isnan(), data.isnan())
                and torch.equal(now.detach().nan_to_num(), data.nan_to_num())):
            out.append(f"{label}'s values were changed in place")
        if now.requires_grad != requires_grad:
            out.append(f"{label}.requires_grad went from {requires_grad} to {now.requires_grad}")
        return out
    if kind == "mapping":
        _, ident, items = before
        if not isinstance(now, Mapping):
            return [f"{label} is no longer a mapping"]
        out = []
        gone, added = [k for k in items if k not in now], [k for k in now if k not in items]
        if gone:
            out.append(f"{label} lost the keys {gone}")
        if added:
            out.append(f"{label} gained the keys {added}")
        for k, v in items.items():
            if k in now:
                out += _differences(v, now[k], f"{label}[{k!r}]", depth + 1)
        return out
    # list or tuple
    _, ident, items = before
    if not isinstance(now, (list, tuple)):  # replaced by another kind of value: say which
        return [f"{label} was a {before[0]} of {_items(len(items))}, is {_kind(now)}"]
    if len(now) != len(items):
        return [f"{label} was {_items(len(items))} long, is {_items(len(now))} long"]
    out = []
    for i, (v, n) in enumerate(zip(items, now)):
        out += _differences(v, n, f"{label}[{i}]", depth + 1)
    return out


def _tokenizer_state(tok) -> dict:
    state = {k: getattr(tok, k, None) for k in TOKENIZER_STATE}
    state["len(tokenizer)"] = len(tok)
    # not the backend's padding/truncation: transformers rewrites them on every call
    return state


def _grad_key(p) -> Any:
    import torch

    g = p.grad
    if g is None:
        return None
    with torch.no_grad():
        return (id(g), g._version, g.sum(dtype=torch.float64).item(), g.abs().sum(dtype=torch.float64).item())


def _learner_frame(exc: BaseException, fn: Callable) -> str:
    import traceback

    code = getattr(fn, "__code__", None) or getattr(getattr(fn, "__func__", None), "__code__", None)
    if code is None:
        return ""
    target = Path(code.co_filename).resolve()
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if Path(frame.filename).resolve() == target:
            return f"{Path(frame.filename).name}:{frame.lineno}"
    return ""


def _in_train(modules) -> tuple[str, ...]:
    """A few submodules in train mode, Dropout layers first (they are what train mode changes)."""
    import torch

    dropout = [n for n, m in modules if n and m.training and isinstance(m, torch.nn.Dropout)]
    return tuple((dropout or [n for n, m in modules if n and m.training])[:3])


_SIGNATURES: dict[int, tuple[Callable, Any]] = {}  # id -> (function, signature): a test calls one function many times


def _signature(fn: Callable):
    import inspect

    known = _SIGNATURES.get(id(fn))
    if known is not None and known[0] is fn:
        return known[1]
    sig = inspect.signature(fn)
    _SIGNATURES[id(fn)] = (fn, sig)
    return sig


def _argument_names(fn: Callable, args: tuple, kwargs: dict) -> list[tuple[str, Any]]:
    """(parameter name, value) for each argument; 'argument N' where the signature cannot say."""
    try:
        bound = _signature(fn).bind(*args, **kwargs)
        return [(f"the {name}", value) for name, value in bound.arguments.items()]
    except (TypeError, ValueError):
        return [(f"argument {i + 1}", a) for i, a in enumerate(args)] + [(f"{k}=", a) for k, a in kwargs.items()]


def _tensors_in(x: Any, label: str, depth: int = 0):
    """(label, tensor) for the tensors in ``x``: itself, or in a list, tuple, mapping or model output."""
    import torch

    if isinstance(x, torch.Tensor):
        yield label, x
    elif depth < 3 and isinstance(x, Mapping):
        for k, v in x.items():
            yield from _tensors_in(v, f"{label}[{k!r}]", depth + 1)
    elif depth < 3 and isinstance(x, (list, tuple)):
        for i, v in enumerate(x):
            yield from _tensors_in(v, f"{label}[{i}]", depth + 1)


def _shares(value: Any, named: list[tuple[str, Any]], model) -> list[str]:
    """What the returned tensors share memory with: the caller's arguments, the model's weights or .grad."""
    mine = {t.untyped_storage().data_ptr() for _, t in _tensors_in(value, "") if t.numel()}
    if not mine:
        return []
    theirs = [(label, t) for name, a in named for label, t in _tensors_in(a, name)]
    if model is not None:
        for n, p in model.named_parameters():
            theirs.append((n, p))
            if p.grad is not None:
                theirs.append((f"{n}.grad", p.grad))
    return [label for label, t in theirs if t.numel() and t.untyped_storage().data_ptr() in mine]


def _input_grads(value: Any, named: list[tuple[str, Any]]) -> list[Any]:
    """The gradient of ``value.sum()`` with respect to each input tensor that requires grad."""
    import torch

    inputs = [t for name, a in named for _, t in _tensors_in(a, name) if t.requires_grad and t.is_leaf]
    if not (inputs and isinstance(value, torch.Tensor) and value.requires_grad):
        return [None] * len(inputs)
    try:
        with torch.enable_grad():
            return list(torch.autograd.grad(value.sum(), inputs, allow_unused=True))
    except RuntimeError:  # a graph backward() cannot go through: no gradient reaches the inputs
        return [None] * len(inputs)


def observe(call: str, fn: Callable, *args, model=None, tokenizer=None, grads: bool = False,
            backward: bool = False, within: Callable | None = None, facts: Callable | None = None,
            weights: bool = False, **kwargs) -> Observed:
    """Call ``fn(*args, **kwargs)`` and record what it returned or raised and what it changed.

    ``model`` (a ``torch.nn.Module``) is watched for train/eval flags on every submodule, during each
    forward and after; ``requires_grad`` flags; and, with ``grads=True``, its ``.grad`` tensors.
    ``tokenizer`` is watched for its settings. Every other argument is compared before and after.
    ``backward=True`` also records the gradient of the returned tensor's sum with respect to each input
    tensor that requires grad (:attr:`Observed.input_grads`), taken where the call ran.
    ``within()`` gives a context manager the call runs in (files, environment); the dict it yields, as it
    is on exit, goes into :attr:`Observed.facts`, and so does ``facts(value)``, a dict of plain data
    about the value (a tokenizer or a model does not cross the sandbox; what is true of it does). Both
    must be functions of this package (or ``functools.partial`` of them): the worker imports them.
    ``weights=True``: the call changes the shared model's weights (training), and the test reads them
    afterwards; a sandboxed call then sends them both ways (here they are the same tensors anyway).

    A function of a sandboxed learner (:mod:`bertkata.sandbox`) is called in its worker, which runs
    this same function there and sends the record back as data.
    """
    remote = getattr(fn, "observe_remote", None)
    if remote is not None:
        return remote(call, args, kwargs, model=model, tokenizer=tokenizer, grads=grads, backward=backward,
                      within=within, facts=facts, weights=weights)
    import torch

    from bertkata.feedback import KataTimeout

    named = _argument_names(fn, args, kwargs)
    names = [n for n, a in named if a is not model and a is not tokenizer]
    watched = [a for n, a in named if a is not model and a is not tokenizer]
    snaps = [_snapshot(a) for a in watched]
    record = Observed(call)
    grad_before = torch.is_grad_enabled()
    tok_before = _tokenizer_state(tokenizer) if tokenizer is not None else None
    context = within() if within is not None else nullcontext({})
    notes = context.__enter__()
    handle = None
    if model is not None:
        modules = list(model.named_modules())
        modes_before = [m.training for _, m in modules]
        params = list(model.named_parameters())
        flags_before = [p.requires_grad for _, p in params]
        grads_before = [_grad_key(p) for _, p in params] if grads else None

        def hook(module, hook_args, hook_kwargs):
            record.forwards.append(Forward(
                module.training, sum(m.training for _, m in modules), len(modules), torch.is_grad_enabled(),
                len(hook_args), tuple(sorted(hook_kwargs)), sum(p.requires_grad for _, p in params),
                _in_train(modules)))

        handle = model.register_forward_pre_hook(hook, with_kwargs=True)
    try:
        record.value = fn(*args, **kwargs)
    except (NotImplementedError, KataFailure, KataTimeout, SystemExit, MemoryError):
        raise  # the test run reports these itself (still the stub, a time limit, an exit, out of memory)
    except KeyboardInterrupt as exc:
        if not in_child():  # Ctrl-C; in a child running learner code SIGINT is ignored: the code raised it
            raise
        record.error = exc
        record.where = _learner_frame(exc, fn)
    except BaseException as exc:  # noqa: BLE001 — a learner's function may raise anything
        record.error = exc
        record.where = _learner_frame(exc, fn)
    finally:
        if handle is not None:
            handle.remove()
        context.__exit__(None, None, None)
    record.facts = dict(notes) if isinstance(notes, dict) else {}
    if facts is not None and record.error is None:
        record.facts.update(facts(record.value))
    record.grad_mode = (grad_before, torch.is_grad_enabled())
    for name, snap, now in zip(names, snaps, watched):
        record.inputs += _differences(snap, now, name)
    if model is not None:
        record.modules = len(modules)
        record.modes = [(n, b, m.training) for (n, m), b in zip(modules, modes_before) if m.training != b]
        record.flags = [(n, b, p.requires_grad) for (n, p), b in zip(params, flags_before) if p.requires_grad != b]
        if grads:
            record.grads = [n for (n, p), b in zip(params, grads_before) if _grad_key(p) != b]
    if tokenizer is not None:
        after = _tokenizer_state(tokenizer)
        record.tokenizer = [f"{k} was {v!r}, is {after[k]!r}" for k, v in tok_before.items() if after[k] != v]
    if record.error is None:
        try:
            record.shares = _shares(record.value, list(zip(names, watched)), model)
        except Exception:  # noqa: BLE001 — a learner's container whose items() raises shares nothing we can see
            record.shares = []
        if backward:
            record.input_grads = _input_grads(record.value, list(zip(names, watched)))
    return record


def observing(fn: Callable, *first, **options) -> Callable[..., Observed]:
    """``fn`` (the learner's function) to be called later, and only through :func:`observe`:
    ``observing(fn, *first, **options)(call, *args, **more)`` is ``observe(call, fn, *first, *args,
    **options, **more)``. Test helpers that call the learner's code take this, never ``fn`` itself."""

    def run(call: str, *args, **more) -> Observed:
        return observe(call, fn, *first, *args, **options, **more)

    run.__name__ = run.__qualname__ = getattr(fn, "__name__", "fn")
    return run
