"""Failure messages that teach, in one template.

Every failed check says four things::

    <the call>
      returned: <what came back>
      expected: <what bert-base-chinese really does>
      likely mistake: <the misconception, in a learner's words>

in the run's language (``返回：``, ``期望：``, ``可能的错误：`` in 简体中文; see
:mod:`bertkata.i18n`). Any part may be a :class:`bertkata.i18n.T`.

Tensors are summarised (shape, dtype, the first differing positions), never
dumped. :class:`KataFailure` is an ``AssertionError``, so hypothesis shrinks
it like any failed assert; the pytest plugin prints it without a traceback.
"""

from __future__ import annotations

from typing import Any, Callable, NoReturn, Sequence

from bertkata.i18n import T, current, say

MAX_INLINE = 24


class KataFailure(AssertionError):
    """A check failed; the message is the whole story."""


class KataTimeout(BaseException):
    """A test ran past its time limit. Not an ``Exception``: hypothesis would catch one and replay
    the example, and a learner's endless loop would then run again with no timer (pytest-timeout
    fires only once)."""


RETURNED = T("returned", "返回")
EXPECTED = T("expected", "期望")
MISTAKE = T("likely mistake", "可能的错误")


def template(call: Any, got: Any, expected: Any, mistake: Any = None) -> str:
    """The four lines, in the run's language (:mod:`bertkata.i18n`); any part may be a :class:`T`."""
    colon = "：" if current() == "zh" else ": "
    lines = [str(call), f"  {RETURNED}{colon}{got}", f"  {EXPECTED}{colon}{expected}"]
    if mistake:
        lines.append(f"  {MISTAKE}{colon}{mistake}")
    return "\n".join(lines)


def fail(call: Any, got: Any, expected: Any, mistake: Any = None) -> NoReturn:
    raise KataFailure(template(call, got, expected, mistake))


def check(ok: bool, call: Any, got: Any, expected: Any, mistake: Any = None) -> None:
    if not ok:
        fail(call, got, expected, mistake)


def summary(x: Any) -> str:
    """A short description: small values in full, big tensors by shape and dtype."""
    try:
        import torch
    except ImportError:  # pragma: no cover
        torch = None
    if torch is not None and isinstance(x, torch.Tensor):
        head = f"tensor(shape={list(x.shape)}, dtype={x.dtype}"
        if x.is_floating_point() and bool(x.detach().isnan().any()):
            head += say(", holding NaN", ", 含 NaN")
        if x.numel() <= MAX_INLINE and x.dtype != torch.bool:
            return head + f", values={x.tolist()})"
        if x.numel() <= MAX_INLINE:
            return head + f", values={x.int().tolist()})"
        return head + ")"
    text = repr(x)
    return text if len(text) <= 300 else text[:297] + "..."


def type_name(x: Any) -> str:
    t = type(x)
    return t.__name__ if t.__module__ == "builtins" else f"{t.__module__}.{t.__qualname__}"


def expect_tensor(call: str, got: Any, *, shape: Sequence[int] | None = None, dtype=None,
                  mistakes: dict[str, str] | None = None) -> None:
    """Check that ``got`` is a tensor with the given shape and dtype."""
    import torch

    mistakes = mistakes or {}
    if not isinstance(got, torch.Tensor):
        fail(call, say(f"a {type_name(got)}", f"一个 {type_name(got)}"), say("a torch.Tensor", "一个 torch.Tensor"),
             mistakes.get("type", T('ask the tokenizer for PyTorch tensors with return_tensors="pt"',
                                    '调用分词器时传 return_tensors="pt"，让它返回 PyTorch 张量')))
    if shape is not None and list(got.shape) != list(shape):
        fail(call, say(f"shape {list(got.shape)}", f"形状 {list(got.shape)}"),
             say(f"shape {list(shape)}", f"形状 {list(shape)}"), mistakes.get("shape"))
    if dtype is not None and got.dtype != dtype:
        fail(call, f"dtype {got.dtype}", f"dtype {dtype}", mistakes.get("dtype"))


def first_differences(got, expected, atol: float = 0.0, limit: int = 3) -> list[str]:
    """The first few positions where two same-shape tensors differ by more than ``atol``."""
    diff = (got.double() - expected.double()).abs().nan_to_num(nan=float("inf"))  # a NaN differs
    bad = (diff > atol).nonzero()[:limit]
    line = T("at {at}: yours {g:.6g}, expected {e:.6g}", "位置 {at}：你的 {g:.6g}，期望 {e:.6g}")
    return [str(line.format(at=tuple(i.tolist()), g=got[tuple(i)].item(), e=expected[tuple(i)].item()))
            for i in bad]


def expect_close(call: str, got, expected, *, atol: float, mistake: str | None = None) -> None:
    """Tensor equality within ``atol``, reporting shapes and the first differing positions."""
    import torch

    expect_tensor(call, got, shape=expected.shape)
    if not torch.allclose(got.double(), expected.double(), atol=atol, rtol=0.0):
        where = say("; ", "；").join(first_differences(got, expected, atol))
        biggest = (got.double() - expected.double()).abs().nan_to_num(nan=float("inf")).max().item()
        fail(call, say(f"values differing by up to {biggest:.3g} ({where})", f"数值最多相差 {biggest:.3g}（{where}）"),
             say(f"the same values within {atol:g}", f"误差在 {atol:g} 以内的相同数值") if atol
             else say("exactly the same values", "完全相同的数值"), mistake)


def _safe_decode(decode, ids) -> str:
    """Tokens for ids; an id outside the vocabulary (-1, say) shows as '<not an id: -1>'."""
    out = []
    for t in ids:
        try:
            out.append(decode([t])[0])
        except (OverflowError, IndexError, TypeError, ValueError):
            out.append(say(f"<not an id: {t}>", f"<不是词表中的 id：{t}>"))
    return str(out)


def expect_ids(call: str, got: Sequence[Sequence[int]], expected: Sequence[Sequence[int]],
               decode: Callable[[Sequence[int]], list[str]] | None = None, mistake: str | None = None) -> None:
    """Compare id rows; on a mismatch show the first differing row decoded to tokens on both sides."""
    got, expected = [list(r) for r in got], [list(r) for r in expected]
    if got == expected:
        return
    for i, (g, e) in enumerate(zip(got, expected)):
        if g != e:
            break
    else:
        i = min(len(got), len(expected))
        fail(call, say(f"{len(got)} rows", f"{len(got)} 行"), say(f"{len(expected)} rows", f"{len(expected)} 行"),
             mistake)
    g, e = got[i], expected[i]
    row, tokens = say(f"row {i}: ", f"第 {i} 行："), say("tokens ", "token：")
    shown_g = f"{row}{g}" + (f"\n            {tokens}{_safe_decode(decode, g)}" if decode else "")
    shown_e = f"{row}{e}" + (f"\n            {tokens}{_safe_decode(decode, e)}" if decode else "")
    fail(call, shown_g, shown_e, mistake)
