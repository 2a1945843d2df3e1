"""The kata's pytest plugin (loaded by the project's ``conftest.py``).

- ``--target=exercises|solutions`` (or ``KATA_TARGET``) and ``--impl-dir=PATH``
  (or ``KATA_IMPL_DIR``) choose the implementation under test.
- ``impl`` hands each test the module under test, named after the test file
  (``tests/test_e01_pad_batch.py`` tests ``e01_pad_batch``).
- ``tokenizer``, ``model`` and ``classifier`` are loaded once per process and guarded:
  whatever a test (or a learner's code) does to them is undone before the next test.
- Hypothesis profiles: ``learner`` (quick, the default) and ``ci`` (thorough,
  derandomized), chosen by ``KATA_HYPOTHESIS_PROFILE``.
- Failures raised as ``KataFailure``, a stub's ``NotImplementedError`` and an
  unimportable learner file are reported in plain words, without a traceback.
"""

from __future__ import annotations

import errno
import os
import re
import sys
from pathlib import Path

if "torch" not in sys.modules:
    # torch's OpenMP threads spin between parallel regions by default; on a busy machine that
    # makes the tests' many small forward passes up to 15x slower (1.1 s instead of 0.07 s). Sleep.
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import pytest
from hypothesis import HealthCheck, Phase, settings

from bertkata import shared
from bertkata.feedback import KataFailure, KataTimeout
from bertkata.i18n import say
from bertkata.impl import Impl, ImplError, MissingFunction, load, project_root

# No "explain" phase: after a failure it re-runs the test many times to annotate the falsifying
# example (seconds per failing property: a stub's first check took 9-16 s instead of ~1 s).
PHASES = [p for p in Phase if p is not Phase.explain]
settings.register_profile(
    "learner", max_examples=15, deadline=None, print_blob=True, phases=PHASES,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
settings.register_profile(
    "ci", max_examples=60, deadline=None, derandomize=True, print_blob=True, phases=PHASES,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
# Tests about the tests only need each failure found, not shrunk: few examples, no shrinking.
settings.register_profile(
    "meta", max_examples=8, deadline=None, derandomize=True, print_blob=False,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
settings.load_profile(os.environ.get("KATA_HYPOTHESIS_PROFILE", "learner"))

PROJECT_DIRS = ("meta", "support")


def pytest_addoption(parser):
    group = parser.getgroup("bert-kata")
    group.addoption("--target", choices=["exercises", "solutions"], default=None,
                    help="which implementation to test (default: exercises, or KATA_TARGET)")
    group.addoption("--impl-dir", default=None, metavar="PATH",
                    help="test the exercise modules in PATH (a learner's submission, a mutant)")
    group.addoption("--kata-shard", default=None, metavar="I/N",
                    help="run only every N-th test, from the I-th (0-based): N processes share one exercise")


def impl_dir(config) -> Path:
    path = config.getoption("--impl-dir") or os.environ.get("KATA_IMPL_DIR")
    if path:
        return Path(path).resolve()
    target = config.getoption("--target") or os.environ.get("KATA_TARGET") or "exercises"
    if target not in ("exercises", "solutions"):
        raise pytest.UsageError(say(f"KATA_TARGET={target!r}: use 'exercises' or 'solutions'",
                                    f"KATA_TARGET={target!r}：只能是 'exercises' 或 'solutions'"))
    return project_root() / target


def pytest_configure(config):
    folder = impl_dir(config)
    if not folder.is_dir():
        raise pytest.UsageError(say(f"{folder} is not a folder of exercise modules", f"{folder} 不是存放练习模块的文件夹"))
    config._kata_impl_dir = folder


def pytest_ignore_collect(collection_path, config):
    """The project's own tests run against the solutions (``make test``), not in a learner's run."""
    tests = project_root() / "tests"
    if collection_path.parent != tests or collection_path.name not in PROJECT_DIRS:
        return None
    if config._kata_impl_dir == project_root() / "solutions":
        return None
    named = [Path(a.split("::")[0]).resolve() for a in config.args]
    if any(collection_path == p or collection_path in p.parents for p in named):
        return None
    return True


def pytest_report_header(config):
    from bertkata.source import ModelSourceError

    try:
        source = shared.source().describe()
    except ModelSourceError as exc:
        source = say(f"unavailable: {exc}", f"不可用：{exc}")
    return [say(f"bert-kata: testing {config._kata_impl_dir}", f"bert-kata：正在测试 {config._kata_impl_dir}"),
            say(f"bert-kata model source: {source}", f"bert-kata 模型来源：{source}")]


def pytest_collection_modifyitems(config, items):
    _group_for_xdist(config, items)
    shard = config.getoption("--kata-shard")
    if shard:
        i, n = (int(x) for x in shard.split("/"))
        keep = [item for k, item in enumerate(items) if k % n == i]
        config.hook.pytest_deselected(items=[item for item in items if item not in keep])
        items[:] = keep
    if any(item.get_closest_marker("pretrained") for item in items):
        if not shared.source().pretrained:
            skip = pytest.mark.skip(reason=say(
                "needs pretrained bert-base-chinese weights; the replica's are random "
                "(get real ones with `bert-kata model download` when online)",
                "需要预训练的 bert-base-chinese 权重；本地副本的权重是随机的"
                "（联网时用 `bert-kata model download` 下载真正的权重）"))
            for item in items:
                if item.get_closest_marker("pretrained"):
                    item.add_marker(skip)


def _group_for_xdist(config, items) -> None:
    """``--dist loadgroup``: tests marked ``xdist_group`` share one worker, in file order. pytest-xdist
    tags their node ids with the group, but pytest 9 keeps node ids elsewhere (``_id``), so the tag
    never took and every group was spread over the workers; tag them where pytest 9 reads them."""
    if not getattr(config.option, "loadgroup", False):
        return
    try:
        from _pytest.nodeid import coerce_node_id
    except ImportError:  # before pytest 9 pytest-xdist's own tag works
        return
    for item in items:
        names = sorted({str(m.args[0] if m.args else m.kwargs.get("name", "default"))
                        for m in item.iter_markers("xdist_group")})
        if names and "@" not in item.nodeid.rsplit("]", 1)[-1]:
            item._id = coerce_node_id(f"{item.nodeid}@{'_'.join(names)}")


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="session")
def _impl_modules(request):
    return {}  # one fresh import of each learner module per session


@pytest.fixture
def impl(request, _impl_modules):
    """The module under test for this test file, from the chosen folder."""
    from bertkata.catalog import by_name

    from bertkata import sandbox

    name = request.module.__name__.rsplit(".", 1)[-1].removeprefix("test_")
    folder = request.config._kata_impl_dir
    if sandbox.current() is not None:  # grading: the learner's code runs in the sandbox, the checks here
        return sandbox.current().module(name, by_name(name).number)
    if name not in _impl_modules:
        try:
            _impl_modules[name] = load(folder, name, fresh=True)
        except ImplError as exc:
            _impl_modules[name] = exc
    loaded = _impl_modules[name]
    if isinstance(loaded, ImplError):
        raise loaded
    return Impl(loaded, folder / f"{name}.py", by_name(name).number)


@pytest.fixture(scope="session")
def source():
    """The resolved :class:`bertkata.source.ModelSource`."""
    return shared.source()


@pytest.fixture(autouse=True)
def _torch_global_state():
    """torch's process-wide settings (grad mode, default dtype, deterministic algorithms, threads,
    global hooks) are put back after every test."""
    if "torch" not in sys.modules:
        yield
        return
    saved = shared.global_state()
    yield
    shared.restore_globals(saved)


@pytest.fixture
def tokenizer(source):
    """bert-base-chinese's tokenizer, shared; whatever a test changes is put back (or it is reloaded)."""
    tok = shared.tokenizer()
    yield tok
    shared.restore_tokenizer()


@pytest.fixture
def model(source):
    """``BertModel`` (eval mode), shared; whatever a test changes is put back, or it is reloaded
    (see :mod:`bertkata.shared`)."""
    yield shared.model()
    shared.restore_model()


@pytest.fixture
def masked_lm(source):
    """``BertForMaskedLM`` (eval mode, decoder tied to the word embeddings), shared and guarded like
    ``model``."""
    yield shared.masked_lm()
    shared.restore_model("masked_lm")


@pytest.fixture
def classifier(source):
    """``BertForSequenceClassification`` (2 labels, eval mode), shared and guarded like ``model``: whatever a
    test changes (its weights included) is put back, or it is reloaded."""
    yield shared.classifier()
    shared.restore_model("classifier")


# ---------------------------------------------------------------- time limit


@pytest.hookimpl(tryfirst=True)
def pytest_timeout_set_timer(item, settings):
    """pytest-timeout's timer, raising :class:`KataTimeout` instead of ending the run; it re-fires
    every second if learner code swallows it. Other timeout methods are left to pytest-timeout.

    The limit counts processor time (``ITIMER_PROF``), not wall time: a busy machine slows a correct
    test down without making it use more processor time, while an endless loop uses it all. Code
    that waits without computing (``time.sleep``) is stopped by a wall-time limit,
    :func:`bertkata.runner.wall_limit` of the same setting."""
    import signal
    import threading

    from bertkata.runner import wall_limit

    if settings.method != "signal" or threading.current_thread() is not threading.main_thread():
        return None
    limit, wall = settings.timeout, wall_limit(settings.timeout)

    def on_cpu(signum, frame):
        raise KataTimeout(cpu_timeout(limit))

    def on_wall(signum, frame):
        raise KataTimeout(wall_timeout(wall))

    def cancel():
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGPROF, signal.SIG_DFL)
        signal.signal(signal.SIGALRM, signal.SIG_DFL)

    item.cancel_timeout = cancel
    signal.signal(signal.SIGPROF, on_cpu)
    signal.signal(signal.SIGALRM, on_wall)
    signal.setitimer(signal.ITIMER_PROF, limit, 1.0)
    signal.setitimer(signal.ITIMER_REAL, wall, 1.0)
    return True


def cpu_timeout(limit: float) -> str:
    return say(f"this test used more than {limit:g} s of processor time: is there an endless loop "
               "(a `while` that never ends, a recursion without end) in your code?",
               f"这个测试用掉了超过 {limit:g} 秒的 CPU 时间：你的代码里是否有死循环"
               "（永不结束的 `while`、没有终止条件的递归）？")


def wall_timeout(wall: float) -> str:
    return say(f"this test ran longer than {wall:g} s: is there an endless loop or a wait that "
               "never ends (time.sleep, input()) in your code?",
               f"这个测试运行了超过 {wall:g} 秒：你的代码里是否有死循环，或永远等不到头的等待"
               "（time.sleep、input()）？")


# ---------------------------------------------------------------- reports


def _short(excinfo, folder: Path, module_file: Path) -> str:
    exc = excinfo.value
    notes = "".join(f"\n{n}" for n in getattr(exc, "__notes__", ()))
    if isinstance(exc, (KataFailure, ImplError)) or type(exc).__name__ == "WorkerEnded":
        return str(exc)  # its first line shows the input; hypothesis' notes would print every fixture
    if isinstance(exc, KataTimeout):
        where = [e for e in excinfo.traceback if Path(str(e.path)).resolve().parent == folder]
        at = say(f" (it was running {where[-1].path}:{where[-1].lineno + 1})",
                 f"（当时正在运行 {where[-1].path}:{where[-1].lineno + 1}）") if where else ""
        return f"{exc}{at}"
    if isinstance(exc, NotImplementedError):
        return say(f"still the stub: {exc or 'NotImplementedError'}\n"
                   f"  write it in {module_file}, then run the check again.",
                   f"仍是存根（stub）：{_stub_zh(str(exc))}\n"
                   f"  在 {module_file} 里写好它，然后再运行一次检查。")
    where = ""
    for entry in reversed(excinfo.traceback):
        if Path(str(entry.path)).resolve().parent == folder:
            where = f"{entry.path}:{entry.lineno + 1}: "
            break
    if isinstance(exc, MemoryError) or (isinstance(exc, RuntimeError) and any(w in str(exc) for w in MEMORY_WORDS)):
        what = f"{type(exc).__name__}: {str(exc)[:200]}" if str(exc) else type(exc).__name__
        return say(f"{where}your code ran out of memory ({what}): does it build "
                   "something far bigger than the batch (a list or tensor that grows without end)?",
                   f"{where}你的代码耗尽了内存（{what}）：它是否构造了比这批数据大得多的东西"
                   "（一个无限增长的列表或张量）？")
    if isinstance(exc, OSError) and exc.errno == errno.EFBIG:
        from bertkata.forked import FILE_LIMIT

        return say(f"{where}your code wrote more than the run allows to one file or to the output "
                   f"({FILE_LIMIT // 2**20} MB): is something printed or written in a loop that never ends?",
                   f"{where}你的代码向一个文件或输出写入的内容超过了本次运行允许的上限（{FILE_LIMIT // 2**20} MB）："
                   "是不是在一个永不结束的循环里打印或写入了东西？")
    if isinstance(exc, SystemExit):
        return say(f"{where}your code calls sys.exit({exc.code!r}) (or exit/quit), which ends the whole program: "
                   "a function hands back its result with `return`",
                   f"{where}你的代码调用了 sys.exit({exc.code!r})（或 exit/quit），这会结束整个程序："
                   "函数应当用 `return` 交回结果")
    return f"{where}{excinfo.exconly()}{notes}"


STUB = re.compile(r"(?P<f>\w+\.\w+) is not written yet: see its docstring, then `bert-kata hint (?P<n>\d+)`")


def _stub_zh(text: str) -> str:
    """A stub's English NotImplementedError text (stubgen's; learners' copies keep it) as 简体中文."""
    m = STUB.fullmatch(text.strip())
    if m is None:
        return text or "NotImplementedError"
    return f"{m['f']} 还没有实现，先读它的 docstring，再运行 `bert-kata hint {m['n']}`"


def _is_stub(exc: BaseException) -> bool:
    if isinstance(exc, NotImplementedError):
        return True
    group = getattr(exc, "exceptions", None)  # hypothesis may raise an ExceptionGroup
    return bool(group) and all(_is_stub(e) for e in group)


PRINTED_LINES = 15


RUST_FRAME = re.compile(r"\s+(\d+: |at )|note: Some details are omitted")


def _without_rust_frames(lines: list[str]) -> list[str]:
    """A Rust panic's stack backtrace (RUST_BACKTRACE=1) as one line: its hundreds of frames are the
    tokenizers library's insides and would push the learner's own print() out of view."""
    kept, frames = [], False
    for line in lines:
        if line.strip() == "stack backtrace:":
            frames = True
            kept.append(say("  (the Rust stack backtrace is left out)", "  （Rust 的调用栈已省略）"))
        elif not (frames and RUST_FRAME.match(line)):
            frames = False
            kept.append(line)
    return kept


def _printed(text: str) -> str:
    """What was printed during a failed test: a learner's print() is their first debugger."""
    lines = _without_rust_frames([ln[:200] for ln in text.strip().splitlines()])
    if not lines:
        return ""
    hidden = len(lines) - PRINTED_LINES
    cut = say(f"  ... {hidden} lines before these\n", f"  ……前面还有 {hidden} 行\n") if hidden > 0 else ""
    shown = "\n".join(f"    {ln}" for ln in lines[-PRINTED_LINES:])
    head = say("printed during this test (your print() calls, warnings from libraries):",
               "本测试运行期间的输出（你的 print() 调用、库发出的警告）：")
    return f"\n  {head}\n{cut}{shown}"


MEMORY_WORDS = ("MemoryError", "can't allocate memory", "Cannot allocate memory")
EXIT_WORDS = ("raised SystemExit", "抛出了 SystemExit")  # an ImplError (bertkata.impl) for an exit at import


def _tag(exc: BaseException, message: str) -> str | None:
    """The failure's tag for :class:`bertkata.runner.ExerciseResult` (None: an ordinary failure)."""
    from bertkata.runner import EXITS, OUT_OF_MEMORY, TIMED_OUT

    if isinstance(exc, KataTimeout):
        return TIMED_OUT
    if type(exc).__name__ == "WorkerEnded":  # bertkata.sandbox: the learner's process ended
        return exc.status
    if isinstance(exc, MemoryError) or (isinstance(exc, (RuntimeError, ImplError))
                                        and any(w in message for w in MEMORY_WORDS)):
        return OUT_OF_MEMORY
    if isinstance(exc, SystemExit) or (isinstance(exc, ImplError) and any(w in message for w in EXIT_WORDS)):
        return EXITS
    if _is_stub(exc):
        return "stub"
    if isinstance(exc, ImplError) and not isinstance(exc, MissingFunction):  # a missing function is a mistake
        return "broken"
    return None


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if call.excinfo is None or report.passed or report.skipped:
        return report
    folder = item.config._kata_impl_dir
    module_file = folder / (item.module.__name__.rsplit(".", 1)[-1].removeprefix("test_") + ".py")
    exc = call.excinfo.value
    message = _short(call.excinfo, folder, module_file) + _printed(report.capstdout + report.capstderr)
    tag = _tag(exc, message)
    report.user_properties.append(("kata_message", message))
    if tag:
        report.user_properties.append(("kata_status", tag))
    ended = type(exc).__name__ == "WorkerEnded"
    if isinstance(exc, KataTimeout) or ended:
        # one endless loop would otherwise cost the time limit once per remaining test
        item.session.shouldstop = say("a test ran past its time limit", "有测试超过了时间限制") if not ended else tag
    if isinstance(exc, (KataFailure, ImplError, NotImplementedError, KataTimeout)) or ended:
        report.longrepr = message
    return report
