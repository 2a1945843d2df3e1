"""The ``bert-kata`` command line (also ``python -m bertkata``)."""

from __future__ import annotations

import json
import locale
import os
import shutil
import sys
import time
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress_bar import ProgressBar
from rich.table import Table

from bertkata import catalog
from bertkata.impl import project_root

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                  help="A test-driven kata for transformers with bert-base-chinese.")
model_app = typer.Typer(add_completion=False, invoke_without_command=True,
                        help="Which bert-base-chinese is in use; `model download` fetches the real weights.")
app.add_typer(model_app, name="model")

STATUS_STYLE = {"done": "green", "in progress": "yellow", "not started": "dim", "cannot import": "red"}


def console(stderr: bool = False) -> Console:
    # rich already honours NO_COLOR and turns colour off when the output is not a terminal
    return Console(stderr=stderr, highlight=False)


def die(message: str, code: int = 2) -> None:
    console(stderr=True).print(f"[red]error:[/red] {escape(message)}")
    raise typer.Exit(code)


def pick(number: Optional[int]) -> list[catalog.Exercise]:
    if number is None:
        return list(catalog.exercises())
    try:
        return [catalog.by_number(number)]
    except KeyError as exc:
        die(exc.args[0])


def lang_default() -> str:
    loc = os.environ.get("LC_ALL") or os.environ.get("LC_MESSAGES") or os.environ.get("LANG") \
        or (locale.getlocale()[0] or "")
    return "zh" if loc.lower().startswith("zh") else "en"


# ---------------------------------------------------------------- check


def progress_table(results) -> Table:
    table = Table(title="bert-kata progress", title_justify="left")
    table.add_column("#", justify="right")
    table.add_column("exercise")
    table.add_column("status")
    table.add_column("tests", justify="right")
    table.add_column("", min_width=12)
    for r in results:
        style = STATUS_STYLE.get(r.status, "")
        bar = ProgressBar(total=max(r.total, 1), completed=r.passed, width=12,
                          complete_style=style or "green", finished_style="green")
        table.add_row(f"{r.exercise.number:02d}", f"{r.exercise.title} ({r.exercise.title_zh})",
                      f"[{style}]{r.status}[/{style}]" if style else r.status, f"{r.passed}/{r.total}", bar)
    return table


def report(results, impl_dir: Path, out: Console) -> None:
    out.print(progress_table(results))
    done = sum(r.status == "done" for r in results)
    out.print(f"{done} of {len(results)} exercises done.")
    for r in results:
        if r.status == "done":
            continue
        first = r.first_failure
        rel = impl_dir / f"{r.exercise.name}.py"
        out.print()
        if r.status == "not started":
            out.print(f"Next: exercise {r.exercise.number:02d}, {escape(r.exercise.title)}. "
                      f"Open {escape(str(rel))} and write the functions marked TODO.")
            out.print(f"  {escape(r.exercise.teaches)}")
            out.print(f"  Stuck? `bert-kata hint {r.exercise.number}`")
            return
        out.print(f"Exercise {r.exercise.number:02d} ({escape(r.exercise.title)}): "
                  f"{r.passed}/{r.total} tests pass. First failure, {escape(first.name if first else '?')}:")
        for line in (first.message if first else "").strip().splitlines()[:25]:
            out.print(f"  {escape(line)}")
        out.print(f"Stuck? `bert-kata hint {r.exercise.number}`")
        return


def run_check(exercises, impl_dir: Path, as_json: bool = False) -> int:
    from bertkata.runner import RunError, run
    from bertkata.source import ModelSourceError, resolve

    try:
        resolve()  # build the replica up front, with its one-line message, before pytest starts
    except ModelSourceError as exc:
        die(str(exc))
    try:
        results = run(exercises, impl_dir)
    except RunError as exc:
        die(str(exc))
    if as_json:
        print(json.dumps({"impl_dir": str(impl_dir), "exercises": [r.as_dict() for r in results]},
                         ensure_ascii=False, indent=2))
    else:
        report(results, impl_dir, console())
    return 0 if all(r.status == "done" for r in results) else 1


@app.command()
def check(
    number: Optional[int] = typer.Argument(None, help="exercise number; all exercises when omitted"),
    solutions: bool = typer.Option(False, "--solutions", help="check the reference solutions instead"),
    impl_dir: Optional[Path] = typer.Option(None, "--impl-dir", help="check the exercise modules in this folder"),
    as_json: bool = typer.Option(False, "--json", help="machine-readable output"),
):
    """Run the tests and show a progress table. Exit code 0 only when everything checked is done."""
    root = project_root()
    folder = impl_dir.resolve() if impl_dir else root / ("solutions" if solutions else "exercises")
    if not folder.is_dir():
        die(f"{folder} is not a folder of exercise modules")
    raise typer.Exit(run_check(pick(number), folder, as_json))


# ---------------------------------------------------------------- list, hint


@app.command("list")
def list_(lang: str = typer.Option(lang_default(), "--lang", help="en or zh")):
    """Every exercise with its title and what it teaches (status: `bert-kata check`)."""
    table = Table(title="bert-kata exercises", title_justify="left")
    for col in ("#", "exercise", "functions", "teaches"):
        table.add_column(col)
    for e in catalog.exercises():
        table.add_row(f"{e.number:02d}", e.title_zh if lang == "zh" else e.title, ", ".join(e.functions),
                      e.teaches_zh if lang == "zh" else e.teaches)
    console().print(table)


def _hint_state_path() -> Path:
    return project_root() / ".kata-hints.json"


@app.command()
def hint(
    number: int = typer.Argument(..., help="exercise number"),
    show_all: bool = typer.Option(False, "--all", help="show every hint"),
    lang: str = typer.Option(lang_default(), "--lang", help="en or zh (default from the locale)"),
):
    """Progressive hints: each call shows one more."""
    if lang not in ("en", "zh"):
        die(f"--lang {lang!r}: use en or zh")
    exercise = pick(number)[0]
    hints = exercise.hints
    state_path = _hint_state_path()
    try:
        state = json.loads(state_path.read_text())
    except (OSError, ValueError):
        state = {}
    seen = state.get(exercise.name, 0)
    upto = len(hints) if show_all else min(seen + 1, len(hints))
    out = console()
    out.print(f"Exercise {exercise.number:02d}: {escape(exercise.title_zh if lang == 'zh' else exercise.title)}")
    out.print(escape((exercise.instructions_zh if lang == "zh" else exercise.instructions).strip()))
    out.print()
    for i, h in enumerate(hints[:upto], 1):
        out.print(f"Hint {i}/{len(hints)}: {escape(h[lang])}")
    if upto < len(hints):
        out.print(f"\nRun `bert-kata hint {number}` again for the next hint.")
    state[exercise.name] = max(seen, upto)
    try:
        state_path.write_text(json.dumps(state, indent=2))
    except OSError:
        pass  # hints still work read-only


# ---------------------------------------------------------------- reset


def backup_dir() -> Path:
    return project_root() / ".kata-backups"


@app.command()
def reset(
    number: int = typer.Argument(..., help="exercise number"),
    yes: bool = typer.Option(False, "--yes", "-y", help="do not ask"),
):
    """Restore an exercise's stub; your current file is first saved to a timestamped backup."""
    from bertkata.stubgen import stub_for

    exercise = pick(number)[0]
    root = project_root()
    target = root / "exercises" / f"{exercise.name}.py"
    stub = stub_for(root, exercise.name, exercise.number)
    out = console()
    if target.exists() and target.read_text(encoding="utf-8") == stub:
        out.print(f"{target} is already the stub; nothing to do.")
        return
    if target.exists() and not yes:
        if not sys.stdin.isatty():
            die("reset replaces your file; run it in a terminal to confirm, or pass --yes")
        if not typer.confirm(f"Replace {target} with the stub? Your file is backed up first.", default=False):
            raise typer.Exit(1)
    if target.exists():
        backups = backup_dir()
        backups.mkdir(exist_ok=True)
        stamp = time.strftime("%Y%m%d-%H%M%S")
        backup = backups / f"{exercise.name}.{stamp}.py"
        n = 1
        while backup.exists():
            backup = backups / f"{exercise.name}.{stamp}-{n}.py"
            n += 1
        shutil.copy2(target, backup)
        out.print(f"Saved your file to {backup}")
    tmp = target.with_suffix(".py.tmp")
    tmp.write_text(stub, encoding="utf-8")
    os.replace(tmp, target)
    out.print(f"Restored the stub of exercise {exercise.number:02d} in {target}")


# ---------------------------------------------------------------- model


@model_app.callback()
def model(ctx: typer.Context):
    """Show which model source is in use and whether its weights are pretrained."""
    if ctx.invoked_subcommand:
        return
    from bertkata.source import ModelSourceError, resolve

    try:
        source = resolve()
    except ModelSourceError as exc:
        die(str(exc))
    out = console()
    out.print(f"model source: {escape(source.kind)}")
    out.print(f"folder:       {escape(str(source.path))}")
    out.print(f"weights:      {'pretrained bert-base-chinese' if source.pretrained else 'replica (fixed seed, not pretrained)'}")
    if not source.pretrained:
        out.print("Tokenization, shapes, masking and gradients are exact; tests that need pretrained numbers are "
                  "skipped. Online? `bert-kata model download` fetches the real weights.")


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


def main() -> None:
    app()
