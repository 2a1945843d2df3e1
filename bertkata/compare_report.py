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

from bertkata.i18n import T, current, say
from bertkata.status import (BROKEN, CRASHED, DONE, ERROR, EXITS, IN_PROGRESS, KILLED, MISSING, NOT_STARTED,
                             OUT_OF_MEMORY, TIMED_OUT, Status, word)

MEANING = {
    DONE: T("every test passes", "所有测试通过"),
    IN_PROGRESS: T("some tests fail", "有测试失败"),
    NOT_STARTED: T("still the stub", "仍是未实现的存根"),
    BROKEN: T("the module does not import (syntax error, error at import)", "模块无法导入（语法错误，或导入时出错）"),
    MISSING: T("the submission has no module for this exercise", "作业中没有这个练习的模块"),
    TIMED_OUT: T("a test or call ran past the time limit (an endless loop?)", "某个测试或调用超过了时间限制（死循环？）"),
    OUT_OF_MEMORY: T("ran out of memory (past the memory limit)", "内存不足（超过了内存限制）"),
    EXITS: T("calls sys.exit / os._exit", "调用了 sys.exit / os._exit"),
    CRASHED: T("the process crashed", "进程崩溃"),
    KILLED: T("the process was killed (SIGKILL: the system's out-of-memory killer, or another program)",
              "进程被终止（SIGKILL：系统的内存不足终止机制，或其他程序）"),
    ERROR: T("the grader could not run the tests", "评分程序无法运行测试"),
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
    env.filters["word"] = word
    env.globals.update(first_line=first_line, tr=say, title_of=title_of)
    seen = {c["status"] for lr in report["learners"] for c in lr["exercises"]}
    legend = [(s, str(MEANING[s])) for s in Status if s in seen]
    return env.get_template("report.html").render(report=report, settings=report["settings"], legend=legend,
                                                  n=len(report["learners"]), lang=current())


def title_of(exercise: dict) -> str:
    """An exercise's title in the run's language (the catalog's; the report's own when the catalog has none)."""
    from bertkata.catalog import by_name

    try:
        e = by_name(exercise["name"])
    except KeyError:
        return exercise.get("title") or exercise["name"]
    return e.title_zh if current() == "zh" else e.title


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
