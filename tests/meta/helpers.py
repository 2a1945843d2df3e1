"""Helpers shared by the tests about the tests (fixtures live in conftest.py)."""

from pathlib import Path

from bertkata import catalog
from bertkata.impl import project_root
from bertkata.reference import laid_over
from bertkata.stubgen import stub_for

ROOT = project_root()

def variant_files(kind: str):
    """Every file of ``kind`` ("mutants" or "alternatives"): (exercise, path) for <kind>/<exercise>/<name>.py."""
    out = []
    for e in catalog.exercises():
        for path in sorted((ROOT / kind / e.name).glob("*.py")):
            out.append((e, path))
    return out


def mutant_files():
    return variant_files("mutants")


def write_stubs(folder: Path) -> Path:
    """Every exercise's stub, generated from its solution (independent of the learner's edits)."""
    for e in catalog.exercises():
        (folder / f"{e.name}.py").write_text(stub_for(ROOT, e.name, e.number), encoding="utf-8")
    return folder


def as_impl_dir(tmp_path: Path, exercise, path: Path) -> Path:
    """A folder where ``path``, laid over the solution, stands in for the exercise's module."""
    folder = tmp_path / path.stem
    folder.mkdir()
    text = laid_over(exercise.name, exercise.functions, path.read_text(encoding="utf-8"))
    (folder / f"{exercise.name}.py").write_text(text, encoding="utf-8")
    return folder
