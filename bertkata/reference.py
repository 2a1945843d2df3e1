"""The reference solutions, for mutants and comparisons: ``solution("e01_pad_batch")``."""

from __future__ import annotations

from types import ModuleType

from bertkata.impl import load, project_root


def solution(name: str) -> ModuleType:
    """The module ``solutions/<name>.py`` of this kata."""
    return load(project_root() / "solutions", name)
