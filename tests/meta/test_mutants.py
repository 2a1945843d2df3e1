"""Each mutant in mutants/ (a plausible wrong answer) is rejected by its exercise's tests,
the first failure message names the mistake, and different mistakes get different messages.

The last is checked mutant by mutant, so the tests stay independent (and can run in parallel):
a mutant's first message holds its own phrase and no other mutant's phrase of the same exercise,
so two mutants' messages always differ."""

import ast

import pytest

from bertkata import catalog
from bertkata.runner import DONE, run

from .helpers import as_impl_dir, mutant_files

MUTANTS = mutant_files()


def expected_phrase(path) -> str:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    doc = ast.get_docstring(tree)
    assert doc and "\n" not in doc.strip(), f"{path}: a mutant needs a one-line docstring naming the mistake"
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "EXPECT" for t in node.targets):
            return node.value.value
    raise AssertionError(f"{path}: a mutant needs EXPECT = '<phrase the failure message must contain>'")


def test_every_exercise_has_at_least_four_mutants():
    counts = {e.name: 0 for e in catalog.exercises()}
    for e, _ in MUTANTS:
        counts[e.name] += 1
    assert all(n >= 4 for n in counts.values()), f"mutants per exercise: {counts}"


def test_expect_phrases_are_distinct():
    """Each mutant's phrase is its own diagnosis: two mistakes cannot share one."""
    seen: dict = {}
    for e, path in MUTANTS:
        phrase = expected_phrase(path).lower()
        assert len(phrase) >= 8, f"{path}: EXPECT {phrase!r} is too short to name a specific mistake"
        assert (e.name, phrase) not in seen, f"{path} and {seen[(e.name, phrase)]} expect the same phrase {phrase!r}"
        seen[(e.name, phrase)] = path


@pytest.mark.parametrize("exercise,path", MUTANTS, ids=[f"{e.name}/{p.stem}" for e, p in MUTANTS])
def test_mutant_is_rejected_with_a_message_naming_the_mistake(exercise, path, tmp_path):
    phrase = expected_phrase(path)
    [result] = run([exercise], as_impl_dir(tmp_path, exercise, path), extra_args=("-x",), profile="meta")
    assert result.status != DONE and result.failures, f"{path.name} passes every test of {exercise.name}"
    first = result.failures[0]
    assert first.tag is None, f"{path.name}: failed by {first.tag}, not by a test: {first.message[:300]}"
    assert phrase.lower() in first.message.lower(), (
        f"{path.name}: the first failure ({first.name}) does not name the mistake {phrase!r}:\n{first.message}")
    assert "Traceback" not in first.message, f"{path.name}: the first failure is a raw traceback:\n{first.message}"
    others = [(p.stem, expected_phrase(p)) for e, p in MUTANTS if e == exercise and p != path]
    same = [(name, other) for name, other in others if other.lower() in first.message.lower()]
    assert not same, (f"{path.name}: its first failure also names other mutants' mistakes {same}; two different "
                      f"mistakes must get different messages:\n{first.message}")
