"""Each file in alternatives/ is a correct implementation that differs from the reference
(another API, other wording): every test of its exercise must accept it."""

import ast
import re

import pytest

from bertkata import catalog
from bertkata.runner import DONE, run

from .helpers import as_impl_dir, variant_files

ALTERNATIVES = variant_files("alternatives")


def test_every_exercise_has_at_least_three_alternatives():
    counts = {e.name: 0 for e in catalog.exercises()}
    for e, _ in ALTERNATIVES:
        counts[e.name] += 1
    assert all(n >= 3 for n in counts.values()), f"correct alternatives per exercise: {counts}"


@pytest.mark.parametrize("exercise,path", ALTERNATIVES, ids=[f"{e.name}/{p.stem}" for e, p in ALTERNATIVES])
def test_alternative_passes_every_test(exercise, path, tmp_path):
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
    lines = (doc or "").strip().splitlines()
    assert len(lines) == 2 and not re.search(r"[\u4e00-\u9fff]", lines[0]) and re.search(r"[\u4e00-\u9fff]", lines[1]), \
        f"{path}: an alternative's docstring is what it teaches, one line in English, then one in 简体中文"
    [result] = run([exercise], as_impl_dir(tmp_path, exercise, path), profile="meta")
    failed = [(o.name, o.message[:400]) for o in result.failures]
    assert result.status == DONE and not failed, f"{path.name} is correct but is rejected: {failed}"
