"""`make bench`: the kata's speed and memory targets, as ratios measured in one run.

Machines are shared and noisy, so every figure is a median of several runs and
is reported beside a floor measured in the same run (the bare import of what
the step cannot avoid). Nothing here asserts; it prints a table.

    python bench/bench.py [--runs N] [--skip-suite]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
BIN = Path(PY).parent


def timed(cmd: list[str], env: dict | None = None) -> tuple[float, int]:
    """Wall seconds and the child's peak RSS (MiB) of one command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - t
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}): {proc.stderr[-800:]}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return elapsed, max(peak, before) // 1024


def median_time(cmd: list[str], runs: int, env: dict | None = None) -> float:
    return statistics.median(timed(cmd, env)[0] for _ in range(runs))


def in_process(code: str) -> float:
    """Seconds a snippet reports for itself (it prints one float), excluding interpreter start."""
    out = subprocess.run([PY, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def per_exercise(model_floor: float, numbers: list[int], suite: bool = True) -> list[tuple[str, str, str, str, str]]:
    """What each exercise adds: to `make test` (its tests against the solutions, one process, and its
    tests about the tests: stub, mutants, alternatives; not with ``suite=False``), and to a learner's cold
    `check` of everything (its own cold `check N`, which pays the imports the full check pays once)."""
    from bertkata import catalog

    env = {"KATA_HYPOTHESIS_PROFILE": "ci", "HF_HUB_OFFLINE": "1"}
    rows = []
    for e in catalog.exercises():
        if numbers and e.number not in numbers:
            continue
        check, _ = timed([str(BIN / "bert-kata"), "check", str(e.number), "--solutions"])
        rows.append((f"exercise {e.number:02d}: cold `bert-kata check {e.number} --solutions`", f"{check:.2f} s", "",
                     f"{check / model_floor:.2f}× BertModel floor", ""))
        if not suite:
            continue
        tests, _ = timed([PY, "-m", "pytest", "--target=solutions", "-q", "-p", "no:cacheprovider", e.test_file], env)
        meta, _ = timed([PY, "-m", "pytest", "--target=solutions", "-q", "-p", "no:cacheprovider",
                         "-n", "auto", "--dist", "loadgroup", "tests/meta", "-k", e.name], env)
        rows.append((f"exercise {e.number:02d}: its tests, one process / its meta tests, -n auto",
                     f"{tests:.1f} s / {meta:.1f} s", "",
                     f"{tests / model_floor:.1f}× / {meta / model_floor:.1f}× BertModel floor", ""))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-suite", action="store_true", help="skip the whole-suite and make-test timings")
    parser.add_argument("--per-exercise", nargs="*", type=int, metavar="N",
                        help="also what exercises N (default: all) add to a learner's `check` and, "
                             "without --skip-suite, to `make test`")
    args = parser.parse_args()
    n = args.runs
    rows: list[tuple[str, str, str, str, str]] = []
    out = Console()

    out.print(f"bert-kata bench: median of {n} runs, {os.cpu_count()} cores")
    subprocess.run([str(BIN / "bert-kata"), "model"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)

    tok_floor = median_time([PY, "-c", "from transformers import BertTokenizer"], n)
    tok_torch_floor = median_time([PY, "-c", "import torch; from transformers import BertTokenizer"], n)
    model_floor = median_time([PY, "-c", "from transformers import BertModel"], n)
    rows.append(("floor: from transformers import BertTokenizer", f"{tok_floor:.2f} s", "", "1.00×", ""))
    rows.append(("floor: + import torch (exercise 01 returns tensors)", f"{tok_torch_floor:.2f} s", "",
                 f"{tok_torch_floor / tok_floor:.2f}× tokenizer floor", ""))
    rows.append(("floor: from transformers import BertModel", f"{model_floor:.2f} s", "", "", ""))

    check1 = median_time([str(BIN / "bert-kata"), "check", "1", "--solutions"], n)
    rows.append(("cold `bert-kata check 1 --solutions`", f"{check1:.2f} s", "",
                 f"{check1 / tok_floor:.2f}× tokenizer floor; {check1 / tok_torch_floor:.2f}× tokenizer+torch floor",
                 "≤ 1.5× tokenizer floor"))
    check1_stub = median_time([str(BIN / "bert-kata"), "check", "1"], n)
    rows.append(("cold `bert-kata check 1` (the stub)", f"{check1_stub:.2f} s", "",
                 f"{check1_stub / tok_floor:.2f}× tokenizer floor", "≤ 1.5× tokenizer floor"))
    if (ROOT / "solutions" / "e03_model_forward.py").exists():
        check3 = median_time([str(BIN / "bert-kata"), "check", "3", "--solutions"], n)
        rows.append(("cold `bert-kata check 3 --solutions` (model exercise)", f"{check3:.2f} s", "",
                     f"{check3 / model_floor:.2f}× BertModel floor", "≤ 1.5× BertModel floor"))

    check_all = median_time([str(BIN / "bert-kata"), "check", "--solutions"], n)
    rows.append(("cold `bert-kata check --solutions` (every exercise, model cache warm)", f"{check_all:.2f} s", "",
                 f"{check_all / model_floor:.2f}× BertModel floor", "≤ 20 s"))

    with tempfile.TemporaryDirectory() as tmp:
        from bertkata.source import resolve

        env_code = (
            "import os, time; os.environ['KATA_CACHE_DIR'] = %r; os.environ['KATA_VOCAB'] = %r\n"
            "import torch, transformers.models.bert.modeling_bert, safetensors.torch\n"
            "from bertkata.source import build_replica, replica_dir\n"
            "t = time.perf_counter(); build_replica(replica_dir()); print(time.perf_counter() - t)"
        ) % (tmp, str(resolve().path / "vocab.txt"))
        builds = [in_process(env_code) for _ in range(n)]
        load_code = (
            "import os, time; os.environ['KATA_CACHE_DIR'] = %r\n"
            "from transformers import BertModel\n"
            "from bertkata.source import load_model, resolve\n"
            "t = time.perf_counter(); load_model(resolve()); print(time.perf_counter() - t)"
        ) % tmp
        loads = [in_process(load_code) for _ in range(n)]
    build, load = statistics.median(builds), statistics.median(loads)
    rows.append(("replica build (vocab at hand, after imports)", f"{build:.2f} s", "",
                 f"{build / model_floor:.2f}× BertModel floor", "< 10 s"))
    rows.append(("replica load (BertModel.from_pretrained, after imports)", f"{load:.2f} s", "",
                 f"{load / model_floor:.2f}× BertModel floor", "< 1 s"))

    if not args.skip_suite:
        env = {"KATA_HYPOTHESIS_PROFILE": "ci", "HF_HUB_OFFLINE": "1"}
        exercise_tests = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "tests").glob("test_e*.py"))
        suite = [timed([PY, "-m", "pytest", "--target=solutions", "-q", *exercise_tests], env)[0] for _ in range(n)]
        s = statistics.median(suite)
        rows.append(("exercise suite `pytest --target=solutions` (ci profile)", f"{s:.1f} s", "",
                     f"{s / model_floor:.1f}× BertModel floor", "≤ 60 s"))
        parallel = ["-n", "auto", "--dist", "loadgroup"]  # as make test runs them
        meta, _ = timed([PY, "-m", "pytest", "--target=solutions", "-q", *parallel, "tests/meta"], env)
        rows.append(("meta tests (stubs fail, mutants rejected, alternatives accepted, isolation)", f"{meta:.1f} s",
                     "", f"{meta / model_floor:.1f}× BertModel floor", ""))
        whole, peak = timed([PY, "-m", "pytest", "--target=solutions", "-q", *parallel, "tests"], env)
        rows.append(("whole `make test` after set-up", f"{whole:.1f} s", "",
                     f"{whole / model_floor:.0f}× BertModel floor; peak RSS {peak} MiB", "≤ 300 s"))

    if args.per_exercise is not None:
        rows += per_exercise(model_floor, args.per_exercise, suite=not args.skip_suite)

    # compare of all five exercises takes about 15 min for 12 submissions; 01-03 keep the ratio honest
    # (tokenizer and model exercises) at a fraction of the cost
    for script, extra in (("watch_latency.py", []), ("compare_bench.py", ["-e", "1", "-e", "2", "-e", "3"])):
        out.print(f"\n[bold]{script} {' '.join(extra)}[/bold]")
        subprocess.run([PY, str(ROOT / "bench" / script), *extra], cwd=ROOT)

    table = Table(title="bert-kata bench", title_justify="left")
    for col in ("measure", "median", "", "ratio (same run)", "target"):
        table.add_column(col)
    for r in rows:
        table.add_row(*r)
    out.print(table)


if __name__ == "__main__":
    main()
