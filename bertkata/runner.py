"""Run exercises' tests in this process and summarise them per exercise.

Used by ``bert-kata check``, ``watch`` and the meta tests. Running pytest
in-process (``pytest.main`` with a collecting plugin) keeps torch, the
tokenizer and the model warm across runs.
"""

from __future__ import annotations

import contextlib
import io
import os
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from bertkata.catalog import Exercise
from bertkata.impl import project_root

NOT_STARTED, IN_PROGRESS, DONE, BROKEN = "not started", "in progress", "done", "cannot import"


@dataclass
class TestOutcome:
    nodeid: str
    outcome: str  # passed / failed / error / skipped
    message: str = ""
    tag: str | None = None  # "stub" (NotImplementedError) or "broken" (the module does not import)

    @property
    def name(self) -> str:
        return self.nodeid.split("::", 1)[-1]


@dataclass
class ExerciseResult:
    exercise: Exercise
    outcomes: list[TestOutcome] = field(default_factory=list)

    @property
    def counted(self) -> list[TestOutcome]:
        return [o for o in self.outcomes if o.outcome != "skipped"]

    @property
    def passed(self) -> int:
        return sum(o.outcome == "passed" for o in self.counted)

    @property
    def total(self) -> int:
        return len(self.counted)

    @property
    def failures(self) -> list[TestOutcome]:
        return [o for o in self.counted if o.outcome != "passed"]

    @property
    def status(self) -> str:
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
        real = [o for o in fails if o.tag != "stub"]  # a real mistake teaches more than "still the stub"
        return (real or fails or [None])[0]

    def as_dict(self) -> dict:
        first = self.first_failure
        return {
            "number": self.exercise.number, "name": self.exercise.name, "title": self.exercise.title,
            "status": self.status, "passed": self.passed, "total": self.total,
            "first_failure": None if first is None else {"test": first.name, "message": first.message},
        }


class _Collector:
    def __init__(self):
        self.outcomes: dict[str, TestOutcome] = {}
        self.collect_errors: list[str] = []

    def pytest_collectreport(self, report):
        if report.failed:
            self.collect_errors.append(f"{report.nodeid}: {report.longreprtext.strip().splitlines()[-1:]}")

    def pytest_runtest_logreport(self, report):
        props = dict(report.user_properties)
        if report.when == "call" or (report.when == "setup" and not report.passed):
            outcome = report.outcome if report.when == "call" else ("skipped" if report.skipped else "error")
            self.outcomes[report.nodeid] = TestOutcome(
                report.nodeid, outcome, props.get("kata_message", report.longreprtext if report.failed else ""),
                props.get("kata_status"))
        elif report.when == "teardown" and report.failed and report.nodeid in self.outcomes:
            self.outcomes[report.nodeid].outcome = "error"
            self.outcomes[report.nodeid].message = report.longreprtext


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
        root: Path | None = None, quiet: bool = True, profile: str | None = None) -> list[ExerciseResult]:
    """Run the tests of ``exercises`` against the modules in ``impl_dir``.

    ``profile`` names a hypothesis profile (see bertkata.plugin) for this run only.
    """
    root = root or project_root()
    files = [str(root / e.test_file) for e in exercises]
    collector = _Collector()
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
        raise RunError(f"pytest could not run the tests ({detail})")
    by_exercise: dict[str, list[TestOutcome]] = defaultdict(list)
    for o in collector.outcomes.values():
        by_exercise[Path(o.nodeid.split("::")[0]).stem.removeprefix("test_")].append(o)
    return [ExerciseResult(e, by_exercise.get(e.name, [])) for e in exercises]
