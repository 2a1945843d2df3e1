"""Run exercises' tests in this process and summarise them per exercise.

:func:`run` starts one pytest session (``pytest.main`` with a collecting
plugin) and reports each test as it ends through ``on_event``, as plain data:
``{"e": "collected", "count": n}``, ``{"e": "test", "nodeid": ...}`` when a test
starts and ``{"e": "outcome", ...}`` when it ends. The learner's runs
(``check``, ``watch``, ``compare``) call it inside a child forked from a warm
process (:mod:`bertkata.forked`), which sends those events over a pipe; the
meta tests call it directly on the project's own modules.
"""

from __future__ import annotations

import contextlib
import io
import os
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from bertkata.catalog import Exercise
from bertkata.i18n import say
from bertkata.impl import project_root
from bertkata.status import (  # the statuses live with the status file; runner re-exports them  # noqa: F401
    BROKEN, CRASHED, DONE, ERROR, EXITS, IN_PROGRESS, INCIDENTS, KILLED, MISSING, NOT_STARTED, OUT_OF_MEMORY, STYLE,
    TIMED_OUT, Status)

MAX_MESSAGE = 4000  # characters of one failure message sent between processes


def wall_limit(timeout: float) -> float:
    """Wall seconds a test may take when ``timeout`` is its limit of processor seconds (see
    bertkata.plugin.pytest_timeout_set_timer): room for a machine several times busier than usual."""
    return max(60.0, 6 * timeout)


_CONTROL = {c: None for c in range(32) if chr(c) not in "\n\t"} | {127: None}


def clip(text, limit: int = MAX_MESSAGE) -> str:
    """``text`` cut to ``limit`` characters, saying so."""
    text = str(text or "")
    return text if len(text) <= limit else text[:limit] + say("\n… (cut)", "\n……（已截断）")


def printable(text: str) -> str:
    """``text`` without control characters (an exception message from learner code may hold
    escape sequences that clear the terminal or fake a line), and with any lone surrogate, which no
    UTF-8 file or terminal can hold, written as its escape."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8").translate(_CONTROL)


@dataclass
class TestOutcome:
    nodeid: str
    outcome: str  # passed / failed / error / skipped
    message: str = ""
    tag: str | None = None  # "stub", "broken" (the module does not import) or one of INCIDENTS

    def __post_init__(self):
        self.message = printable(self.message)

    @property
    def name(self) -> str:
        return self.nodeid.split("::", 1)[-1]

    def as_event(self) -> dict:
        return {"e": "outcome", "nodeid": self.nodeid, "outcome": self.outcome, "message": clip(self.message),
                "tag": self.tag}

    @classmethod
    def from_event(cls, event: dict) -> "TestOutcome":
        return cls(str(event["nodeid"]), str(event["outcome"]), str(event.get("message") or ""), event.get("tag"))


@dataclass
class ExerciseResult:
    exercise: Exercise
    outcomes: list[TestOutcome] = field(default_factory=list)
    collected: int = 0  # tests the session collected; more than ran when the run stopped early

    @property
    def counted(self) -> list[TestOutcome]:
        return [o for o in self.outcomes if o.outcome != "skipped"]

    @property
    def passed(self) -> int:
        return sum(o.outcome == "passed" for o in self.counted)

    @property
    def total(self) -> int:
        return max(len(self.counted), self.collected)

    @property
    def failures(self) -> list[TestOutcome]:
        return [o for o in self.counted if o.outcome != "passed"]

    @property
    def incident(self) -> str | None:
        """What stopped this exercise's run early (one of INCIDENTS), if anything did."""
        tags = {o.tag for o in self.failures}
        return next((i for i in INCIDENTS if i in tags), None)

    @property
    def status(self) -> str:
        incident = self.incident
        if incident:
            return incident
        if self.total and self.passed == self.total:
            return DONE
        if any(o.tag == "broken" for o in self.failures):
            return BROKEN
        if self.passed == 0 and self.failures and all(o.tag == "stub" for o in self.failures):
            return NOT_STARTED
        return IN_PROGRESS

    @property
    def first_failure(self) -> TestOutcome | None:
        fails = self.failures
        # what stopped the run first, then a real mistake (it teaches more than "still the stub")
        ranked = [o for o in fails if o.tag in INCIDENTS] or [o for o in fails if o.tag != "stub"] or fails
        return (ranked or [None])[0]

    def as_dict(self) -> dict:
        first = self.first_failure
        return {
            "number": self.exercise.number, "name": self.exercise.name, "title": self.exercise.title,
            "status": self.status, "passed": self.passed, "total": self.total,
            "first_failure": None if first is None else {"test": first.name, "message": first.message},
        }


def exercise_of(nodeid: str) -> str:
    """``tests/test_e01_pad_batch.py::test_x`` → ``e01_pad_batch``."""
    return Path(nodeid.split("::")[0]).stem.removeprefix("test_")


class _Collector:
    def __init__(self, on_event: Callable[[dict], None] | None):
        self.outcomes: dict[str, TestOutcome] = {}
        self.collected: dict[str, int] = defaultdict(int)
        self.collect_errors: list[str] = []
        self.on_event = on_event or (lambda event: None)

    def pytest_collectreport(self, report):
        if report.failed:
            self.collect_errors.append(f"{report.nodeid}: {report.longreprtext.strip().splitlines()[-1:]}")

    def pytest_collection_finish(self, session):
        runnable = [i for i in session.items if not i.get_closest_marker("skip")]
        for item in runnable:
            self.collected[exercise_of(item.nodeid)] += 1
        self.on_event({"e": "collected", "count": len(runnable)})

    def pytest_runtest_logstart(self, nodeid, location):
        self.on_event({"e": "test", "nodeid": nodeid})

    def pytest_runtest_logreport(self, report):
        props = dict(report.user_properties)
        if report.when == "call" or (report.when == "setup" and not report.passed):
            outcome = report.outcome if report.when == "call" else ("skipped" if report.skipped else "error")
            self.outcomes[report.nodeid] = TestOutcome(
                report.nodeid, outcome, props.get("kata_message", report.longreprtext if report.failed else ""),
                props.get("kata_status"))
            self.on_event(self.outcomes[report.nodeid].as_event())
        elif report.when == "teardown" and report.failed and report.nodeid in self.outcomes:
            self.outcomes[report.nodeid].outcome = "error"
            self.outcomes[report.nodeid].message = report.longreprtext
            self.on_event(self.outcomes[report.nodeid].as_event())


class RunError(RuntimeError):
    pass


@contextlib.contextmanager
def _hypothesis_profile(name: str | None):
    from hypothesis import settings

    if name is None:
        yield
        return
    previous = settings.get_current_profile_name()
    settings.load_profile(name)
    try:
        yield
    finally:
        settings.load_profile(previous)


def run(exercises: list[Exercise], impl_dir: Path, extra_args: tuple[str, ...] = (),
        root: Path | None = None, quiet: bool = True, profile: str | None = None,
        on_event: Callable[[dict], None] | None = None) -> list[ExerciseResult]:
    """Run the tests of ``exercises`` against the modules in ``impl_dir``, in this process.

    ``profile`` names a hypothesis profile (see bertkata.plugin) for this run only; ``on_event``
    receives each event as it happens. Raises :class:`RunError` when pytest cannot run the tests.
    """
    import pytest  # here: the sandbox's worker imports this module and never runs pytest

    root = root or project_root()
    files = [str(root / e.test_file) for e in exercises]
    collector = _Collector(on_event)
    args = [*files, f"--impl-dir={impl_dir}", f"--rootdir={root}", "-c", str(root / "pyproject.toml"),
            # unraisableexception runs gc.collect() five times per session: 0.3 s with the model loaded
            "-p", "no:terminal", "-p", "no:xdist", "-p", "no:anyio", "-p", "no:unraisableexception", *extra_args]
    out = io.StringIO()
    cwd = os.getcwd()
    try:
        os.chdir(root)
        redirect = contextlib.redirect_stdout(out) if quiet else contextlib.nullcontext()
        with redirect, _hypothesis_profile(profile):
            code = pytest.main(args, plugins=[collector])
    finally:
        os.chdir(cwd)
    if collector.collect_errors or code in (pytest.ExitCode.INTERNAL_ERROR, pytest.ExitCode.USAGE_ERROR):
        detail = "; ".join(collector.collect_errors) or out.getvalue().strip()[-500:]
        raise RunError(say(f"pytest could not run the tests ({detail})", f"pytest 无法运行这些测试（{detail}）"))
    by_exercise: dict[str, list[TestOutcome]] = defaultdict(list)
    for o in collector.outcomes.values():
        by_exercise[exercise_of(o.nodeid)].append(o)
    return [ExerciseResult(e, by_exercise.get(e.name, []), collector.collected.get(e.name, 0)) for e in exercises]
