"""Authoring the kata: ``bert-kata dev new``, ``dev stubs`` and ``dev check``.

An exercise is, everywhere it must exist:

- its entry in ``bertkata/catalog.toml`` (number, name, titles, functions, instructions, hints);
- ``solutions/eNN_name.py``, the reference, with ``# BEGIN SOLUTION`` regions (:mod:`bertkata.stubgen`);
- ``exercises/eNN_name.py``, the stub generated from it (``dev stubs``), never written by hand;
- ``tests/test_eNN_name.py``;
- ``mutants/eNN_name/`` (at least :data:`MIN_MUTANTS` wrong functions, each only the wrong function,
  laid over the solution) and ``alternatives/eNN_name/`` (at least :data:`MIN_ALTERNATIVES` correct ones).

:func:`problems` lists every way the files and the catalog disagree; ``dev check`` runs it and then the
tests about the tests (every test fails on its stub, every solution passes, every mutant is rejected with
its diagnosis, every alternative accepted). ``make test`` runs the same checks (``tests/meta``).
"""

from __future__ import annotations

import ast
import re
import shutil
from pathlib import Path

from bertkata import catalog

MIN_MUTANTS = 4
MIN_ALTERNATIVES = 3
NAME = re.compile(r"^[a-z][a-z0-9_]*$")


def _functions(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}


def catalog_path(root: Path) -> Path:
    """The catalog of the kata at ``root`` (``bertkata/catalog.toml`` there)."""
    return root / "bertkata" / "catalog.toml"


def problems(root: Path) -> list[str]:
    """Every disagreement between the catalog and the exercise files under ``root`` (empty: all agree)."""
    from bertkata.stubgen import StubError, stub_for

    out = []
    exercises = catalog.load(catalog_path(root))
    numbers = [e.number for e in exercises]
    if numbers != list(range(1, len(numbers) + 1)):
        out.append(f"catalog.toml: exercise numbers must run 1, 2, 3, ... in order; they are {numbers}")
    for e in exercises:
        if e.name != f"e{e.number:02d}_{e.name[4:]}" or not NAME.match(e.name[4:]):
            out.append(f"catalog.toml: exercise {e.number}'s name {e.name!r} must be e{e.number:02d}_<lowercase_name>")
        solution = root / "solutions" / f"{e.name}.py"
        if not solution.is_file():
            out.append(f"{e.name}: no solutions/{e.name}.py")
            continue
        missing = [f for f in e.functions if f not in _functions(solution)]
        if missing:
            out.append(f"{e.name}: solutions/{e.name}.py lacks the catalog's functions {missing}")
        try:
            stub = stub_for(root, e.name, e.number)
        except StubError as exc:
            out.append(f"{e.name}: the stub cannot be made from solutions/{e.name}.py: {exc}")
            stub = None
        exercise = root / "exercises" / f"{e.name}.py"
        if not exercise.is_file():
            out.append(f"{e.name}: no exercises/{e.name}.py (run `bert-kata dev stubs`)")
        elif stub is not None and exercise.read_text(encoding="utf-8") != stub:
            out.append(f"{e.name}: exercises/{e.name}.py is not the stub of its solution (run `bert-kata dev stubs`)")
        if not (root / e.test_file).is_file():
            out.append(f"{e.name}: no {e.test_file}")
        for kind, least in (("mutants", MIN_MUTANTS), ("alternatives", MIN_ALTERNATIVES)):
            found = sorted((root / kind / e.name).glob("*.py"))
            if len(found) < least:
                out.append(f"{e.name}: {len(found)} files in {kind}/{e.name}/, at least {least} needed")
        if not e.hints or not e.hints[-1].get("shows_code"):
            out.append(f"{e.name}: catalog.toml needs hints, the last with shows_code = true")
    known = {e.name for e in exercises}
    for folder in ("solutions", "exercises", "mutants", "alternatives"):
        for path in sorted((root / folder).glob("e[0-9][0-9]_*")):
            if path.stem not in known and path.name not in known:
                out.append(f"{folder}/{path.name} belongs to no exercise in catalog.toml")
    for path in sorted((root / "tests").glob("test_e[0-9][0-9]_*.py")):
        if path.stem.removeprefix("test_") not in known:
            out.append(f"tests/{path.name} belongs to no exercise in catalog.toml")
    return out


def learner_copy(root: Path, dest: Path) -> Path:
    """A copy of the kata at ``root`` as a learner starts it, in the new folder ``dest``: every exercise
    file its stub (for the project's tests and ``docs/generate.py``)."""
    from bertkata.stubgen import stub_for

    dest.mkdir()
    for name in ("exercises", "solutions", "alternatives", "tests", "conftest.py", "pyproject.toml"):
        src = root / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(src, dest / name)
    for e in catalog.exercises():
        if (dest / "solutions" / f"{e.name}.py").exists():
            (dest / "exercises" / f"{e.name}.py").write_text(stub_for(dest, e.name, e.number), encoding="utf-8")
    return dest


def regenerate_stubs(root: Path) -> list[Path]:
    """Write each exercise's stub from its solution; returns the files that changed. A changed file is
    first backed up to ``.kata-backups/`` (it may hold someone's work)."""
    from bertkata.cli import write_backup
    from bertkata.stubgen import stub_for

    changed = []
    for e in catalog.load(catalog_path(root)):
        if not (root / "solutions" / f"{e.name}.py").is_file():
            continue
        path = root / "exercises" / f"{e.name}.py"
        text = stub_for(root, e.name, e.number)
        if path.is_file():
            if path.read_text(encoding="utf-8") == text:
                continue
            write_backup(path, path.read_bytes())
        path.write_text(text, encoding="utf-8")
        changed.append(path)
    return changed


SOLUTION = '''"""Exercise {n:02d}: {title}.

What this exercise teaches, where the behaviour comes from (transformers, tokenizers, torch), and the
pitfalls learners hit. Then the same in 简体中文.

练习 {n:02d}：{title_zh}。……
"""

from __future__ import annotations


def {function}(tokenizer, sentences):
    """One line on what it returns.

    Args:
        tokenizer: ...
        sentences: ...

    Returns:
        ... (shape, dtype)

    Raises:
        TypeError: ...
        ValueError: ...
    """
    # BEGIN SOLUTION: what the learner writes here, in one line
    raise NotImplementedError("the reference solution of {name}.{function} is not written yet")
    # END SOLUTION
'''

TEST = '''"""Exercise {n:02d}: {title}. The tests come first, the diagnosis helpers after them."""

from bertkata import seed
from bertkata.calls import observe

SEED = list(seed.SEED)


def test_{function}_on_the_seed_batch(impl, tokenizer):
    rec = observe("{function}(tokenizer, SEED)", impl.{function}, tokenizer, list(SEED), tokenizer=tokenizer)
    out = rec.result()
    assert out is not None  # replace with what bert-base-chinese really does
'''

CATALOG = '''
[[exercise]]
number = {n}
name = "{name}"
title = "{title}"
title_zh = "{title_zh}"
functions = ["{function}"]
needs_model = false
teaches = "What the learner will understand after this exercise."
teaches_zh = "做完这个练习后学员会明白什么。"
instructions = """
What to write, in a few numbered steps.
"""
instructions_zh = """
要写什么，分几步说明。
"""

[[exercise.hints]]
en = "The idea. Look up `PreTrainedTokenizerBase.__call__`."
zh = "思路。查阅 `PreTrainedTokenizerBase.__call__`。"

[[exercise.hints]]
en = "The code: `{function}(...)`."
zh = "代码：`{function}(...)`。"
shows_code = true
'''


def new_exercise(root: Path, slug: str, title: str, title_zh: str, function: str) -> list[Path]:
    """Lay out exercise ``eNN_<slug>`` (NN: the next number) everywhere it must exist; returns the new files.

    Everything written is a template to fill in: ``dev check`` says what is still missing (mutants,
    alternatives, a written solution)."""
    from bertkata.stubgen import stub_for

    if not NAME.match(slug) or not NAME.match(function):
        raise ValueError(f"{slug!r} / {function!r}: use lowercase letters, digits and _, starting with a letter")
    toml = catalog_path(root)
    n = len(catalog.load(toml)) + 1
    name = f"e{n:02d}_{slug}"
    fields = {"n": n, "name": name, "title": title, "title_zh": title_zh, "function": function}
    paths = {root / "solutions" / f"{name}.py": SOLUTION, root / "tests" / f"test_{name}.py": TEST}
    for path in [*paths, root / "mutants" / name, root / "alternatives" / name, root / "exercises" / f"{name}.py"]:
        if path.exists():
            raise FileExistsError(f"{path} already exists: nothing was written")
    for path, template in paths.items():
        path.write_text(template.format(**fields), encoding="utf-8")
    for kind in ("mutants", "alternatives"):
        (root / kind / name).mkdir(parents=True)
    (root / "exercises" / f"{name}.py").write_text(stub_for(root, name, n), encoding="utf-8")
    with toml.open("a", encoding="utf-8") as f:
        f.write(CATALOG.format(**fields))
    if toml == catalog.PATH:
        catalog.exercises.cache_clear()
    return [*paths, root / "exercises" / f"{name}.py", toml]
