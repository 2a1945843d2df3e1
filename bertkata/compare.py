"""``bert-kata compare``: grade a class's submissions against the solutions.

The pieces: :mod:`bertkata.submissions` collects and copies the submissions,
:mod:`bertkata.sandbox` (with :mod:`bertkata.worker`) runs each learner's
code, this module schedules the grading and keeps the journal,
:mod:`bertkata.compare_report` writes the reports and
:mod:`bertkata.compare_table` prints the class matrix.

How a class is graded:

- This process is a warm parent: it imports torch, transformers, pytest and
  hypothesis and loads bert-base-chinese's tokenizer (and the model, when an
  exercise needs it) once, into the process's warm state (bertkata.shared).
- For each submission it forks one child (:mod:`bertkata.forked`, the same
  mechanism as ``check`` and ``watch``), at most ``jobs`` (default: the number
  of cores) at a time, so every submission runs in its own process that starts
  warm. With fewer submissions than ``jobs``, a submission's exercises are
  shared between children (model exercises apart), all talking to its one
  sandbox. The child sets hard limits (address space: what it has at fork plus
  ``memory_mb``), runs each exercise's tests in-process with
  :func:`bertkata.runner.run` under the derandomized ``ci`` hypothesis profile
  (scores are reproducible), calls each function on the seed batch beside the
  solution (:mod:`bertkata.compare_inputs`), and streams JSON lines back over
  a pipe.
- A test past ``timeout`` seconds of processor time (or 6× that in wall time,
  at least 60 s) fails and ends that exercise's tests; a function call on the
  seed batch may take ``timeout`` wall seconds. The parent kills a child that
  stays silent longer. When a child ends early
  (``os._exit``, a crash, a kill), the exercise it was on gets that status and
  a new child grades the submission's remaining exercises.

- Each submission's code runs only in its own sandbox (:mod:`bertkata.sandbox`:
  bubblewrap, with the project read-only and no ``solutions/``). The child
  runs the tests and decides the grade; each learner function it calls runs
  in the sandbox and comes back as data, so nothing the learner's code patches
  there can raise a score. ``Options.sandbox=False`` (``--no-sandbox``) runs
  the worker as an ordinary process: grades are still decided outside it, but
  the learner's code can read and write files.
"""

from __future__ import annotations

import datetime
import json
import os
import resource
import shutil
import sys
import tempfile
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

from bertkata import catalog, forked, sandbox, seed
from bertkata.forked import Limits, send
from bertkata.impl import project_root
from bertkata.runner import CRASHED, DONE, ERROR, EXITS, IN_PROGRESS, KILLED, MISSING, NOT_STARTED, TIMED_OUT, clip
from bertkata.submissions import Submission, _clean, prepare

SEED = list(seed.SEED)
DEFAULT_TIMEOUT = 120.0  # processor seconds per test, wall seconds per function call; pytest-timeout's is 120 too
DEFAULT_MEMORY_MB = 4096  # address space a learner's process may add to the warm process it was forked from


@dataclass
class Options:
    """How to grade: ``timeout`` (processor seconds per test, wall seconds per function call), ``memory_mb``
    (address space a learner's process may add), ``jobs`` (processes at once)."""

    timeout: float = DEFAULT_TIMEOUT
    memory_mb: int = DEFAULT_MEMORY_MB
    jobs: int | None = None
    numbers: tuple[int, ...] = ()
    sandbox: bool = True  # each submission's code in bubblewrap (see bertkata.sandbox); False: --no-sandbox


def gradable_exercises(numbers: tuple[int, ...] = (), root: Path | None = None):
    """Catalog exercises (``numbers`` only, when given) that have a solution; and ``(name, reason)`` for the
    others. Raises :class:`bertkata.catalog.IncompleteKata` when one's test file is missing."""
    root = root or project_root()
    chosen, skipped = [], []
    wanted = [e for e in catalog.exercises() if not numbers or e.number in numbers]
    catalog.require_tests(root, wanted)
    for e in wanted:
        if not (root / "solutions" / f"{e.name}.py").is_file():
            skipped.append((e.name, "no solution yet"))
        else:
            chosen.append(e)
    return chosen, skipped


# ---------------------------------------------------------------- the warm parent


def warm_up(exercises) -> dict:
    """Load in this process what every child needs, once: torch, transformers, pytest,
    hypothesis (``ci`` profile), the tokenizer, the model if an exercise needs it, the solutions."""
    os.environ["KATA_HYPOTHESIS_PROFILE"] = "ci"  # before anything loads hypothesis settings
    from hypothesis import settings

    from bertkata import shared
    from bertkata.reference import solution

    forked.warm_parent(exercises)
    settings.load_profile("ci")  # the plugin may have been imported before the variable was set
    source = shared.source()
    from bertkata.compare_inputs import Seed, function_names, precompute

    seed = Seed()
    for e in exercises:  # the solutions' outputs on the seed batch, computed once for every child
        reference = solution(e.name)
        precompute(e.name, function_names(e.name, e.functions, reference), reference, seed)
    return {"model_source": source.describe(), "pretrained": source.pretrained}


# ---------------------------------------------------------------- the child


def _grade(exercises, modules: Path, timeout: float) -> None:
    """A grading child's work (see :func:`bertkata.forked.spawn`): every exercise in turn."""
    from hypothesis import settings

    settings.load_profile("ci")
    for exercise in exercises:
        _grade_one(exercise, modules, timeout)


def _classify(result: dict) -> dict:
    """A cell from a runner result: a status that is not a score gets its first line as the note."""
    first = result.get("first_failure") or {}
    note = None
    if result["status"] not in (DONE, IN_PROGRESS, NOT_STARTED):
        lines = (first.get("message") or "").strip().splitlines()
        note = lines[0] if lines else None
    result.update(note=note)
    return result


def _grade_one(exercise, modules: Path, timeout: float) -> None:
    from bertkata.runner import RunError, run

    started = time.monotonic()
    send({"e": "exercise", "name": exercise.name})
    try:
        [result] = run([exercise], modules, extra_args=(f"--timeout={timeout:g}",), profile="ci", on_event=send)
        cell = result.as_dict()
        if cell["first_failure"]:
            cell["first_failure"]["message"] = clip(cell["first_failure"]["message"])
        cell = _classify(cell)
    except RunError as exc:
        cell = {"number": exercise.number, "name": exercise.name, "title": exercise.title, "status": ERROR,
                "passed": 0, "total": 0, "first_failure": None, "note": clip(str(exc), 600)}
    send({"e": "result", "cell": cell})
    # a function that ran past the time limit or ended its process in a test would only do it again here
    _compare_functions(exercise, modules, f"not called: the tests ended early ({cell['status']})"
                       if cell["status"] in (TIMED_OUT, EXITS, CRASHED, KILLED) else None)
    if sandbox.current() is not None:
        sandbox.current().end(exercise.name)  # the next exercise gets a fresh process
    send({"e": "exercise_end", "name": exercise.name, "seconds": round(time.monotonic() - started, 2)})


def _compare_functions(exercise, modules: Path, skip: str | None = None) -> None:
    from bertkata.compare_inputs import Seed, compare_function, function_names
    from bertkata.impl import ImplError, load
    from bertkata.reference import solution

    reference = solution(exercise.name)
    names = function_names(exercise.name, exercise.functions, reference)
    learner = None
    if skip is None:
        try:  # the module the tests imported, if it imported
            learner = sandbox.current().module(exercise.name, exercise.number) if sandbox.current() \
                else load(modules, exercise.name)
        except (ImplError, MemoryError, sandbox.WorkerEnded):
            skip = "the module does not import"
    seed = Seed()
    for name in names:
        if learner is None:
            send({"e": "compared", "record": {"function": name, "status": "not compared", "detail": skip}})
            continue
        send({"e": "function", "name": name})
        try:
            record = compare_function(exercise.name, name, learner, reference, seed)
        except Exception as exc:  # comparing is best effort; the tests are the grade
            record = {"function": name, "status": "not compared",
                      "detail": f"comparison failed: {type(exc).__name__}: {exc}"[:300]}
        except sandbox.WorkerEnded as exc:
            record = {"function": name, "status": exc.status, "detail": str(exc)[:300]}
        send({"e": "compared", "record": record})


# ---------------------------------------------------------------- the scheduler


@dataclass
class _Job:
    """What a grading child was given, and how far it got (beside :class:`bertkata.forked.Child`)."""

    learner: int
    exercises: list
    phase: str = "start"  # start / tests / compare
    since: float = 0.0  # when the current exercise started
    function: str | None = None
    finished: set = field(default_factory=set)


class Grader:
    """Forks one child per submission from this (warm) process, at most ``jobs`` at a time."""

    def __init__(self, exercises, options: Options, workdir: Path, on_learner_done=None):
        self.exercises = {e.name: e for e in exercises}
        self.order = [e.name for e in exercises]
        self.options = options
        self.workdir = workdir
        self.on_learner_done = on_learner_done
        self.jobs = max(1, options.jobs or os.cpu_count() or 1)
        self.limits = Limits(timeout=options.timeout, memory_mb=options.memory_mb, threads=1)  # one per child
        self.cells: dict[int, dict[str, dict]] = {}
        self.pending: dict[int, int] = {}  # learner -> jobs queued or running
        self.started: dict[int, float] = {}
        self.seconds: dict[int, float] = {}
        self.spawned = 0
        self.sandboxes: dict[int, sandbox.Sandbox] = {}  # learner -> its sandbox, while graded

    # -- cells

    def _cell(self, learner: int, name: str) -> dict:
        e = self.exercises[name]
        return self.cells[learner].setdefault(name, {
            "number": e.number, "name": name, "title": e.title, "status": ERROR, "passed": 0, "total": 0,
            "first_failure": None, "note": None, "functions": [], "seconds": 0.0})

    def _not_compared(self, learner: int, name: str, why: str) -> None:
        cell = self._cell(learner, name)
        done = {f["function"] for f in cell["functions"]}
        e = self.exercises[name]
        from bertkata.compare_inputs import function_names
        from bertkata.reference import solution

        for fn in function_names(name, e.functions, solution(name)):
            if fn not in done:
                cell["functions"].append({"function": fn, "status": "not compared", "detail": why})

    # -- children

    def _spawn(self, learner: int, exercises: list, modules: Path, others: list[int]) -> forked.Child:
        log = self.workdir / "logs" / f"{learner:03d}-{self.spawned}.log"
        log.parent.mkdir(exist_ok=True)
        self.spawned += 1
        todo = [self.exercises[n] for n in exercises]
        timeout = self.options.timeout
        box = self._sandbox(learner, exercises, modules)
        mine = box.fileno()
        others = [*others, *(b.fileno() for b in self.sandboxes.values() if b.fileno() != mine)]

        def work() -> None:
            sandbox.use(box)
            _grade(todo, modules, timeout)

        return forked.spawn(work, self.limits, log, others, tag=_Job(learner, list(exercises)))

    def _sandbox(self, learner: int, exercises: list, modules: Path) -> sandbox.Sandbox:
        """The learner's sandbox, started here in the warm parent (the grading child only talks to it)."""
        box = self.sandboxes.get(learner)
        if box is None:
            log = self.workdir / "logs" / f"{learner:03d}-sandbox.log"
            log.parent.mkdir(exist_ok=True)
            box = self.sandboxes[learner] = sandbox.Sandbox(
                modules, self.options.memory_mb, self.options.timeout, self.options.sandbox, log=log,
                model=any(self.exercises[n].needs_model for n in exercises))
        return box

    def _todo(self, sub: Submission) -> list[str]:
        return [n for n in self.order if sub.modules is not None and (sub.modules / f"{n}.py").is_file()]

    def start_sandboxes(self, subs: list[Submission]) -> None:
        """Start the sandboxes of the first learners to be graded (one per job)."""
        for i, sub in [(i, s) for i, s in enumerate(subs) if self._todo(s)][:self.jobs]:
            self._sandbox(i, self._todo(sub), sub.modules)

    def _handle(self, child: forked.Child, event: dict) -> None:
        job: _Job = child.tag
        kind = event.get("e")
        if kind == "exercise":
            job.phase, job.function, job.since = "tests", None, time.monotonic()
        elif kind == "result":
            self._cell(job.learner, child.exercise).update(event["cell"])
            job.phase = "compare"
        elif kind == "function":  # a call on the seed batch: no test timer runs, so the limit is here
            job.function = event["name"]
            child.deadline = time.monotonic() + self.options.timeout + forked.GRACE
        elif kind == "compared":
            self._cell(job.learner, child.exercise)["functions"].append(event["record"])
            job.function = None
        elif kind == "exercise_end":
            self._cell(job.learner, event["name"])["seconds"] = event["seconds"]
            job.finished.add(event["name"])
            child.exercise, job.phase = None, "start"

    def _where(self, child: forked.Child) -> str | None:
        job: _Job = child.tag
        if job.phase == "compare":
            return f"{job.function}() on the seed batch" if job.function else "the seed-batch comparison"
        return None  # the test it was running: forked.Child.where

    def _finish(self, child: forked.Child, queue: deque, subs: list[Submission]) -> None:
        status = child.status
        job: _Job = child.tag
        remaining = [n for n in job.exercises if n not in job.finished]
        if child.ended or not remaining:
            pass
        elif child.exercise is None:
            # ended between exercises or before the first: nothing to blame on one exercise
            kind, note = child.died(status, "the start of grading" if not job.finished else "between exercises")
            if job.finished:  # progress was made: let a new child take the rest
                queue.appendleft((job.learner, remaining))
                self.pending[job.learner] += 1
            else:
                for name in remaining:
                    cell = self._cell(job.learner, name)
                    cell.update(status=ERROR, note=f"the grading process ended before this exercise ({note})")
                    self._not_compared(job.learner, name, "the grading process ended")
        else:
            kind, note = child.died(status, self._where(child))
            cell = self._cell(job.learner, child.exercise)
            if job.phase == "compare":
                cell["functions"].append({"function": job.function or "?", "status": kind, "detail": note})
                self._not_compared(job.learner, child.exercise, f"not reached ({kind} before it)")
                cell["note"] = (cell.get("note") or "") + ("\n" if cell.get("note") else "") + note
            else:
                outcomes = list(child.outcomes.values())
                counted = [o for o in outcomes if o.outcome != "skipped"]
                passed = sum(o.outcome == "passed" for o in counted)
                failed = [o for o in counted if o.outcome != "passed"]
                first = next((o for o in failed if o.tag != "stub"), failed[0] if failed else None)
                test = child.test.split("::", 1)[-1] if child.test else "?"
                cell.update(status=kind, passed=passed, total=max(child.collected, len(counted) + 1), note=note,
                            first_failure={"test": first.name, "message": first.message}
                            if first else {"test": test, "message": note})
                self._not_compared(job.learner, child.exercise, f"not called: the tests ended early ({kind})")
            cell["seconds"] = round(time.monotonic() - job.since, 2)
            rest = [n for n in remaining if n != child.exercise]
            if rest:
                queue.appendleft((job.learner, rest))
                self.pending[job.learner] += 1
        self.pending[job.learner] -= 1
        if self.pending[job.learner] == 0:
            box = self.sandboxes.pop(job.learner, None)
            if box is not None:
                box.close()
            self.seconds[job.learner] = round(time.monotonic() - self.started[job.learner], 2)
            if self.on_learner_done:
                self.on_learner_done(job.learner, subs[job.learner], self.cells[job.learner])

    def _split(self, names: list[str], parts: int) -> list[list[str]]:
        """``names`` in at most ``parts`` groups of about equal cost (a model exercise costs about
        three without one), each in catalog order; one child grades each group in the same sandbox."""
        groups: list[list[str]] = [[] for _ in range(max(1, parts))]
        cost = [0] * len(groups)
        for name in sorted(names, key=lambda n: -self._cost(n)):
            k = cost.index(min(cost))
            groups[k].append(name)
            cost[k] += self._cost(name)
        return [sorted(g, key=self.order.index) for g in groups if g]

    def _cost(self, name: str) -> int:
        return 3 if self.exercises[name].runs_a_model else 1

    def run(self, subs: list[Submission]) -> dict[int, dict[str, dict]]:
        """Grade every submission; cells by learner index and exercise name."""
        queue: deque = deque()
        for i, sub in enumerate(subs):
            self.cells[i] = {}
            self.pending[i] = 0
            if sub.modules is None:
                continue
            names = []
            for name in self.order:
                if (sub.modules / f"{name}.py").is_file():
                    names.append(name)
                else:
                    cell = self._cell(i, name)
                    cell.update(status=MISSING, note=f"no {name}.py in the submission")
                    self._not_compared(i, name, "no module")
            if names:
                queue.append((i, names))
                self.pending[i] = 1
        if 0 < len(queue) < self.jobs:  # cores to spare: a submission's exercises share them
            parts = self.jobs // len(queue)
            queue = deque((i, group) for i, names in queue for group in self._split(names, parts))
            for i in self.pending:
                self.pending[i] = sum(learner == i for learner, _ in queue)
        self.jobs = max(1, min(self.jobs, len(queue)))  # never more processes than pieces of work
        for i, sub in enumerate(subs):  # nothing to run: done already
            if self.pending[i] == 0 and self.on_learner_done:
                self.seconds[i] = 0.0
                self.on_learner_done(i, sub, self.cells[i])
        pool = forked.Pool()
        try:
            while queue or len(pool):
                while queue and len(pool) < self.jobs:
                    learner, names = queue.popleft()
                    self.started.setdefault(learner, time.monotonic())
                    pool.add(self._spawn(learner, names, subs[learner].modules, pool.fds()))
                for learner, names in list(queue)[:self.jobs]:  # the next learners' sandboxes start meanwhile
                    self._sandbox(learner, names, subs[learner].modules)
                for child, event in pool.poll(0.5):
                    if event is None:
                        self._finish(child, queue, subs)
                    else:
                        self._handle(child, event)
        finally:
            pool.close()
            for box in self.sandboxes.values():
                box.close()
            self.sandboxes.clear()
        return self.cells


# ---------------------------------------------------------------- the whole class


JOURNAL = "results.jsonl"  # in the report folder: one line per learner, written as each is graded


class Interrupted(Exception):
    """Grading stopped (Ctrl-C); ``report`` holds every learner graded before it."""

    def __init__(self, report: dict):
        super().__init__("grading was interrupted")
        self.report = report


def compare(paths, options: Options | None = None, on_learner_done=None, on_status=None,
            journal: Path | None = None) -> dict:
    """Grade the submissions at ``paths``; the report as a JSON-ready dict.

    ``journal``: a file that gets the report's header and then one line per learner as soon as that
    learner is graded, so a crash or a kill loses nothing graded (:func:`rebuild` reads it). Ctrl-C
    raises :class:`Interrupted` with the report of the learners graded so far.
    """
    options = options or Options()
    root = project_root()
    started = time.monotonic()
    exercises, skipped = gradable_exercises(options.numbers, root)
    if not exercises:
        raise ValueError("no exercise has both a solution and tests to grade against")
    if options.sandbox and sandbox.problem():
        raise ValueError(f"cannot grade in a sandbox: {sandbox.problem()}")
    workdir = Path(tempfile.mkdtemp(prefix="bert-kata-compare-"))
    rows: dict[int, dict] = {}
    interrupted = False
    try:
        subs = prepare(paths, workdir, [e.name for e in catalog.exercises()])
        grader = Grader(exercises, options, workdir)
        grader.start_sandboxes(subs)  # they boot while this process loads the model
        if not any(s.modules for s in subs):
            warm = {"model_source": "not loaded (nothing to grade)", "pretrained": False}
        else:
            if on_status:
                on_status(f"Loading bert-base-chinese once for {len(subs)} submissions ...")
            warm = warm_up(exercises)
        warm_s = time.monotonic() - started
        head = _clean({
            "tool": "bert-kata compare",
            "generated": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
            "root": str(root),
            "model_source": warm["model_source"],
            "pretrained": warm["pretrained"],
            "settings": {"sandbox": "bubblewrap" if options.sandbox else "none (--no-sandbox)",
                         "timeout_s": options.timeout, "memory_limit_mb": options.memory_mb, "jobs": grader.jobs,
                         "threads_per_job": grader.limits.threads, "hypothesis_profile": "ci", "seed": SEED},
            "exercises": [{"number": e.number, "name": e.name, "title": e.title, "functions": list(e.functions)}
                          for e in exercises],
            "skipped_exercises": [{"name": n, "reason": r} for n, r in skipped],
            "submissions": len(subs),
        })
        if journal is not None:
            journal.parent.mkdir(parents=True, exist_ok=True)
            _append(journal, head, mode="w")

        def done(i: int, sub: Submission, cells: dict) -> None:
            try:
                rows[i] = _learner_row(sub, cells, exercises, grader.seconds.get(i, 0.0))
                if journal is not None:
                    _append(journal, rows[i])
            except Exception as exc:  # noqa: BLE001 — one learner's results never cost the class its report
                rows[i] = _learner_row(sub, {}, exercises, 0.0,
                                       f"not graded: their results could not be written ({type(exc).__name__}: {exc})")
                if journal is not None:
                    _append(journal, rows[i])
            if on_learner_done:
                on_learner_done(i, sub, cells)

        grader.on_learner_done = done
        try:
            grader.run(subs)
        except KeyboardInterrupt:  # the grader has stopped every child; keep what was graded
            interrupted = True
        grading_s = time.monotonic() - started - warm_s
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    for i, sub in enumerate(subs):
        if i not in rows:
            rows[i] = _learner_row(sub, {}, exercises, 0.0, "not graded: grading was interrupted")
    self_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    child_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    kib = 1 if sys.platform != "darwin" else 1024  # ru_maxrss is KiB on Linux, bytes on macOS
    report = {
        **head,
        "interrupted": interrupted,
        "learners": sorted(rows.values(), key=lambda lr: lr["name"].lower()),
        "timing": {"warm_up_s": round(warm_s, 2), "grading_s": round(grading_s, 2),
                   "total_s": round(time.monotonic() - started, 2), "processes": grader.spawned},
        "resources": {"parent_maxrss_mb": round(self_rss / 1024 / kib, 1),
                      "children_maxrss_mb": round(child_rss / 1024 / kib, 1)},
    }
    if interrupted:
        raise Interrupted(report)
    return report


def _learner_row(sub: Submission, cells: dict, exercises, seconds: float, why: str | None = None) -> dict:
    """One learner's line of the report; messages name the learner's files, not the private copies."""
    if sub.modules is not None:
        cells = _replace_paths(cells, str(sub.modules), sub.shown_as)
    empty = sub.problem and sub.problem.startswith("no exercise modules")
    row = [cells.get(e.name) or {"number": e.number, "name": e.name, "title": e.title,
                                 "status": MISSING if empty else ERROR, "passed": 0, "total": 0,
                                 "first_failure": None, "functions": [],
                                 "note": why or sub.problem or "not graded", "seconds": 0.0}
           for e in exercises]
    for c in row:
        c.setdefault("note", None)
    return _clean({
        "name": sub.name, "source": str(sub.source), "found_in": sub.found_in, "problem": sub.problem,
        "warnings": sub.warnings, "passed": sum(c["passed"] for c in row), "total": sum(c["total"] for c in row),
        "seconds": seconds, "exercises": row,
    })


def _append(path: Path, record: dict, mode: str = "a") -> None:
    """One line, on disk before this returns: a kill right after loses nothing written."""
    with open(path, mode, encoding="utf-8") as f:
        f.write(json.dumps(record, ensure_ascii=False) + "\n")
        f.flush()
        os.fsync(f.fileno())


def rebuild(folder: Path) -> dict:
    """The report of a grading that was stopped (a crash, a kill), from its journal in ``folder``:
    every learner graded before it. Raises ``ValueError`` when there is no readable journal."""
    path = folder / JOURNAL
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"cannot read {path}: {exc}") from None
    records = []
    for line in lines:
        try:
            records.append(json.loads(line))
        except ValueError:
            continue  # the line being written when the process died
    if not records or records[0].get("tool") != "bert-kata compare":
        raise ValueError(f"{path} is not a bert-kata compare journal")
    head, learners = records[0], records[1:]
    return {**head, "interrupted": len(learners) < head.get("submissions", len(learners)),
            "learners": sorted(learners, key=lambda lr: lr["name"].lower()), "timing": {}, "resources": {}}


def _replace_paths(value, old: str, new: str):
    if isinstance(value, str):
        return value.replace(old, new)
    if isinstance(value, dict):
        return {k: _replace_paths(v, old, new) for k, v in value.items()}
    if isinstance(value, list):
        return [_replace_paths(v, old, new) for v in value]
    return value
