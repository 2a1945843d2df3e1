"""The reports of ``bert-kata compare --report DIR``: ``report.csv`` (one row per learner, for a
gradebook), ``report.json`` (everything) and ``report.html``.

The HTML page is rendered by Jinja2 from ``templates/report.html`` with autoescaping on: one file,
inline CSS, no scripts, no external assets; the class matrix (learner × exercise, coloured by status,
each cell linking to its details), then each learner's details: the first failure of every exercise
and the per-function comparison with the solution on the seed batch. Nothing a learner wrote (names,
messages, outputs) can add markup or script.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from bertkata.status import (BROKEN, CRASHED, DONE, ERROR, EXITS, IN_PROGRESS, KILLED, MISSING, NOT_STARTED,
                             OUT_OF_MEMORY, TIMED_OUT, Status)

MEANING = {
    DONE: "every test passes",
    IN_PROGRESS: "some tests fail",
    NOT_STARTED: "still the stub",
    BROKEN: "the module does not import (syntax error, error at import)",
    MISSING: "the submission has no module for this exercise",
    TIMED_OUT: "a test or call ran past the time limit (an endless loop?)",
    OUT_OF_MEMORY: "ran out of memory (past the memory limit)",
    EXITS: "calls sys.exit / os._exit",
    CRASHED: "the process crashed",
    KILLED: "the process was killed (SIGKILL: the system's out-of-memory killer, or another program)",
    ERROR: "the grader could not run the tests",
}


def first_line(cell: dict) -> str:
    """The one line that says what went wrong in a cell."""
    text = cell.get("note") or ((cell.get("first_failure") or {}).get("message") or "")
    lines = [ln.strip() for ln in text.strip().splitlines() if ln.strip()]
    return lines[0] if lines else ""


def css_class(status: str) -> str:
    return str(status).replace(" ", "-")


def render(report: dict) -> str:
    """The report page as one HTML string."""
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(loader=PackageLoader("bertkata", "templates"), autoescape=select_autoescape(default=True),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["css"] = css_class
    env.globals["first_line"] = first_line
    seen = {c["status"] for lr in report["learners"] for c in lr["exercises"]}
    legend = [(s, MEANING[s]) for s in Status if s in seen]
    return env.get_template("report.html").render(report=report, settings=report["settings"], legend=legend,
                                                  n=len(report["learners"]))


def csv_rows(report: dict) -> list[list]:
    """One row per learner: passed, total and status of each exercise, then the totals."""
    head = ["learner"]
    for e in report["exercises"]:
        n = f"{e['number']:02d}"
        head += [f"{n}_passed", f"{n}_total", f"{n}_status"]
    head += ["passed", "total", "problem", "source"]
    rows = [head]
    for learner in report["learners"]:
        row = [learner["name"]]
        for c in learner["exercises"]:
            row += [c["passed"], c["total"], c["status"]]
        row += [learner["passed"], learner["total"], learner["problem"] or "", learner["source"]]
        rows.append(row)
    return rows


def write_reports(report: dict, folder: Path) -> list[Path]:
    """``report.csv``, ``report.json`` and a self-contained ``report.html`` in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / "report.csv", folder / "report.json", folder / "report.html"]
    with open(paths[0], "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(csv_rows(report))
    paths[1].write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    paths[2].write_text(render(report), encoding="utf-8")
    return paths
