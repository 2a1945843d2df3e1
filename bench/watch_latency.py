"""Latency of `bert-kata watch`: from saving the exercise file to its result on screen.

Runs `bert-kata watch N --only` in a temporary copy of the project (KATA_ROOT),
reading its output through a pipe, and saves the exercise file alternately
with a wrong answer (the first mutant, or the stub) and with the reference
solution. Reported per exercise: the cold start (process start to first
result), and the median save-to-result latency of each kind, with the part
spent in the tests and the CPU time watch used (less sensitive to a busy
machine than wall time), beside the cold `from transformers import BertModel`
import measured in the same run, and the load average. Nothing here asserts;
it prints a table.

    python bench/watch_latency.py [N ...] [--saves 5] [--floor-runs 3]

Without N: exercise 01 and the first exercise that needs the model and has
tests and a solution.
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
RESULT = re.compile(r"^(\d\d) .*: (?P<status>[a-z ]+), (?P<passed>\d+)/(?P<total>\d+) tests pass \((?P<secs>[\d.]+) s\)")
TARGETS = {False: 1.0, True: 2.0}  # seconds per save: tokenizer-only exercise, model exercise
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

    def next_result(self, timeout: float = 300.0) -> tuple[float, re.Match]:
        deadline = time.perf_counter() + timeout
        while True:
            try:
                at, line = self.lines.get(timeout=max(0.1, deadline - time.perf_counter()))
            except queue.Empty:
                raise SystemExit("watch printed no result in time:\n" + "\n".join(self.log[-30:])) from None
            if line is None:
                raise SystemExit("watch exited:\n" + "\n".join(self.log[-30:]))
            self.log.append(line)
            m = RESULT.match(line)
            if m:
                return at, m

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
        target = root / "exercises" / f"{e.name}.py"
        target.write_bytes(wrong)  # not the stub, so watch runs it at once: the cold start
        w = Watch(root, e.number)
        try:
            at, m = w.next_result()
            cold = at - w.started
            out.print(f"  {e.number:02d}: cold start {cold:.1f} s ({m['status']}, {m['passed']}/{m['total']})")
            got = {"wrong": [], "right": []}
            tests = {"wrong": [], "right": []}
            cpu = {"wrong": [], "right": []}
            for i in range(saves * 2):
                kind = "right" if i % 2 == 0 else "wrong"
                time.sleep(0.3)  # a learner does not save twice within a few milliseconds
                c = cpu_seconds(w.proc.pid)
                t = time.perf_counter()
                target.write_bytes(right if kind == "right" else wrong)
                at, m = w.next_result()
                c2 = cpu_seconds(w.proc.pid)
                if c is not None and c2 is not None:
                    cpu[kind].append(c2 - c)
                expected_done = kind == "right"
                if (m["status"] == "done") != expected_done:
                    raise SystemExit(f"exercise {e.number:02d}: a {kind} answer gave {m['status']}:\n"
                                     + "\n".join(w.log[-30:]))
                got[kind].append(at - t)
                tests[kind].append(float(m["secs"]))
                out.print(f"  {e.number:02d}: {kind:5s} save -> {m['status']} {m['passed']}/{m['total']} "
                          f"in {at - t:.2f} s (tests {m['secs']} s, CPU {cpu[kind][-1] if cpu[kind] else 0:.2f} s)")
        finally:
            code = w.stop()
        if code != 0:
            out.print(f"  [red]watch exited with {code} after Ctrl-C[/red]")
        def med(xs):
            return statistics.median(xs) if xs else None

        return [(e, "cold start (process start to first result)", cold, None, None, None),
                (e, f"save a wrong answer ({wrong_name})", med(got["wrong"]), med(tests["wrong"]),
                 med(cpu["wrong"]), TARGETS[e.needs_model]),
                (e, "save the right answer", med(got["right"]), med(tests["right"]), med(cpu["right"]),
                 TARGETS[e.needs_model])]


def default_exercises() -> list[catalog.Exercise]:
    ready = [e for e in catalog.exercises()
             if (ROOT / e.test_file).is_file() and (ROOT / "solutions" / f"{e.name}.py").is_file()]
    chosen = [e for e in ready if e.number == 1]
    chosen += [e for e in ready if e.needs_model][:1]
    return chosen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("numbers", nargs="*", type=int, help="exercise numbers (default: 01 and one model exercise)")
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
    for col in ("exercise", "measure", "median", "of which tests", "watch CPU", "vs import floor", "target"):
        table.add_column(col)
    table.add_row("", "floor: cold `from transformers import BertModel`", f"{import_floor:.2f} s", "", "", "1.00×", "")
    for e, what, secs, tests, cpu, target in rows:
        ok = "" if target is None else (f"< {target:.0f} s " + ("ok" if secs < target else "MISSED"))
        table.add_row(f"{e.number:02d}{' (model)' if e.needs_model else ''}", what, f"{secs:.2f} s",
                      "" if tests is None else f"{tests:.2f} s", "" if cpu is None else f"{cpu:.2f} s",
                      f"{secs / import_floor:.2f}×", ok)
    out.print(table)


if __name__ == "__main__":
    main()
