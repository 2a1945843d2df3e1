"""Helpers shared by the tests about the tests (fixtures live in conftest.py)."""

import shutil
from pathlib import Path

from bertkata import catalog
from bertkata.impl import project_root
from bertkata.stubgen import stub_for

ROOT = project_root()


def mutant_files():
    """Every mutant: (exercise, path) for mutants/<exercise>/<mistake>.py."""
    out = []
    for e in catalog.exercises():
        for path in sorted((ROOT / "mutants" / e.name).glob("*.py")):
            out.append((e, path))
    return out


def write_stubs(folder: Path) -> Path:
    """Every exercise's stub, generated from its solution (independent of the learner's edits)."""
    for e in catalog.exercises():
        (folder / f"{e.name}.py").write_text(stub_for(ROOT, e.name, e.number), encoding="utf-8")
    return folder


def as_impl_dir(tmp_path: Path, exercise, path: Path) -> Path:
    """A folder where ``path`` stands in for the exercise's module, as in a learner's exercises/."""
    folder = tmp_path / path.stem
    folder.mkdir()
    shutil.copyfile(path, folder / f"{exercise.name}.py")
    return folder
