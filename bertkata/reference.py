"""The reference solutions, for mutants and comparisons: ``solution("e01_pad_batch")``."""

from __future__ import annotations

from types import ModuleType

from bertkata.impl import load, project_root


def solution(name: str) -> ModuleType:
    """The module ``solutions/<name>.py`` of this kata."""
    return load(project_root() / "solutions", name)


# A mutant or alternative holds only the functions it changes; the rest come from the solution.
PRELUDE = '''from bertkata.reference import solution as _kata_solution

globals().update({{_n: getattr(_kata_solution({name!r}), _n) for _n in {functions!r}}})
'''


def laid_over(name: str, functions, text: str) -> str:
    """A whole exercise module: ``text`` (a mutant or alternative) over the solution's ``functions``."""
    return PRELUDE.format(name=name, functions=tuple(functions)) + "\n" + text
