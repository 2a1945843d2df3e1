"""How `bert-kata compare` scales: a class of 12 submissions against a single one.

Builds 12 submissions from solutions/ and mutants/ in a temporary folder (4
copies of the solutions, 8 with one mutant module each), then runs the real
command twice, on the first submission alone and on all twelve, and prints a
small table: wall-clock time, the command's own warm-up and grading time, CPU
time, and peak memory (``ru_maxrss``) of the parent (the warm process that
loads the model once) and of its largest child. The target is a class of 12 in
at most 4 times the time of one on 2 cores: the model is loaded once, and the
children and their sandboxes run side by side.

    python bench/compare_bench.py [--exercise N ...] [--strict]

``--strict`` exits 1 when the ratio misses the target.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bertkata.compare import gradable_exercises  # noqa: E402
from bertkata.reference import standalone  # noqa: E402

TARGET = 4.0
CLASS_SIZE = 12


def build_class(base: Path, names: list[str]) -> list[Path]:
    """12 submissions: solution copies and, round-robin over the exercises, one mutant module each."""
    mutants = [(n, p) for n in names for p in sorted((ROOT / "mutants" / n).glob("*.py"))]
    subs = []
    for k in range(CLASS_SIZE):
        folder = base / f"learner{k + 1:02d}"
        folder.mkdir(parents=True)
        for n in names:
            shutil.copyfile(ROOT / "solutions" / f"{n}.py", folder / f"{n}.py")
        if k >= 4 and mutants:
            name, path = mutants[(k - 4) * max(1, len(mutants) // 8) % len(mutants)]
            (folder / f"{name}.py").write_text(standalone(name, path.read_text(encoding="utf-8")), encoding="utf-8")
        subs.append(folder)
    return subs


def children_usage() -> tuple[float, float]:
    u = resource.getrusage(resource.RUSAGE_CHILDREN)
    return u.ru_utime + u.ru_stime, u.ru_maxrss / 1024


def machine_busy() -> float:
    """Processor seconds the whole machine has spent busy (Linux /proc/stat): a sandbox's processes are
    never reaped into this process's own accounting, so RUSAGE_CHILDREN misses them."""
    try:
        with open("/proc/stat", encoding="ascii") as f:
            fields = [int(x) for x in f.readline().split()[1:]]
    except OSError:
        return float("nan")
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def run(label: str, subs: list[Path], report: Path, extra: list[str]) -> dict:
    cpu0, _ = children_usage()
    busy0 = machine_busy()
    start = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "bertkata", "compare", *map(str, subs), "--report", str(report),
                           *extra], cwd=ROOT, capture_output=True, text=True)
    wall = time.monotonic() - start
    busy = machine_busy() - busy0
    cpu1, _ = children_usage()
    if proc.returncode != 0:
        sys.exit(f"{label}: bert-kata compare failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
    data = json.loads((report / "report.json").read_text(encoding="utf-8"))
    return {"label": label, "n": len(subs), "wall": wall, "cpu": cpu1 - cpu0, "busy": busy, **data["timing"],
            **data["resources"], "jobs": data["settings"]["jobs"],
            "scores": [f"{lr['passed']}/{lr['total']}" for lr in data["learners"]]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--exercise", "-e", type=int, action="append", default=[],
                        help="grade only these exercises (default: every exercise with a solution and tests)")
    parser.add_argument("--strict", action="store_true", help=f"exit 1 when 12 take more than {TARGET:g}x one")
    args = parser.parse_args()
    exercises, _ = gradable_exercises(tuple(args.exercise), ROOT)
    names = [e.name for e in exercises]
    extra = [x for n in args.exercise for x in ("--exercise", str(n))]
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    with tempfile.TemporaryDirectory(prefix="compare-bench-") as tmp:
        base = Path(tmp)
        subs = build_class(base / "class", names)
        rows = [run("one", subs[:1], base / "r1", extra), run("class", subs, base / f"r{CLASS_SIZE}", extra)]
    ratio = rows[1]["wall"] / rows[0]["wall"]
    print(f"bert-kata compare: {CLASS_SIZE} submissions against 1 ({os.cpu_count()} cores, load average "
          f"{load:.1f} before the runs, exercises {', '.join(n[:3] for n in names)})")
    head = ("run", "subs", "wall s", "warm-up s", "grading s", "CPU s", "machine s", "processes", "parent MB",
            "child MB")
    print("  ".join(f"{h:>9}" for h in head))
    for r in rows:
        cells = (r["label"], r["n"], f"{r['wall']:.1f}", f"{r['warm_up_s']:.1f}", f"{r['grading_s']:.1f}",
                 f"{r['cpu']:.1f}", f"{r['busy']:.1f}", r["processes"], f"{r['parent_maxrss_mb']:.0f}", f"{r['children_maxrss_mb']:.0f}")
        print("  ".join(f"{c:>9}" for c in cells))
    ok = ratio <= TARGET
    print(f"class/one wall-clock ratio: {ratio:.2f}x (target <= {TARGET:g}x on 2 cores): {'ok' if ok else 'MISSED'}")
    # Other work on the machine stretches wall-clock times; CPU time does not. On an idle machine the
    # single submission runs serially, and the class on min(jobs, cores) cores after the same warm-up.
    cores = min(rows[1]["jobs"], os.cpu_count() or 1)
    one = rows[0]["cpu"]
    whole = rows[1]["warm_up_s"] + max(0.0, rows[1]["cpu"] - rows[1]["warm_up_s"]) / cores
    after = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"idle-machine estimate from CPU time: {whole / one:.2f}x ({whole:.0f} s / {one:.0f} s); "
          f"load average after the runs {after:.1f}")
    # the whole machine's busy seconds include the sandboxes; with nothing else running they are the true cost
    per = (rows[1]["busy"] - rows[0]["busy"]) / max(1, CLASS_SIZE - 1)
    print(f"whole machine busy: one {rows[0]['busy']:.0f} s, class {rows[1]['busy']:.0f} s; each further "
          f"submission {per:.1f} processor s (its sandboxed worker's cold start included)")
    print(f"scores: {' '.join(rows[1]['scores'])}")
    return 0 if ok or not args.strict else 1


if __name__ == "__main__":
    sys.exit(main())
