"""The class matrix of ``bert-kata compare`` in the terminal: learner × exercise, one coloured cell each,
the legend, and with ``--details`` each cell's first failure and the functions that differ."""

from __future__ import annotations

from bertkata.compare_report import MEANING, first_line, title_of
from bertkata.i18n import T, say
from bertkata.status import (BROKEN, CRASHED, DONE, ERROR, EXITS, KILLED, MISSING, OUT_OF_MEMORY, STYLE, TIMED_OUT,
                             Status, word)

# the word shown after "passed/total" in a cell whose status is not a score
TAG = {BROKEN: T("import", "导入"), MISSING: T("missing", "缺少"), TIMED_OUT: T("timeout", "超时"),
       OUT_OF_MEMORY: T("memory", "内存"), EXITS: T("exit", "退出"), CRASHED: T("crash", "崩溃"),
       KILLED: T("killed", "终止"), ERROR: T("error", "出错")}


def cell_text(cell: dict) -> str:
    """``passed/total``, plus a word when the status is not just a score (``0/16 timeout``)."""
    if cell["status"] == MISSING:
        return str(TAG[MISSING])
    score = f"{cell['passed']}/{cell['total']}" if cell["total"] else "–"
    tag = TAG.get(cell["status"])
    return f"{score} {tag}" if tag else score


def mistake_line(cell: dict) -> str:
    """The "likely mistake: ..." line of a cell's first failure (the diagnosis), if it has one."""
    message = (cell.get("first_failure") or {}).get("message") or ""
    return next((ln.strip() for ln in message.splitlines()
                 if ln.strip().startswith(("likely mistake:", "可能的错误："))), "")


def summary_table(report: dict):
    """The class matrix for the terminal: learner × exercise."""
    from rich.markup import escape
    from rich.table import Table

    table = Table(title=say("bert-kata compare: tests passed per exercise", "bert-kata compare：各练习通过的测试数"),
                  title_justify="left")
    table.add_column(say("learner", "学员"))
    for e in report["exercises"]:
        table.add_column(f"{e['number']:02d}", justify="right")
    table.add_column(say("total", "合计"), justify="right")
    for learner in report["learners"]:
        cells = []
        for c in learner["exercises"]:
            style = STYLE[c["status"]]
            cells.append(f"[{style}]{escape(cell_text(c))}[/{style}]")
        total = f"{learner['passed']}/{learner['total']}" if not learner["problem"] else f"[red]{say('not graded', '未评分')}[/red]"
        table.add_row(escape(learner["name"]), *cells, total)
    return table


def print_summary(report: dict, out, details: bool = False) -> None:
    from rich.markup import escape

    out.print(summary_table(report))
    titles = ", ".join(f"{e['number']:02d} {title_of(e)}" for e in report["exercises"])
    out.print(f"[dim]{escape(titles)}[/dim]")
    seen = {c["status"] for lr in report["learners"] for c in lr["exercises"]}
    legend = "; ".join(f"[{STYLE[s]}]{word(s)}[/{STYLE[s]}]: {MEANING[s]}" for s in Status if s in seen)
    out.print(f"[dim]{legend}[/dim]" if legend else "")
    for s in report["skipped_exercises"]:
        out.print(f"[dim]{say('not graded', '未评分')}: {escape(s['name'])} ({escape(s['reason'])})[/dim]")
    for learner in report["learners"]:
        if learner["problem"]:
            out.print(f"[red]{escape(learner['name'])}[/red]: {escape(learner['problem'])}")
        for warning in learner.get("warnings") or ():
            out.print(f"[yellow]{escape(learner['name'])}[/yellow]: {escape(warning)}")
    if not details:
        return
    for learner in report["learners"]:
        lines = []
        for c in learner["exercises"]:
            if c["status"] != DONE and first_line(c):
                lines.append(f"  {c['number']:02d} {escape(word(c['status']))}: {escape(first_line(c)[:200])}")
                if mistake_line(c):
                    lines.append(f"     {escape(mistake_line(c)[:300])}")
            for f in c.get("functions", []):
                if f["status"] != "same":
                    lines.append(f"     {escape(f['function'])}: {escape(f['status'])}"
                                 + (f" ({escape(str(f.get('detail', ''))[:160])})" if f.get("detail") else ""))
        if lines:
            out.print(f"\n[bold]{escape(learner['name'])}[/bold]")
            for line in lines:
                out.print(line)
