"""Write docs/check*.txt and docs/watch*.txt from real runs of `bert-kata check` and `watch`.

A fresh copy of the kata (every exercise its stub) gets exercise 01 solved and a
known mistake in exercise 02; `check` then prints its table. `watch` is driven
through a wrong answer, a syntax error and the right answer of exercise 01.
Each is run in English and in 简体中文; the temporary folder never shows.

    python docs/generate.py
"""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bertkata import catalog  # noqa: E402
from bertkata.dev import learner_copy  # noqa: E402
from bertkata.reference import standalone  # noqa: E402
from bertkata.stubgen import stub_for  # noqa: E402

E01, E02 = catalog.by_number(1), catalog.by_number(2)
WIDTH = "100"


def lay_out(base: Path) -> Path:
    return learner_copy(ROOT, base / "bert-kata")


def mutant(e: catalog.Exercise, name: str) -> str:
    return standalone(e.name, (ROOT / "mutants" / e.name / f"{name}.py").read_text(encoding="utf-8"))


def env(root: Path, lang: str) -> dict:
    return {**os.environ, "KATA_ROOT": str(root), "HF_HUB_OFFLINE": "1", "PYTHONUNBUFFERED": "1", "COLUMNS": WIDTH,
            "NO_COLOR": "1", "BERT_KATA_LANG": lang, "KATA_HYPOTHESIS_PROFILE": "ci"}


def clean(text: str, root: Path) -> str:
    text = text.replace(str(root) + os.sep, "").replace(str(root), ".")
    return "\n".join(line.rstrip() for line in text.splitlines()) + "\n"


def check(root: Path, lang: str) -> str:
    (root / "exercises" / f"{E01.name}.py").write_text((root / "solutions" / f"{E01.name}.py").read_text(
        encoding="utf-8"), encoding="utf-8")
    (root / "exercises" / f"{E02.name}.py").write_text(mutant(E02, "accepts_bool_index"), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "bertkata", "check"], cwd=root, env=env(root, lang),
                          capture_output=True, text=True, timeout=900)
    return "$ bert-kata check\n" + clean(proc.stdout, root)


def watch(root: Path, lang: str) -> str:
    target = root / "exercises" / f"{E01.name}.py"
    for e in (E01, E02):  # a learner at the start
        (root / "exercises" / f"{e.name}.py").write_text(stub_for(root, e.name, e.number), encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "bertkata", "watch"], cwd=root, env=env(root, lang),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
    lines: queue.Queue = queue.Queue()
    seen: list[str] = []
    threading.Thread(target=lambda: [lines.put(ln) for ln in proc.stdout] and lines.put(None), daemon=True).start()

    def until(pattern: str, timeout: float = 300) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = lines.get(timeout=0.2)
            except queue.Empty:
                continue
            if line is None:
                break
            seen.append(line)
            if re.search(pattern, line):
                return
        raise SystemExit(f"watch never printed {pattern!r}:\n{''.join(seen)}")

    watching = r"Watching|正在监视"
    right = (root / "solutions" / f"{E01.name}.py").read_text(encoding="utf-8")
    try:
        until(watching)
        for text in (mutant(E01, "max_length_512"), right.replace("max(", "max((", 1), right):
            time.sleep(1.5)  # a save a second apart, as a learner's are
            target.write_text(text, encoding="utf-8")
            until(r"^01 ")
        until(watching)
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=60)
    rest = []
    while not lines.empty():
        line = lines.get()
        if line is not None:
            rest.append(line)
    return "$ bert-kata watch\n" + clean("".join(seen + rest), root)


def main() -> int:
    for lang, suffix in (("en", ""), ("zh", ".zh")):
        with tempfile.TemporaryDirectory(prefix="bert-kata-docs-") as tmp:
            root = lay_out(Path(tmp))
            (ROOT / "docs" / f"check{suffix}.txt").write_text(check(root, lang), encoding="utf-8")
            (ROOT / "docs" / f"watch{suffix}.txt").write_text(watch(root, lang), encoding="utf-8")
        print(f"wrote docs/check{suffix}.txt and docs/watch{suffix}.txt")
    return 0


if __name__ == "__main__":
    sys.exit(main())
