"""Every test of every exercise fails on its stub, and stubs match their solutions."""

import inspect
import subprocess

import pytest

from bertkata import catalog
from bertkata.impl import load
from bertkata.runner import NOT_STARTED, run
from bertkata.stubgen import stub_for

from .helpers import ROOT

EXERCISES = catalog.exercises()


def test_every_exercise_test_fails_on_its_stub(stub_dir):
    """In one process: each exercise's whole test file against the generated stubs."""
    results = run(list(EXERCISES), stub_dir, profile="meta")
    for r in results:
        assert r.total > 0, f"{r.exercise.name} has no tests"
        passing = [o.name for o in r.counted if o.outcome == "passed"]
        assert not passing, f"{r.exercise.name}: these tests pass on the stub: {passing}"
        not_stub = [(o.name, o.message[:200]) for o in r.failures if o.tag != "stub"]
        assert not not_stub, f"{r.exercise.name}: these fail for another reason than the stub: {not_stub}"
        assert r.status == NOT_STARTED


@pytest.mark.parametrize("exercise", EXERCISES, ids=[e.name for e in EXERCISES])
def test_stub_and_solution_have_the_same_functions(exercise, stub_dir):
    solution = load(ROOT / "solutions", exercise.name)
    stub = load(stub_dir, exercise.name)
    for name in exercise.functions:
        assert hasattr(solution, name), f"solutions/{exercise.name}.py lacks {name} (listed in the catalog)"
        assert inspect.signature(getattr(stub, name)) == inspect.signature(getattr(solution, name))
        assert inspect.getdoc(getattr(stub, name)), f"{exercise.name}.{name} has no docstring"


@pytest.mark.parametrize("exercise", EXERCISES, ids=[e.name for e in EXERCISES])
def test_committed_stub_is_generated_from_the_solution(exercise):
    """exercises/ as committed equals the stub generated from solutions/ (regenerate with `bert-kata reset N`)."""
    path = f"exercises/{exercise.name}.py"
    try:
        committed = subprocess.run(["git", "show", f"HEAD:{path}"], cwd=ROOT, capture_output=True,
                                   text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout with this file committed")
    assert committed == stub_for(ROOT, exercise.name, exercise.number), (
        f"{path} in git differs from the stub generated from solutions/{exercise.name}.py")
