"""The exercise catalog (``catalog.toml``): titles, functions, instructions, hints."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path


@dataclass(frozen=True)
class Exercise:
    number: int
    name: str
    title: str
    title_zh: str
    functions: tuple[str, ...]
    needs_model: bool
    teaches: str
    teaches_zh: str
    instructions: str
    instructions_zh: str
    hints: tuple[dict, ...] = field(default=())

    @property
    def test_file(self) -> str:
        return f"tests/test_{self.name}.py"


@cache
def exercises() -> tuple[Exercise, ...]:
    data = tomllib.loads((Path(__file__).with_name("catalog.toml")).read_text(encoding="utf-8"))
    out = []
    for e in data["exercise"]:
        e = dict(e)
        e["functions"] = tuple(e["functions"])
        e["hints"] = tuple(e.get("hints", ()))
        out.append(Exercise(**e))
    return tuple(sorted(out, key=lambda x: x.number))


def by_number(n: int) -> Exercise:
    """The exercise numbered ``n``; ``KeyError`` with the valid numbers otherwise."""
    for e in exercises():
        if e.number == n:
            return e
    valid = ", ".join(str(e.number) for e in exercises())
    raise KeyError(f"there is no exercise {n}; the exercises are {valid}")


def by_name(name: str) -> Exercise:
    for e in exercises():
        if e.name == name:
            return e
    raise KeyError(name)
