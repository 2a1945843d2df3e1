"""The harness's own messages (feedback, observe's checks, the plugin's reports, import errors, incidents)
read in 简体中文 with BERT_KATA_LANG=zh and exactly as before in English. No model is loaded."""

import errno
import re
import signal
import types
from pathlib import Path

import pytest
import torch

from bertkata import feedback, forked, impl, plugin, runner
from bertkata.calls import observe
from bertkata.feedback import KataFailure, KataTimeout
from bertkata.impl import project_root

ROOT = project_root()
FILE = Path("/kata/exercises/e01_pad_batch.py")
STUB_TEXT = "e01_pad_batch.tokenize_batch is not written yet: see its docstring, then `bert-kata hint 1`"
CJK = re.compile(r"[\u4e00-\u9fff]")
# three English words in a row: prose (code such as `model.train(was_training)` has no such run)
PROSE = re.compile(r"(?<![\w.`'\"/-])[A-Za-z]{2,}(?: [A-Za-z]{2,}){2,}(?![\w(`'\"/-])")


@pytest.fixture
def zh(monkeypatch):
    monkeypatch.setenv("BERT_KATA_LANG", "zh")


def chinese(text: str, *english: str, quoting: str = "") -> str:
    """``text`` is 简体中文 prose: Chinese characters, no run of English words (but in ``quoting``, words the
    message quotes from elsewhere), none of ``english``."""
    assert CJK.search(text), text
    prose = PROSE.search(text.replace(quoting, "") if quoting else text)
    assert not prose, f"English prose {prose[0]!r} in:\n{text}"
    for phrase in english:
        assert phrase not in text, f"{phrase!r} in:\n{text}"
    return text


def failure(fn, *args, **kwargs) -> str:
    with pytest.raises(KataFailure) as exc:
        fn(*args, **kwargs)
    return str(exc.value)


def short(exc: BaseException) -> str:
    try:
        raise exc
    except BaseException:  # noqa: BLE001 — an ExceptionInfo needs a raised exception
        info = pytest.ExceptionInfo.from_current()
    return plugin._short(info, FILE.parent, FILE)


# ---------------------------------------------------------------- feedback


def test_expect_tensor_in_chinese(zh):
    text = failure(feedback.expect_tensor, "tokenize_batch(tokenizer, ['你好'])", [[101, 102]])
    chinese(text, "returned", "expected", "likely mistake", "ask the tokenizer")
    assert "可能的错误：" in text and "一个 list" in text and "一个 torch.Tensor" in text
    assert "tokenize_batch(tokenizer, ['你好'])" in text


def test_expect_tensor_and_ids_in_english():
    assert failure(feedback.expect_tensor, "f()", [[1]]) == (
        "f()\n  returned: a list\n  expected: a torch.Tensor\n"
        '  likely mistake: ask the tokenizer for PyTorch tensors with return_tensors="pt"')
    assert failure(feedback.expect_tensor, "f()", torch.zeros(2, 3), shape=[2, 4], mistakes={"shape": "m"}) == (
        "f()\n  returned: shape [2, 3]\n  expected: shape [2, 4]\n  likely mistake: m")
    assert failure(feedback.expect_ids, "g()", [[1, 2]], [[1, 3]], lambda ids: [f"t{i}" for i in ids], "m") == (
        "g()\n  returned: row 0: [1, 2]\n            tokens ['t1', 't2']\n"
        "  expected: row 0: [1, 3]\n            tokens ['t1', 't3']\n  likely mistake: m")


def test_shapes_values_and_rows_in_chinese(zh):
    text = failure(feedback.expect_tensor, "f()", torch.zeros(2, 3), shape=[2, 4], mistakes={"shape": "形状不对"})
    assert "形状 [2, 3]" in chinese(text, "shape [")
    text = failure(feedback.expect_close, "f()", torch.tensor([1.0, 2.0]), torch.tensor([1.0, 2.5]), atol=1e-4)
    chinese(text, "differing", "yours", "within")
    assert "位置 (1,)：你的 2，期望 2.5" in text
    text = failure(feedback.expect_ids, "g()", [[1, 2]], [[1, 3]], lambda ids: [f"t{i}" for i in ids], "错")
    assert "第 0 行：[1, 2]" in chinese(text, "row 0", "tokens [")
    assert "不是词表中的 id" in feedback._safe_decode(lambda ids: [][ids[0]], [-1])


# ---------------------------------------------------------------- observe's checks


class _Tokenizer:
    padding_side = "right"

    def __len__(self):
        return 21128


def _mutates(rows):
    rows.append([0])
    return rows


def _pads_left(tokenizer, rows):
    tokenizer.padding_side = "left"
    return rows


def _no_grad(rows):
    torch.set_grad_enabled(False)
    return rows


def test_observe_checks_in_chinese(zh):
    rec = observe("pad_token_ids(rows, 0)", _mutates, [[1, 2]])
    text = chinese(failure(rec.expect_inputs_unchanged), "changed the caller", "never change", "items long")
    assert "参数 rows 原有 1 项，现在有 2 项" in text
    tok = _Tokenizer()
    rec = observe("tokenize_batch(tokenizer, rows)", _pads_left, tok, [[1]], tokenizer=tok)
    text = chinese(failure(rec.expect_tokenizer_kept), "then the tokenizer", "changed:")
    assert "padding_side 原为 'right'，现为 'left'" in text
    try:
        rec = observe("encode(rows)", _no_grad, [[1]])
        chinese(failure(rec.expect_grad_mode_kept), "gradients were", "then torch")
    finally:
        torch.set_grad_enabled(True)
    rec = observe("f(1)", lambda x: x)
    rec.error, rec.where = ValueError("bad"), "e01_pad_batch.py:3"
    text = chinese(failure(rec.result), "raised", "the input is valid", "(at ")
    assert "抛出了 ValueError: bad（位置：e01_pad_batch.py:3）" in text
    rec.error = None
    chinese(failure(rec.expect_error, ValueError, "'rows must not be empty'"), "check the input", "saying what",
            quoting="rows must not be empty")


def test_observe_modes_in_chinese(zh):
    model = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.Dropout(0.1)).eval()
    rec = observe("encode(model, x)", lambda m, x: m.train()(x), model, torch.ones(1, 2), model=model)
    chinese(failure(rec.expect_forward_mode, False, "前向传播时模型应处于 eval 模式"), "modules in train mode", " of ")
    chinese(failure(rec.expect_modes_kept), "the model arrived", "then model")


def test_observe_checks_in_english():
    rec = observe("pad_token_ids(rows, 0)", _mutates, [[1, 2]])
    assert failure(rec.expect_inputs_unchanged) == (
        "pad_token_ids(rows, 0)\n  returned: changed the caller's input: the rows was 1 item long, is 2 items long\n"
        "  expected: the inputs as given\n  likely mistake: never change what the caller passed in: work on a copy "
        "(t.clone(), dict(batch), list(rows)) or build new objects with out-of-place operations")
    assert rec.inputs == ["the rows was 1 item long, is 2 items long"]  # the record itself stays English: tests read it
    tok = _Tokenizer()
    rec = observe("t(tokenizer)", _pads_left, tok, [[1]], tokenizer=tok)
    assert "  returned: changed: padding_side was 'right', is 'left'\n" in failure(rec.expect_tokenizer_kept)


def test_every_kind_of_change_reads_in_chinese():
    from bertkata.calls import _change_zh

    notes = {
        "the batch['input_ids'] was replaced by another tensor": "参数 batch['input_ids'] 被换成了另一个张量",
        "the batch['attention_mask'] went from [2, 8] torch.int64 to [2, 1, 8] torch.int64 (an in-place "
        "unsqueeze_/squeeze_/resize_?)": "参数 batch['attention_mask'] 从 [2, 8] torch.int64 变成了 [2, 1, 8] "
                                         "torch.int64（原地调用了 unsqueeze_/squeeze_/resize_？）",
        "the x's values were changed in place": "参数 x 的值被原地修改了",
        "the x.requires_grad went from False to True": "参数 x.requires_grad 从 False 变成了 True",
        "the batch lost the keys ['token_type_ids']": "参数 batch 少了键 ['token_type_ids']",
        "the batch gained the keys ['x']": "参数 batch 多了键 ['x']",
        "argument 2 was a tensor, is a list": "第 2 个参数 原是张量，现在是 list",
        "the batch is no longer a mapping": "参数 batch 不再是映射（mapping）",
        "len(tokenizer) was 21128, is 21129": "len(tokenizer) 原为 21128，现为 21129",
    }
    for en, zh_text in notes.items():
        assert _change_zh(en) == zh_text


# ---------------------------------------------------------------- the plugin's reports


def test_every_stub_names_its_function_in_chinese(zh):
    texts = [m for e in sorted((ROOT / "exercises").glob("e*.py"))
             for m in re.findall(r'"(\w+\.\w+ is not written yet: [^"]*)"', e.read_text(encoding="utf-8"))]
    assert texts and STUB_TEXT in texts
    for text in texts:
        message = chinese(short(NotImplementedError(text)), "not written", "still the stub", "write it in")
        assert message.startswith(f"仍是存根（stub）：{text.split(' ')[0]} 还没有实现") and str(FILE) in message


def test_stub_and_own_not_implemented_in_english():
    assert short(NotImplementedError(STUB_TEXT)) == (
        f"still the stub: {STUB_TEXT}\n  write it in {FILE}, then run the check again.")
    assert short(NotImplementedError("mine")).startswith("still the stub: mine\n")


def test_incidents_in_chinese(zh):
    chinese(plugin.cpu_timeout(10), "processor time", "endless loop")
    chinese(plugin.wall_timeout(60), "ran longer", "endless loop")
    chinese(short(KataTimeout(plugin.cpu_timeout(10))))
    memory = chinese(short(MemoryError()), "ran out of memory")
    assert plugin._tag(MemoryError(), memory) == runner.OUT_OF_MEMORY
    exits = chinese(short(SystemExit(3)), "which ends")
    assert "sys.exit(3)" in exits and plugin._tag(SystemExit(3), exits) == runner.EXITS
    chinese(short(OSError(errno.EFBIG, "File too large")), "wrote more")
    printed = plugin._printed("\n".join(f"line {i}" for i in range(20)))
    assert "本测试运行期间的输出" in printed and "前面还有 5 行" in printed and "printed during" not in printed


def test_incidents_in_english():
    assert plugin.cpu_timeout(10) == ("this test used more than 10 s of processor time: is there an endless loop "
                                      "(a `while` that never ends, a recursion without end) in your code?")
    assert short(SystemExit(3)) == ("your code calls sys.exit(3) (or exit/quit), which ends the whole program: "
                                    "a function hands back its result with `return`")
    assert plugin._printed("hi") == ("\n  printed during this test (your print() calls, warnings from libraries):"
                                     "\n    hi")


def test_a_rust_backtrace_is_one_line():
    """A tokenizers panic under RUST_BACKTRACE=1 prints hundreds of frames; the panic's message and the
    learner's own print() stay, the frames do not."""
    panic = ["my print", "thread '<unnamed>' panicked at src/tokenizer/encoding.rs:319:9:",
             "`stride` must be strictly less than `max_len=6`", "stack backtrace:",
             *[f"  {i}: tokenizers::tokenizer::f{i}" for i in range(40)], "      at src/lib.rs:1",
             "note: Some details are omitted, run with `RUST_BACKTRACE=full` for a verbose backtrace.",
             "after the panic"]
    printed = plugin._printed("\n".join(panic))
    assert "my print" in printed and "strictly less" in printed and "after the panic" in printed
    assert "tokenizers::tokenizer::f" not in printed and "Rust stack backtrace is left out" in printed
    assert "lines before these" not in printed


def test_processes_that_end_in_chinese(zh):
    child = forked.Child(0, -1, forked.Limits(timeout=10.0))
    child.test = "tests/test_e01_pad_batch.py::test_pads"
    for status in (signal.SIGKILL, signal.SIGSEGV, 3 << 8, forked.HARNESS_FAILED << 8):
        incident, note = child.died(status)
        assert incident in runner.INCIDENTS
        chinese(note, "during test", "the process")
        assert "test_pads" in note
    child.test, child.killed = None, "timeout"
    chinese(child.died(0)[1], "ran longer", "importing the module")


def test_processes_that_end_in_english():
    assert forked.ended(3 << 8, "test test_pads")[1] == (
        "the process ended with exit code 3 during test test_pads: your code calls os._exit() "
        "(or exit in native code); return a value instead")


# ---------------------------------------------------------------- import errors


def test_import_errors_in_chinese(zh, tmp_path):
    missing = impl.Impl(types.ModuleType("m"), FILE, 1)
    with pytest.raises(impl.MissingFunction) as exc:
        missing.tokenize_batch
    text = chinese(str(exc.value), "has no function", "put it back")
    assert "`tokenize_batch`" in text and "bert-kata reset 1" in text
    (tmp_path / "e01_pad_batch.py").write_text("import torhc\n", encoding="utf-8")
    with pytest.raises(impl.ImplError) as exc:
        impl.load(tmp_path, "e01_pad_batch", fresh=True)
    assert "torhc" in chinese(str(exc.value), "check the name", "raised", quoting="No module named")
    (tmp_path / "e01_pad_batch.py").write_text("def f(:\n", encoding="utf-8")
    with pytest.raises(impl.ImplError) as exc:
        impl.load(tmp_path, "e01_pad_batch", fresh=True)
    assert "第 1 行有语法错误" in chinese(str(exc.value), "syntax error", "save again")
    (tmp_path / "e01_pad_batch.py").write_text("import sys\nsys.exit(2)\n", encoding="utf-8")
    with pytest.raises(impl.ImplError) as exc:
        impl.load(tmp_path, "e01_pad_batch", fresh=True)
    assert plugin._tag(exc.value, chinese(str(exc.value), "top level")) == runner.EXITS


def test_import_errors_in_english(tmp_path):
    with pytest.raises(impl.MissingFunction) as exc:
        impl.Impl(types.ModuleType("m"), FILE, 1).tokenize_batch
    assert str(exc.value) == (f"{FILE} has no function `tokenize_batch`: put it back (its stub is restored by "
                              "`bert-kata reset 1`).")
    (tmp_path / "e01_pad_batch.py").write_text("import sys\nsys.exit(2)\n", encoding="utf-8")
    with pytest.raises(impl.ImplError) as exc:
        impl.load(tmp_path, "e01_pad_batch", fresh=True)
    assert str(exc.value) == (f"importing {tmp_path / 'e01_pad_batch.py'} raised SystemExit: 2 (line 2); code at the "
                              "top level of the file runs on import, so move it into a function or fix it.")


def test_the_sandbox_worker_writes_in_the_run_language(zh):
    from bertkata import sandbox

    assert sandbox._environment()["BERT_KATA_LANG"] == "zh"
