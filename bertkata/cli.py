"""The ``bert-kata`` command line (also ``python -m bertkata``)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress_bar import ProgressBar
from rich.table import Table

from bertkata import catalog, i18n
from bertkata.i18n import T
from bertkata.impl import project_root
from bertkata.status import STYLE, Status, word

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                  help="A test-driven kata for transformers with bert-base-chinese.")
model_app = typer.Typer(add_completion=False, invoke_without_command=True,
                        help="Which bert-base-chinese is in use; `model download` fetches the real weights.")
app.add_typer(model_app, name="model")



def console(stderr: bool = False) -> Console:
    # rich already honours NO_COLOR and turns colour off when the output is not a terminal
    return Console(stderr=stderr, highlight=False)


def shown(path: Path) -> str:
    """``path`` relative to the working directory when it is inside it (shorter to read and copy)."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def die(message: str, code: int = 2) -> None:
    console(stderr=True).print(f"[red]{T('error', '错误')}{colon()}[/red]{escape(str(message))}")
    raise typer.Exit(code)


def colon() -> str:
    """A colon as the language writes it: full-width after Chinese text."""
    return "：" if i18n.current() == "zh" else ": "


def title(e: catalog.Exercise) -> str:
    return e.title_zh if i18n.current() == "zh" else e.title


LANG_OPTION = typer.Option(None, "--lang", help="en or zh (default: BERT_KATA_LANG, then `bert-kata config lang`, "
                                                 "then zh when the locale is Chinese, e.g. LANG=zh_CN.UTF-8)")


def pick_lang(lang: Optional[str]) -> str:
    """The run's language (bertkata.i18n); the processes this command starts use it too."""
    try:
        return i18n.choose(lang)
    except i18n.LangError as exc:
        die(str(exc))


def pick(number: Optional[int]) -> list[catalog.Exercise]:
    if number is None:
        return list(catalog.exercises())
    try:
        return [catalog.by_number(number)]
    except KeyError:
        die(T("there is no exercise {n}; the exercises are {valid}", "没有练习 {n}；练习的编号是 {valid}").format(
            n=number, valid=", ".join(str(e.number) for e in catalog.exercises())))


def ask(question) -> bool:
    """A yes/no question in the run's language; no answer (Enter, end of input) is no."""
    hint = T("[y/N]", "[y/N，是/否]")
    while True:
        try:
            answer = input(f"{question} {hint} ").strip().lower()
        except EOFError:
            print()
            return False
        if answer in ("", "n", "no", "否", "不"):
            return False
        if answer in ("y", "yes", "是", "好"):
            return True
        print(T("Answer y or n.", "请回答 y 或 n。"))


# ---------------------------------------------------------------- check


STUCK = T("Stuck? `bert-kata hint {n}`", "卡住了？运行 `bert-kata hint {n}`")


def progress_table(results) -> Table:
    table = Table(title=str(T("bert-kata progress", "bert-kata 进度")), title_justify="left")
    table.add_column("#", justify="right")
    table.add_column(str(T("exercise", "练习")), overflow="fold")
    table.add_column(str(T("status", "状态")), overflow="fold")
    table.add_column(str(T("tests", "测试")), justify="right")
    table.add_column("", min_width=12)
    for r in results:
        style = STYLE.get(r.status, "")
        bar = ProgressBar(total=max(r.total, 1), completed=r.passed, width=12,
                          complete_style=style or "green", finished_style="green")
        name = title(r.exercise) if i18n.current() == "zh" else f"{r.exercise.title} ({r.exercise.title_zh})"
        table.add_row(f"{r.exercise.number:02d}", escape(name),
                      f"[{style}]{word(r.status)}[/{style}]" if style else word(r.status), f"{r.passed}/{r.total}", bar)
    return table


def report(results, impl_dir: Path, out: Console) -> None:
    out.print(progress_table(results))
    done = sum(r.status == Status.DONE for r in results)
    out.print(str(T("{done} of {n} exercises done.", "{n} 个练习中已完成 {done} 个。")
                  if len(results) != 1 else T("{done} of {n} exercise done.", "{n} 个练习中已完成 {done} 个。"))
              .format(done=done, n=len(results)))
    # a mistake to fix comes before the next exercise to start
    started = [r for r in results if r.status not in (Status.DONE, Status.NOT_STARTED)]
    for r in started or [r for r in results if r.status == Status.NOT_STARTED]:
        first = r.first_failure
        rel = impl_dir / f"{r.exercise.name}.py"
        e = r.exercise
        out.print()
        if r.status == Status.NOT_STARTED:
            out.print(str(T("Next: exercise {n:02d}, {title}. Open {file} and write the functions marked TODO.",
                            "下一步：练习 {n:02d}，{title}。打开 {file}，写出标有 TODO 的函数。")
                          .format(n=e.number, title=escape(title(e)), file=escape(str(rel)))))
            out.print(f"  {escape(e.teaches_zh if i18n.current() == 'zh' else e.teaches)}")
            out.print(f"  {STUCK.format(n=e.number)}")
            return
        out.print(str(T("Exercise {n:02d} ({title}): {passed}/{total} tests pass. First failure, {test}:",
                        "练习 {n:02d}（{title}）：{passed}/{total} 个测试通过。第一个失败的测试 {test}：")
                      .format(n=e.number, title=escape(title(e)), passed=r.passed, total=r.total,
                              test=escape(first.name if first else "?"))))
        for line in (first.message if first else "").strip().splitlines()[:25]:
            out.print(f"  {escape(line)}")
        out.print(str(STUCK.format(n=e.number)))
        return


def run_check(exercises, impl_dir: Path, fmt: str | None = None, output: Path | None = None) -> int:
    """Check ``exercises`` against ``impl_dir``: the progress table, or ``fmt`` (bertkata.results.FORMATS)
    printed or written to ``output``. Exit code 0 only when every exercise is done."""
    from bertkata.forked import LEARNER_PROFILE, learner_limits, run_exercises, warm_parent
    from bertkata.runner import RunError
    from bertkata.source import ModelSourceError, resolve

    root = project_root()
    try:
        catalog.require_tests(root, exercises)
    except catalog.IncompleteKata as exc:
        die(str(exc))
    try:
        resolve()  # build the replica up front, with its one-line message, before pytest starts
    except ModelSourceError as exc:
        die(str(exc))
    # Each exercise runs in its own child forked from this warm process, one per core at a time,
    # the slowest (model) exercises first; whatever a learner's code does ends with its child.
    jobs = max(1, min(os.cpu_count() or 1, len(exercises)))
    order = catalog.Exercise.slowest_first(exercises)
    from bertkata import status

    tested = {e.name: status.digest(impl_dir / f"{e.name}.py") for e in exercises}
    try:
        warm_parent(exercises)
        results = run_exercises(order, impl_dir, limits=learner_limits(jobs), jobs=jobs, profile=LEARNER_PROFILE)
    except RunError as exc:
        die(str(exc))
    results.sort(key=lambda r: r.exercise.number)
    if impl_dir == root / "exercises":  # remembered for `bert-kata list` and `watch`
        status.record(root, results, tested)
    if fmt:
        from bertkata.results import render

        write_results(render(fmt, results, impl_dir), output)
    else:
        report(results, impl_dir, console())
    return 0 if all(r.status == Status.DONE for r in results) else 1


@app.command()
def check(
    numbers: Optional[list[int]] = typer.Argument(None, metavar="NUMBER",
                                                  help="exercise numbers, e.g. `check 8 10`; all exercises when omitted"),
    solutions: bool = typer.Option(False, "--solutions", help="check the reference solutions instead"),
    impl_dir: Optional[Path] = typer.Option(None, "--impl-dir", help="check the exercise modules in this folder"),
    as_json: bool = typer.Option(False, "--json", help="machine-readable output (the same as --format json)"),
    fmt: Optional[str] = typer.Option(None, "--format", help="json, gradescope or exercism: results for tools"),
    output: Optional[Path] = typer.Option(None, "--output", help="write the --format results to this file"),
    lang: Optional[str] = LANG_OPTION,
):
    """Run the tests and show a progress table. Exit code 0 only when everything checked is done."""
    pick_lang(lang)
    root = project_root()
    folder = impl_dir.resolve() if impl_dir else root / ("solutions" if solutions else "exercises")
    if not folder.is_dir():
        die(f"{folder} is not a folder of exercise modules")
    exercises = [e for n in dict.fromkeys(numbers) for e in pick(n)] if numbers else pick(None)
    raise typer.Exit(run_check(exercises, folder, result_format(fmt, as_json, output), output))


def result_format(fmt: Optional[str], as_json: bool = False, output: Optional[Path] = None) -> Optional[str]:
    from bertkata.results import FORMATS

    if fmt is not None and fmt not in FORMATS:
        die(f"--format {fmt!r}: use one of {', '.join(FORMATS)}")
    if output is not None and fmt is None and not as_json:
        die("--output writes the results of --format (json, gradescope or exercism): give one")
    return fmt or ("json" if as_json else None)


def write_results(data: dict, output: Optional[Path]) -> None:
    text = json.dumps(data, ensure_ascii=False, indent=2)
    if output is None:
        print(text)
        return
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = output.with_name(output.name + ".tmp")
    tmp.write_text(text + "\n", encoding="utf-8")
    os.replace(tmp, output)


@app.command()
def grade(
    submission: Path = typer.Argument(..., help="one learner's exercise modules, exercises/ folder, repository or .zip"),
    fmt: str = typer.Option("json", "--format", help="json, gradescope or exercism"),
    output: Optional[Path] = typer.Option(None, "--output", help="write the results to this file"),
    timeout: float = typer.Option(120.0, "--timeout", help="processor seconds one test may use"),
    memory_limit: int = typer.Option(4096, "--memory-limit", help="MB of memory the learner's code may use beyond the loaded model"),
    no_sandbox: bool = typer.Option(
        False, "--no-sandbox", help="run the learner's code without bubblewrap (grades are still decided outside "
                                    "it; use where the platform already isolates each submission)"),
    lang: Optional[str] = LANG_OPTION,
):
    """Grade one learner for a grading platform (Gradescope, GitHub Classroom, exercism).

    The submission is found and copied as `compare` does (never modified). Its code runs in a sandbox
    (bubblewrap) and the tests decide the grade outside it; every exercise's tests run in their own
    process under the derandomized `ci` hypothesis profile, so the same code always gets the same score.
    Exit code 0 only when every exercise is done.
    """
    pick_lang(lang)
    from bertkata import catalog as cat
    from bertkata import compare as grading
    from bertkata import sandbox
    from bertkata.forked import Limits, run_exercises, warm_parent
    from bertkata.submissions import prepare
    from bertkata.results import render
    from bertkata.runner import RunError

    fmt = result_format(fmt)
    root = project_root()
    exercises = list(cat.exercises())
    try:
        cat.require_tests(root, exercises)
    except cat.IncompleteKata as exc:
        die(str(exc))
    with tempfile.TemporaryDirectory(prefix="bert-kata-grade-") as tmp:
        [sub] = prepare([submission], Path(tmp), [e.name for e in cat.exercises()])
        if sub.modules is None:
            die(sub.problem or f"nothing to grade in {submission}")
        from bertkata.stubgen import stub_for

        for e in exercises:  # a module not handed in is graded as its stub: zero of the same maximum
            if not (sub.modules / f"{e.name}.py").is_file():
                stub = (stub_for(root, e.name, e.number) if (root / "solutions" / f"{e.name}.py").is_file()
                        else (root / "exercises" / f"{e.name}.py").read_text(encoding="utf-8"))  # no solutions shipped
                (sub.modules / f"{e.name}.py").write_text(stub, encoding="utf-8")
        jobs = max(1, min(os.cpu_count() or 1, len(exercises)))
        if not no_sandbox and sandbox.problem():
            die(f"cannot grade in a sandbox: {sandbox.problem()}")
        if timeout <= 0 or memory_limit <= 0:
            die("--timeout and --memory-limit must be positive")
        box = None
        try:
            box = sandbox.Sandbox(sub.modules, memory_limit, timeout, sandboxed=not no_sandbox,
                                  model=any(e.needs_model for e in exercises))  # boots while the model loads here
            sandbox.use(box)  # the children forked below call the learner's functions in it
            warm_parent(exercises)
            results = run_exercises(catalog.Exercise.slowest_first(exercises), sub.modules,
                                    limits=Limits(timeout=timeout, memory_mb=memory_limit,
                                                  threads=max(1, (os.cpu_count() or 1) // jobs)),
                                    jobs=jobs, profile="ci")
        except RunError as exc:
            die(str(exc))
        finally:
            sandbox.use(None)
            if box is not None:
                box.close()
        results.sort(key=lambda r: r.exercise.number)
        data = grading._replace_paths(render(fmt, results, sub.shown_as), str(sub.modules), sub.shown_as)
    write_results(data, output)
    if output is not None:  # the results went to the file: say so, and what they are
        done = sum(r.status == Status.DONE for r in results)
        console(stderr=True).print(
            f"Wrote {escape(str(output))}: {sum(r.passed for r in results)}/{sum(r.total for r in results)} tests "
            f"passed, {done} of {len(results)} exercises done (exit code 1 until all are).")
    raise typer.Exit(0 if all(r.status == Status.DONE for r in results) else 1)


# ---------------------------------------------------------------- list, hint


def quick_status(root: Path, exercise: catalog.Exercise, recorded: dict) -> str:
    """Status text for `list`, without running anything (see bertkata.status)."""
    from bertkata import status

    state, entry = status.quick(root, exercise, recorded)
    if entry:
        style = STYLE.get(state, "")
        text = str(T("{state} ({passed}/{total})", "{state}（{passed}/{total}）").format(
            state=word(state), passed=entry["passed"], total=entry["total"]))
        return f"[{style}]{escape(text)}[/{style}]" if style else escape(text)
    if state == status.NOT_STARTED:
        return f"[dim]{word(state)}[/dim]"
    if state == status.MISSING:
        return str(T("[red]file missing[/red] (bert-kata reset {n})", "[red]文件不见了[/red]（bert-kata reset {n}）")
                   .format(n=exercise.number))
    return str(T("started (run `bert-kata check {n}`)", "已开始（运行 `bert-kata check {n}`）").format(n=exercise.number))


@app.command("list")
def list_(lang: Optional[str] = LANG_OPTION):
    """Every exercise with its title, status and what it teaches; instant (runs no tests)."""
    from bertkata import status

    zh = pick_lang(lang) == "zh"
    root = project_root()
    recorded = status.load(root)
    table = Table(title=str(T("bert-kata exercises", "bert-kata 练习")), title_justify="left")
    # fold: a run of Chinese has no spaces to wrap at, and must not be cut short
    table.add_column("#", no_wrap=True)
    for col in (T("exercise", "练习"), T("status", "状态"), T("teaches", "学什么")):
        table.add_column(str(col), overflow="fold")
    for e in catalog.exercises():
        table.add_row(f"{e.number:02d}", escape(title(e)), quick_status(root, e, recorded),
                      escape(e.teaches_zh if zh else e.teaches))
    out = console()
    out.print(table)
    out.print(str(T("Status comes from the last `bert-kata check` (or `watch`) of an unchanged file. "
                    "Instructions: `bert-kata show N`.",
                    "状态来自文件未改动时最近一次 `bert-kata check`（或 `watch`）的结果。"
                    "查看说明：`bert-kata show N`。")))


def _hint_state_path() -> Path:
    return project_root() / ".kata-hints.json"


def _hints_seen() -> dict:
    try:
        state = json.loads(_hint_state_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return state if isinstance(state, dict) else {}


def _seen(state: dict, exercise: catalog.Exercise) -> int:
    seen = state.get(exercise.name, 0)
    return min(seen, len(exercise.hints)) if isinstance(seen, int) and seen >= 0 else 0


HINT = T("Hint {i}/{n}", "提示 {i}/{n}")
SHOWS_CODE = T("This hint shows the code.", "这条提示会给出代码。")


def _print_hint(exercise: catalog.Exercise, i: int, lang: str, out: Console) -> None:
    h = exercise.hints[i - 1]
    out.print(f"\n[bold]{HINT.format(i=i, n=len(exercise.hints))}{colon().strip()}[/bold]"
              + (f"{'' if lang == 'zh' else ' '}[yellow]{SHOWS_CODE}[/yellow]" if h.get("shows_code") else ""))
    out.print(escape(h[lang]), soft_wrap=bool(h.get("shows_code")))  # code keeps its lines: a wrapped one breaks it


def header(exercise: catalog.Exercise, out: Console) -> None:
    out.print(f"[bold]{T('Exercise', '练习')} {exercise.number:02d}{colon()}{escape(title(exercise))}[/bold]")


def show_exercise(exercise: catalog.Exercise, lang: str, hints_upto: int, out: Console) -> None:
    """An exercise's instructions from catalog.toml, then its first ``hints_upto`` hints."""
    header(exercise, out)
    out.print(f"{T('File', '文件')}{colon()}exercises/{exercise.name}.py   "
              f"{T('Functions', '函数')}{colon()}{', '.join(exercise.functions)}")
    # the instructions are laid out by hand (numbered steps, code); wrapping them again makes ragged lines
    out.print(escape((exercise.instructions_zh if lang == "zh" else exercise.instructions).strip()), soft_wrap=True)
    for i in range(1, hints_upto + 1):
        _print_hint(exercise, i, lang, out)


@app.command()
def show(
    number: int = typer.Argument(..., help="exercise number"),
    lang: Optional[str] = LANG_OPTION,
):
    """An exercise's instructions, and the hints you have already seen (reveals no new one)."""
    lang = pick_lang(lang)
    exercise = pick(number)[0]
    show_exercise(exercise, lang, _seen(_hints_seen(), exercise), console())


@app.command()
def hint(
    number: int = typer.Argument(..., help="exercise number"),
    show_all: bool = typer.Option(False, "--all", help="show every hint"),
    lang: Optional[str] = LANG_OPTION,
):
    """Progressive hints: each call shows one more, from the idea to the API to the code (the last one
    says first that it shows the code). The instructions: `bert-kata show N`."""
    lang = pick_lang(lang)
    exercise = pick(number)[0]
    hints = exercise.hints
    state = _hints_seen()
    seen = _seen(state, exercise)
    upto = len(hints) if show_all else min(seen + 1, len(hints))
    out = console()
    header(exercise, out)
    first = 1 if show_all or upto == seen else upto  # the new hint; all of them with --all, or when none is new
    for i in range(first, upto + 1):
        _print_hint(exercise, i, lang, out)
    if upto < len(hints):
        nxt = T("Run `bert-kata hint {n}` again for hint {i}.", "再次运行 `bert-kata hint {n}` 查看第 {i} 条提示。")
        if hints[upto].get("shows_code"):
            nxt = nxt + T(" It shows the code.", "那一条会给出代码。")
        out.print("\n" + str(nxt.format(n=number, i=upto + 1)))
    elif not show_all and seen == upto:
        out.print("\n" + str(T("That was the last hint. Earlier ones and the instructions: `bert-kata show {n}`.",
                                "这是最后一条提示。之前的提示和练习说明：`bert-kata show {n}`。").format(n=number)))
    state[exercise.name] = max(seen, upto)
    try:
        _hint_state_path().write_text(json.dumps(state, indent=2), encoding="utf-8")
    except OSError:
        pass  # hints still work read-only


# ---------------------------------------------------------------- solution


def _done(root: Path, exercise: catalog.Exercise) -> bool:
    """Whether the learner's file, as it is now, was last checked done (bertkata.status)."""
    from bertkata import status

    state, _ = status.quick(root, exercise, status.load(root))
    return state == Status.DONE


@app.command()
def solution(
    number: int = typer.Argument(..., help="exercise number"),
    yes: bool = typer.Option(False, "--yes", help="show it even though the exercise is not done yet"),
    lang: Optional[str] = LANG_OPTION,
):
    """The reference solution beside the correct alternatives, each with what it teaches. Before the
    exercise is done it asks first."""
    from rich.syntax import Syntax

    lang = pick_lang(lang)
    exercise = pick(number)[0]
    root = project_root()
    reference = root / "solutions" / f"{exercise.name}.py"
    if not reference.is_file():
        die(T("this copy of the kata has no solutions/{name}.py", "这份练习没有 solutions/{name}.py")
            .format(name=exercise.name))
    out = console()
    if not yes and not _done(root, exercise):
        question = T("Exercise {n:02d} is not done yet (as far as `bert-kata check {n}` last saw). Show the solution "
                "anyway?", "练习 {n:02d} 还没有完成（以最近一次 `bert-kata check {n}` 为准）。仍然查看答案吗？"
                ).format(n=number)
        if not sys.stdin.isatty():
            die(T("exercise {n:02d} is not done yet: run `bert-kata check {n}` first, or pass --yes to see the "
                  "solution anyway", "练习 {n:02d} 还没有完成：先运行 `bert-kata check {n}`，或加 --yes 直接查看答案"
                  ).format(n=number), 1)
        if not ask(question):
            raise typer.Exit(1)
    header(exercise, out)
    out.rule(str(T("The reference solution: solutions/{name}.py", "参考答案：solutions/{name}.py")
                 .format(name=exercise.name)))
    out.print(Syntax(reference.read_text(encoding="utf-8"), "python", word_wrap=True))
    for path, teaches in catalog.alternatives(root, exercise, lang):
        out.rule(str(T("Also correct: {file}", "另一种正确写法：{file}").format(
            file=f"alternatives/{exercise.name}/{path.name}")))
        if teaches:
            out.print(f"[bold]{escape(teaches)}[/bold]")
        out.print(Syntax(path.read_text(encoding="utf-8"), "python", word_wrap=True))


# ---------------------------------------------------------------- config


@app.command()
def config(
    key: str = typer.Argument(..., help="the setting: lang"),
    value: Optional[str] = typer.Argument(None, help="en, zh, or auto (follow BERT_KATA_LANG and the locale); "
                                                     "omitted: show the setting"),
):
    """Settings kept for this project (in .kata-settings.json): `bert-kata config lang zh`."""
    root = project_root()
    if key != "lang":
        die(T("unknown setting {key!r}: the one setting is lang", "没有名为 {key!r} 的设置：目前只有 lang").format(key=key))
    if value is None:
        kept = i18n.saved(root)
        pick_lang(None)
        console().print(str(T("lang = {lang} (saved: {kept})", "lang = {lang}（已保存的设置：{kept}）").format(
            lang=i18n.current(), kept=kept or T("none, from BERT_KATA_LANG or the locale", "无，取自 BERT_KATA_LANG 或区域设置"))))
        return
    if value not in (*i18n.LANGS, "auto"):
        die(T("lang {value!r}: use en, zh or auto", "lang {value!r}：只能是 en、zh 或 auto").format(value=value))
    path = i18n.save(root, None if value == "auto" else value)
    pick_lang(None if value == "auto" else value)
    console().print(str(T("Saved lang = {value} in {path}.", "已把 lang = {value} 保存到 {path}。").format(
        value=value, path=shown(path))))


# ---------------------------------------------------------------- reset


def backup_dir() -> Path:
    return project_root() / ".kata-backups"


def _fsync_dir(folder: Path) -> None:
    try:  # makes a rename durable; not every platform can open a folder
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_backup(target: Path, data: bytes) -> Path:
    """Write ``data`` (the bytes of ``target``) to a new timestamped file in
    .kata-backups/, fsynced, never overwriting an earlier backup; returns its path."""
    backups = backup_dir()
    backups.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    n = 0
    while True:
        backup = backups / (f"{target.stem}.{stamp}.py" if n == 0 else f"{target.stem}.{stamp}-{n}.py")
        try:
            fd = os.open(backup, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            n += 1
            continue
        break
    with os.fdopen(fd, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    shutil.copystat(target, backup)  # keep the file's own modification time
    _fsync_dir(backups)
    if backup.read_bytes() != data:
        raise OSError(f"the backup {backup} does not read back as written")
    return backup


def replace_atomically(target: Path, data: bytes) -> None:
    """Replace ``target`` by ``data`` in one rename: readers see the old or the new file, never half."""
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        if target.exists():
            shutil.copymode(target, tmp)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_dir(target.parent)


@app.command()
def reset(
    number: int = typer.Argument(..., help="exercise number"),
    yes: bool = typer.Option(False, "--yes", "-y", help="do not ask"),
    lang: Optional[str] = LANG_OPTION,
):
    """Restore an exercise's stub; your current file is first saved to a timestamped backup."""
    pick_lang(lang)
    from bertkata.stubgen import StubError, stub_for

    exercise = pick(number)[0]
    root = project_root()
    target = root / "exercises" / f"{exercise.name}.py"
    try:
        stub = stub_for(root, exercise.name, exercise.number).encode("utf-8")
    except (OSError, StubError) as exc:
        die(T("cannot build the stub of exercise {n:02d} from solutions/{name}.py: {exc}",
              "无法从 solutions/{name}.py 生成练习 {n:02d} 的存根：{exc}").format(n=exercise.number, name=exercise.name,
                                                                             exc=exc))
    out = console()
    current = target.read_bytes() if target.exists() else None
    if current == stub:
        out.print(str(T("{file} is already the stub; nothing to do.", "{file} 已经是存根，无需操作。").format(
            file=escape(shown(target)))))
        return
    if current is not None and not yes:
        if not sys.stdin.isatty():
            die(T("reset replaces your file; run it in a terminal to confirm, or pass --yes",
                  "reset 会替换你的文件：请在终端里运行以便确认，或加 --yes"))
        if not ask(T("Replace {file} with the stub? Your file is backed up first.",
                     "用存根替换 {file} 吗？你的文件会先备份。").format(file=shown(target))):
            raise typer.Exit(1)
        current = target.read_bytes() if target.exists() else None  # what is on disk now, after the question
    if current is not None:
        try:
            backup = write_backup(target, current)
        except OSError as exc:
            die(T("could not save a backup of {file}, so it was left as it is: {exc}",
                  "无法备份 {file}，所以它保持原样：{exc}").format(file=target, exc=exc))
        if (target.read_bytes() if target.exists() else None) != current:
            die(T("{file} changed while it was being backed up; nothing was replaced (backup: {backup})",
                  "{file} 在备份时被改动了；什么也没有替换（备份：{backup}）").format(file=target, backup=backup))
        out.print(str(T("Saved your file to {backup}", "你的文件已保存到 {backup}").format(
            backup=escape(shown(backup)))), soft_wrap=True)
        out.print(str(T("  (to get it back: cp {backup} {file})", "  （恢复它：cp {backup} {file}）").format(
            backup=escape(shown(backup)), file=escape(shown(target)))), soft_wrap=True)
    replace_atomically(target, stub)
    out.print(str(T("Restored the stub of exercise {n:02d} in {file}", "已在 {file} 恢复练习 {n:02d} 的存根").format(
        n=exercise.number, file=escape(shown(target)))), soft_wrap=True)


# ---------------------------------------------------------------- model


@model_app.callback()
def model(ctx: typer.Context, lang: Optional[str] = LANG_OPTION):
    """Show which model source is in use and whether its weights are pretrained."""
    pick_lang(lang)
    if ctx.invoked_subcommand:
        return
    from bertkata.source import ModelSourceError, resolve

    try:
        source = resolve()
    except ModelSourceError as exc:
        die(str(exc))
    out = console()
    zh = i18n.current() == "zh"
    weights = (T("pretrained bert-base-chinese", "预训练的 bert-base-chinese") if source.pretrained
               else T("replica (fixed seed, not pretrained)", "复刻模型（固定随机种子，未经预训练）"))
    for label, value in ((T("model source", "模型来源"), source.kind), (T("folder", "文件夹"), str(source.path)),
                         (T("weights", "权重"), weights)):
        out.print(f"{label}{colon()}{escape(str(value))}" if zh else f"{str(label) + ':':14}{escape(str(value))}")
    if not source.pretrained:
        out.print(str(T("Tokenization, shapes, masking and which rows get a gradient are exact; the numbers are not "
                        "the pretrained ones, so the tests check properties, not values. Online? "
                        "`bert-kata model download` fetches the real weights.",
                        "分词、形状、掩码以及哪些行得到梯度都与真实模型一致；权重里的数值不是预训练的，所以测试检查的是性质而不是数值。"
                        "能联网吗？`bert-kata model download` 会下载真实权重。")))


@model_app.command("download")
def model_download():
    """Fetch the real bert-base-chinese from the Hugging Face hub (needs internet)."""
    from bertkata.source import download_real_weights

    if os.environ.get("HF_HUB_OFFLINE") in ("1", "true", "True"):
        die("HF_HUB_OFFLINE is set; unset it to download")
    try:
        path = download_real_weights()
    except Exception as exc:  # the hub raises many kinds; the learner needs one sentence
        die(f"could not download bert-base-chinese from the hub ({type(exc).__name__}: {exc}). "
            "Check your connection or HF_ENDPOINT, or set KATA_MODEL=/path/to/bert-base-chinese.")
    console().print(f"Downloaded to {path}; `bert-kata model` now reports pretrained weights.")


@app.command()
def watch(
    number: Optional[int] = typer.Argument(None, help="start at this exercise; default: the first one not done"),
    only: bool = typer.Option(False, "--only", help="stay on this exercise instead of moving on when it is done"),
    lang: Optional[str] = LANG_OPTION,
):
    """Re-run the current exercise's tests each time you save its file (Ctrl-C to stop)."""
    from bertkata.watch import watch as watch_loop

    lang = pick_lang(lang)
    if number is not None:
        pick(number)
    try:
        code = watch_loop(start=number, only=only, lang=lang, out=console())
    except catalog.IncompleteKata as exc:
        die(str(exc))
    raise typer.Exit(code)


@app.command()
def compare(
    submissions: Optional[list[Path]] = typer.Argument(
        None, help="each learner's exercises/ folder, a clone of their repository, or a .zip of either"),
    report_dir: Optional[Path] = typer.Option(
        None, "--report", help="write report.csv, report.json and report.html into this folder (and, as "
                               "grading goes, results.jsonl: one line per learner graded)"),
    rebuild: Optional[Path] = typer.Option(
        None, "--rebuild", help="write the reports again from this folder's results.jsonl (after a crash "
                                "or a kill: every learner graded before it)"),
    timeout: float = typer.Option(120.0, "--timeout", help="processor seconds one test may use (it may take 6x that in wall time, "
                                                       "at least 60 s), and wall seconds one function call may take"),
    memory_limit: int = typer.Option(
        4096, "--memory-limit", help="MB of memory each learner's process may use beyond the loaded model"),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", help="submissions graded at once (default: cores)"),
    numbers: Optional[list[int]] = typer.Option(
        None, "--exercise", "-e", help="grade only this exercise number (repeatable)"),
    details: bool = typer.Option(False, "--details", help="also print each cell's first failure and differences"),
    no_sandbox: bool = typer.Option(
        False, "--no-sandbox", help="run learners' code without bubblewrap (only for code you trust: it can then "
                                    "read and change your files; grades are still decided outside it)"),
    lang: Optional[str] = LANG_OPTION,
):
    """Instructors: grade each submission against the solutions, each in its own sandbox.

    Exit code 0 once graded (whatever the scores); 1 when no submission could be graded.
    """
    pick_lang(lang)
    from bertkata import compare as grading
    from bertkata import compare_report, compare_table
    from bertkata.source import ModelSourceError

    out = console()
    if rebuild is not None:
        if submissions:
            die("--rebuild takes no submissions: it only writes the reports of a grading already done")
        try:
            result = grading.rebuild(rebuild)
        except ValueError as exc:
            die(str(exc))
        compare_table.print_summary(result, out, details=details)
        paths = compare_report.write_reports(result, rebuild)
        out.print("Report: " + ", ".join(escape(str(p)) for p in paths))
        return
    if not submissions:
        die("give the submissions to grade (folders or .zip files), or --rebuild DIR")
    if timeout <= 0 or memory_limit <= 0 or (jobs is not None and jobs < 1):
        die("--timeout, --memory-limit and --jobs must be positive")
    for n in numbers or ():
        pick(n)
    err = console(stderr=True)
    count = len(submissions)
    finished = []

    def done(index, sub, cells):
        finished.append(index)
        summary = " · ".join(f"{c['number']:02d} {compare_table.cell_text(c)}"
                             for c in sorted(cells.values(), key=lambda c: c["number"]))
        err.print(f"[{len(finished)}/{count}] {escape(sub.name)}: {escape(sub.problem or summary)}")

    options = grading.Options(timeout=timeout, memory_mb=memory_limit, jobs=jobs, numbers=tuple(numbers or ()),
                              sandbox=not no_sandbox)
    if not no_sandbox and hasattr(os, "geteuid") and os.geteuid() == 0:
        err.print("[yellow]Running as root: the sandbox limits memory and file size, but Linux does not apply its "
                  "process limit to root; run compare as an ordinary user for that too.[/yellow]")
    journal = report_dir / grading.JOURNAL if report_dir else None
    interrupted = False
    try:
        result = grading.compare(submissions, options, on_learner_done=done, journal=journal,
                                 on_status=lambda text: err.print(escape(text)))
    except (ModelSourceError, ValueError) as exc:
        die(str(exc))
    except grading.Interrupted as stop:
        result, interrupted = stop.report, True
    except KeyboardInterrupt:
        die("interrupted before grading began; every learner's process was stopped", 130)
    out.print()
    compare_table.print_summary(result, out, details=details)
    t = result["timing"]
    if interrupted:
        graded = sum(1 for lr in result["learners"] if lr["exercises"] and not any(
            (c.get("note") or "").startswith("not graded: grading was interrupted") for c in lr["exercises"]))
        out.print(f"[yellow]Interrupted:[/yellow] {graded} of {count} submissions were graded before it; "
                  "the others are marked not graded.")
    else:
        out.print(f"Graded {count} submission{'' if count == 1 else 's'} in {t['total_s']:.0f} s "
                  f"(loading {t['warm_up_s']:.0f} s, {result['settings']['jobs']} at a time).")
    if report_dir:
        paths = compare_report.write_reports(result, report_dir)
        out.print("Report: " + ", ".join(escape(str(p)) for p in paths))
    elif not details:
        out.print("[dim]--details prints each first failure; --report DIR writes CSV, JSON and HTML.[/dim]")
    if interrupted:
        raise typer.Exit(130)
    if all(learner["problem"] for learner in result["learners"]):
        raise typer.Exit(1)  # nothing could be graded


# ---------------------------------------------------------------- dev (authoring the kata)


dev_app = typer.Typer(add_completion=False, no_args_is_help=True,
                      help="Authoring the kata: lay out a new exercise, regenerate the stubs, check it all.")
app.add_typer(dev_app, name="dev")


@dev_app.command("new")
def dev_new(
    slug: str = typer.Argument(..., help="the exercise's name without its number, e.g. sentence_pairs"),
    title: str = typer.Option(..., "--title", help="its title in English"),
    title_zh: str = typer.Option(..., "--title-zh", help="its title in 简体中文"),
    function: str = typer.Option(..., "--function", help="the first function the learner writes"),
):
    """Lay out the next exercise everywhere it must exist (catalog, solution, stub, tests, mutants/,
    alternatives/), as templates to fill in; `bert-kata dev check` then says what is missing."""
    from bertkata import dev

    try:
        written = dev.new_exercise(project_root(), slug, title, title_zh, function)
    except (ValueError, FileExistsError) as exc:
        die(str(exc))
    out = console()
    for path in written:
        out.print(f"wrote {escape(shown(path))}")
    out.print("Next: write the solution, the tests, at least 4 mutants and 3 alternatives; "
              "`bert-kata dev stubs` after each change of the solution; `bert-kata dev check` until it passes.")


@dev_app.command("stubs")
def dev_stubs():
    """Write every exercise's stub (exercises/) from its solution; a changed file is backed up first."""
    from bertkata import dev

    changed = dev.regenerate_stubs(project_root())
    console().print("\n".join(f"wrote {escape(shown(p))}" for p in changed) or "every stub is up to date")


@dev_app.command("check")
def dev_check(
    quick: bool = typer.Option(False, "--quick", help="only the catalog and the files; run no tests"),
):
    """The one gate: catalog and files agree, stubs regenerate identically, every test fails on its stub,
    every solution passes, every mutant is rejected with its diagnosis, every alternative is accepted."""
    from bertkata import dev

    root = project_root()
    found = dev.problems(root)
    out = console()
    for p in found:
        out.print(f"[red]✗[/red] {escape(p)}")
    if found:
        raise typer.Exit(1)
    out.print("[green]✓[/green] the catalog and the files agree; every stub is generated from its solution")
    if quick:
        return
    files = [e.test_file for e in catalog.load(dev.catalog_path(root))]
    proc = subprocess.run([sys.executable, "-m", "pytest", "--target=solutions", "-n", "auto", "--dist", "loadgroup",
                           "-q", "-p", "no:cacheprovider", *files, "tests/meta"], cwd=root,
                          env={**os.environ, "KATA_HYPOTHESIS_PROFILE": "ci", "HF_HUB_OFFLINE": "1"})
    raise typer.Exit(proc.returncode)


def main() -> None:
    app()
