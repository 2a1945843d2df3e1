"""Cheap status of the learner's files, for ``bert-kata list`` and ``watch``.

Running an exercise's tests imports torch and transformers (seconds), so
``list`` never does. Instead:

- a file that is still exactly its stub (:func:`bertkata.stubgen.stub_for`) is
  "not started";
- ``bert-kata check`` and ``watch`` record each result they compute in
  ``.kata-status.json`` at the project root, with the sha256 of the file they
  tested; while the file is unchanged that recorded status stands;
- any other file is "started" and needs ``bert-kata check N``.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from enum import StrEnum
from pathlib import Path

from bertkata.catalog import Exercise
from bertkata.i18n import T

STATUS_FILE = ".kata-status.json"


class Status(StrEnum):
    """An exercise's status, wherever it is shown or stored (``check``, ``watch``, ``list``, the status
    file, ``compare``'s reports); a ``str``, so it compares equal to its text and is written as it."""

    DONE = "done"
    IN_PROGRESS = "in progress"
    NOT_STARTED = "not started"
    BROKEN = "cannot import"
    MISSING = "missing"  # compare: the submission has no module for the exercise
    # What stopped a run early; each is also a failure's tag, and the exercise's status when it happened.
    TIMED_OUT = "timed out"
    OUT_OF_MEMORY = "out of memory"
    EXITS = "exits"
    CRASHED = "crashed"
    KILLED = "killed"
    ERROR = "error"


DONE, IN_PROGRESS, NOT_STARTED, BROKEN, MISSING = (Status.DONE, Status.IN_PROGRESS, Status.NOT_STARTED,
                                                   Status.BROKEN, Status.MISSING)
TIMED_OUT, OUT_OF_MEMORY, EXITS, CRASHED, KILLED, ERROR = (Status.TIMED_OUT, Status.OUT_OF_MEMORY, Status.EXITS,
                                                           Status.CRASHED, Status.KILLED, Status.ERROR)
INCIDENTS = (TIMED_OUT, OUT_OF_MEMORY, EXITS, CRASHED, KILLED, ERROR)
# How a status is coloured in the terminal (rich styles).
STYLE = {DONE: "green", IN_PROGRESS: "yellow", NOT_STARTED: "dim", BROKEN: "red", MISSING: "dim",
         TIMED_OUT: "magenta", OUT_OF_MEMORY: "magenta", EXITS: "magenta", CRASHED: "red", KILLED: "magenta",
         ERROR: "red"}
STARTED = "started"  # `list`: the file changed since its last recorded run
# How each status reads in the learner's language (the stored and compared value stays the English one).
WORDS = {DONE: T("done", "已完成"), IN_PROGRESS: T("in progress", "进行中"), NOT_STARTED: T("not started", "未开始"),
         BROKEN: T("cannot import", "无法导入"), MISSING: T("missing", "缺少文件"), TIMED_OUT: T("timed out", "超时"),
         OUT_OF_MEMORY: T("out of memory", "内存不足"), EXITS: T("exits", "进程退出"), CRASHED: T("crashed", "崩溃"),
         KILLED: T("killed", "被终止"), ERROR: T("error", "出错"), STARTED: T("started", "已开始")}


def word(status: str, lang: str | None = None) -> str:
    """``status`` as the learner reads it, in ``lang`` or the run's language (:mod:`bertkata.i18n`)."""
    w = WORDS.get(status)
    if w is None:
        return str(status)
    return w.get(lang) if lang else str(w)


def status_path(root: Path) -> Path:
    return root / STATUS_FILE


def exercise_file(root: Path, exercise: Exercise) -> Path:
    return root / "exercises" / f"{exercise.name}.py"


def digest(path: Path) -> str | None:
    """sha256 of the file's bytes, or None when it cannot be read."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def is_stub(root: Path, exercise: Exercise) -> bool | None:
    """Whether the learner's file is exactly the generated stub (None: cannot tell)."""
    from bertkata.stubgen import StubError, stub_for

    try:
        stub = stub_for(root, exercise.name, exercise.number)
        return exercise_file(root, exercise).read_text(encoding="utf-8") == stub
    except (OSError, UnicodeDecodeError, StubError):
        return None


def load(root: Path) -> dict:
    try:
        data = json.loads(status_path(root).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def record(root: Path, results, tested: dict[str, str | None]) -> None:
    """Remember ``results`` (runner.ExerciseResult, tested against ``root/exercises``) under
    ``tested``: each file's digest as read before its tests ran. A file saved again since is not
    recorded: its result belongs to text that is gone."""
    data = load(root)
    for r in results:
        before = tested.get(r.exercise.name)
        if before is None or before != digest(exercise_file(root, r.exercise)):
            continue
        data[r.exercise.name] = {
            "status": r.status, "passed": r.passed, "total": r.total,
            "sha256": before, "checked_at": time.strftime("%Y-%m-%d %H:%M:%S"),
        }
    try:  # atomic, so a crash never leaves half a file; losing the cache only costs a re-check
        fd, tmp = tempfile.mkstemp(prefix=STATUS_FILE, suffix=".tmp", dir=root)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f, indent=2, ensure_ascii=False)
        os.replace(tmp, status_path(root))
    except OSError:
        pass


def cached(root: Path, exercise: Exercise, data: dict | None = None) -> dict | None:
    """The recorded result of ``exercise`` if its file has not changed since, else None."""
    entry = (load(root) if data is None else data).get(exercise.name)
    if not isinstance(entry, dict) or not entry.get("sha256"):
        return None
    return entry if entry["sha256"] == digest(exercise_file(root, exercise)) else None


def quick(root: Path, exercise: Exercise, data: dict | None = None) -> tuple[str, dict | None]:
    """(status, recorded entry or None) without running anything."""
    path = exercise_file(root, exercise)
    if not path.is_file():
        return MISSING, None
    entry = cached(root, exercise, data)
    if entry:
        return entry["status"], entry
    if is_stub(root, exercise):
        return NOT_STARTED, None
    return STARTED, None
