"""Latency of `bert-kata watch`: from saving the exercise file to what the learner needs on screen.

Runs `bert-kata watch N --only` in a temporary copy of the project (KATA_ROOT),
reading its output through a pipe, and saves the exercise file in turn with
the reference solution, a wrong answer (the first mutant, or the stub) and a
syntax error. Reported per exercise: the cold start (process start to first
result) and the median latency of each kind of save: a syntax error to its
message, a wrong answer to its first failure, the right answer to "done";
with the CPU time watch itself used (less sensitive to a busy machine than
wall time), beside the cold `from transformers import BertModel` import
measured in the same run, and the load average. Nothing here asserts; it
prints a table.

    python bench/watch_latency.py [N ...] [--saves 5] [--floor-runs 3]

Without N: every exercise that has tests and a solution.
"""

from __future__ import annotations

import argparse
import os
import queue
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run from a checkout without installing

from bertkata import catalog  # noqa: E402
from bertkata.reference import laid_over  # noqa: E402
from bertkata.stubgen import stub_for  # noqa: E402

PY = sys.executable
RESULT = re.compile(r"^(\d\d) .*: (?P<status>[a-z ]+)(, (?P<passed>\d+)/(?P<total>\d+) tests pass)? "
                    r"\((?P<secs>[\d.]+) s\)")
FIRST = re.compile(r"^(First failure, \S+|The file does not import) \((?P<secs>[\d.]+) s\):")
# seconds per save, by kind and by whether the exercise needs the model
TARGETS = {"syntax": {False: 0.3, True: 0.3}, "wrong": {False: 1.0, True: 2.0}, "right": {False: 2.0, True: 6.0}}
SYNTAX_ERROR = "\n\ndef broken(:\n    pass\n"
COPIED = ("exercises", "solutions", "tests", "mutants", "conftest.py", "pyproject.toml")


def floor(runs: int) -> float:
    """Median wall time of a cold `from transformers import BertModel`."""
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run([PY, "-c", "from transformers import BertModel"], check=True)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a process so far (Linux /proc; None elsewhere).

    Less sensitive than wall time to other work on a shared machine."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def copy_project(dest: Path) -> None:
    for name in COPIED:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        elif src.exists():
            shutil.copy2(src, dest / name)


class Watch:
    """`bert-kata watch N --only` as a child process; lines arrive with their arrival time."""

    def __init__(self, root: Path, number: int):
        env = {**os.environ, "KATA_ROOT": str(root), "PYTHONUNBUFFERED": "1", "HF_HUB_OFFLINE": "1",
               "NO_COLOR": "1", "COLUMNS": "200"}
        self.started = time.perf_counter()
        self.proc = subprocess.Popen([PY, "-m", "bertkata", "watch", str(number), "--only", "--lang", "en"],
                                     cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     text=True, bufsize=1)
        self.lines: queue.Queue = queue.Queue()
        self.log: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.put((time.perf_counter(), line.rstrip("\n")))
        self.lines.put((time.perf_counter(), None))

    def next_result(self, timeout: float = 300.0) -> tuple[float, re.Match, float | None]:
        """The next result line: when it arrived, its match, and when a first failure before it arrived."""
        deadline = time.perf_counter() + timeout
        first = None
        while True:
            try:
                at, line = self.lines.get(timeout=max(0.1, deadline - time.perf_counter()))
            except queue.Empty:
                raise SystemExit("watch printed no result in time:\n" + "\n".join(self.log[-30:])) from None
            if line is None:
                raise SystemExit("watch exited:\n" + "\n".join(self.log[-30:]))
            self.log.append(line)
            if first is None and FIRST.match(line):
                first = at
            m = RESULT.match(line)
            if m:
                return at, m, first

    def stop(self) -> int:
        self.proc.send_signal(signal.SIGINT)
        try:
            return self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return -9


def answers(root: Path, e: catalog.Exercise) -> tuple[bytes, bytes, str]:
    right = (root / "solutions" / f"{e.name}.py").read_bytes()
    mutants = sorted((root / "mutants" / e.name).glob("*.py"))
    if mutants:
        wrong = laid_over(e.name, e.functions, mutants[0].read_text(encoding="utf-8")).encode()
        return wrong, right, f"mutant {mutants[0].stem}"
    return stub_for(root, e.name, e.number).encode(), right, "the stub"


def bench_exercise(e: catalog.Exercise, saves: int, out: Console) -> list[tuple]:
    with tempfile.TemporaryDirectory(prefix="kata-watch-bench-") as tmp:
        root = Path(tmp)
        copy_project(root)
        wrong, right, wrong_name = answers(root, e)
        texts = {"right": right, "wrong": wrong, "syntax": right + SYNTAX_ERROR.encode()}
        target = root / "exercises" / f"{e.name}.py"
        target.write_bytes(wrong)  # not the stub, so watch runs it at once: the cold start
        w = Watch(root, e.number)
        got = {k: [] for k in texts}
        cpu = {k: [] for k in texts}
        try:
            at, m, _ = w.next_result()
            cold = at - w.started
            out.print(f"  {e.number:02d}: cold start {cold:.1f} s ({m['status']}, {m['passed']}/{m['total']})")
            for i in range(saves * len(texts)):
                kind = list(texts)[i % len(texts)]
                time.sleep(0.3)  # a learner does not save twice within a few milliseconds
                c = cpu_seconds(w.proc.pid)
                t = time.perf_counter()
                target.write_bytes(texts[kind])
                at, m, first = w.next_result()
                c2 = cpu_seconds(w.proc.pid)
                if c is not None and c2 is not None:
                    cpu[kind].append(c2 - c)
                expected = {"right": m["status"] == "done", "syntax": m["status"] == "cannot import",
                            "wrong": m["status"] not in ("done", "cannot import")}[kind]
                if not expected:
                    raise SystemExit(f"exercise {e.number:02d}: a {kind} save gave {m['status']}:\n"
                                     + "\n".join(w.log[-30:]))
                shown = at if kind == "right" else (first or at)  # what the learner waits for
                got[kind].append(shown - t)
                out.print(f"  {e.number:02d}: {kind:6s} save -> {m['status']} in {shown - t:.2f} s "
                          f"(whole run {at - t:.2f} s, watch CPU {cpu[kind][-1] if cpu[kind] else 0:.2f} s)")
        finally:
            code = w.stop()
        if code != 0:
            out.print(f"  [red]watch exited with {code} after Ctrl-C[/red]")

        def med(xs):
            return statistics.median(xs) if xs else None

        return [(e, "cold start (process start to first result)", cold, None, None),
                (e, "save a syntax error -> its message", med(got["syntax"]), med(cpu["syntax"]),
                 TARGETS["syntax"][e.runs_a_model]),
                (e, f"save a wrong answer ({wrong_name}) -> first failure", med(got["wrong"]), med(cpu["wrong"]),
                 TARGETS["wrong"][e.runs_a_model]),
                (e, "save the right answer -> done", med(got["right"]), med(cpu["right"]),
                 TARGETS["right"][e.runs_a_model])]


def default_exercises() -> list[catalog.Exercise]:
    ready = [e for e in catalog.exercises()
             if (ROOT / e.test_file).is_file() and (ROOT / "solutions" / f"{e.name}.py").is_file()]
    return ready


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("numbers", nargs="*", type=int, help="exercise numbers (default: every one with tests)")
    parser.add_argument("--saves", type=int, default=5, help="saves of each kind (wrong, right) per exercise")
    parser.add_argument("--floor-runs", type=int, default=3, help="runs of the cold BertModel import")
    args = parser.parse_args()
    out = Console()
    if not out.is_terminal:
        out.width = 120  # a log file: keep table rows on one line
    exercises = []
    for n in args.numbers or [e.number for e in default_exercises()]:
        e = catalog.by_number(n)
        missing = [p for p in (ROOT / e.test_file, ROOT / "solutions" / f"{e.name}.py") if not p.is_file()]
        if missing:
            out.print(f"exercise {n:02d}: skipped, {', '.join(str(p.relative_to(ROOT)) for p in missing)} missing")
            continue
        exercises.append(e)

    out.print(f"watch latency: median of {args.saves} saves of each kind, {os.cpu_count()} cores, "
              f"load average {os.getloadavg()[0]:.1f}")
    import_floor = floor(args.floor_runs)
    out.print(f"  floor: cold `from transformers import BertModel` {import_floor:.2f} s")
    rows = []
    for e in exercises:
        rows += bench_exercise(e, args.saves, out)

    table = Table(title="bert-kata watch latency", title_justify="left")
    for col in ("exercise", "measure", "median", "watch CPU", "vs import floor", "target"):
        table.add_column(col)
    table.add_row("", "floor: cold `from transformers import BertModel`", f"{import_floor:.2f} s", "", "1.00×", "")
    for e, what, secs, cpu, target in rows:
        ok = "" if target is None else (f"≤ {target:g} s " + ("ok" if secs <= target else "MISSED"))
        table.add_row(f"{e.number:02d}{' (model)' if e.runs_a_model else ''}", what, f"{secs:.2f} s",
                      "" if cpu is None else f"{cpu:.2f} s", f"{secs / import_floor:.2f}×", ok)
    out.print(table)


if __name__ == "__main__":
    main()
