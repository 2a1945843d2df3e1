"""The exercise catalog (``catalog.toml``): titles, functions, instructions, hints."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path


LANGS = ("en", "zh")


class Hint(Mapping):
    """One hint: its text by language (``h["en"]``, ``h["zh"]``; iterating gives the languages), and
    ``shows_code``, True for the one hint of an exercise that shows the code (its last).

    ``h["shows_code"]`` and ``h.get("shows_code")`` also read the flag, as they did on the plain
    table ``catalog.toml`` holds.
    """

    __slots__ = ("_text", "shows_code")

    def __init__(self, en: str, zh: str, shows_code: bool = False):
        self._text = {"en": en, "zh": zh}
        self.shows_code = shows_code

    @classmethod
    def from_table(cls, table: dict, where: str) -> "Hint":
        unknown = set(table) - {*LANGS, "shows_code"}
        missing = [lang for lang in LANGS if not isinstance(table.get(lang), str) or not table[lang].strip()]
        if unknown or missing or not isinstance(table.get("shows_code", False), bool):
            raise ValueError(f"catalog.toml, {where}: a hint has en and zh text and may have shows_code = true "
                             f"(unknown keys: {sorted(unknown)}, missing text: {missing})")
        return cls(table["en"], table["zh"], table.get("shows_code", False))

    def __getitem__(self, key: str):
        if key == "shows_code":
            return self.shows_code
        return self._text[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._text)

    def __len__(self) -> int:
        return len(self._text)

    def __hash__(self) -> int:
        return hash((self._text["en"], self._text["zh"], self.shows_code))

    def __repr__(self) -> str:
        return f"Hint(en={self._text['en'][:30]!r}..., shows_code={self.shows_code})"


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
    hints: tuple[Hint, ...] = field(default=())
    models: tuple[str, ...] = ()  # shared models beside BertModel its tests use (bertkata.shared.MODELS)

    @property
    def runs_a_model(self) -> bool:
        """Its tests run BertModel or another shared model: the slow exercises, scheduled first."""
        return self.needs_model or bool(self.models)

    @staticmethod
    def slowest_first(exercises) -> list["Exercise"]:
        """The order to run ``exercises`` in, one per core: those that run a model first, so none is left
        to run alone at the end."""
        return sorted(exercises, key=lambda e: (not e.runs_a_model, -e.number))

    @property
    def test_file(self) -> str:
        return f"tests/test_{self.name}.py"


class IncompleteKata(ValueError):
    """A file the kata ships with is missing; ``str(self)`` says which, and what to do."""


def require_tests(root: Path, chosen) -> None:
    """Every exercise of ``chosen`` has its test file under ``root`` (``bert-kata dev check`` makes sure the
    kata ships one for each); raises :class:`IncompleteKata` naming the missing files otherwise."""
    from bertkata.i18n import say

    missing = [e.test_file for e in chosen if not (root / e.test_file).is_file()]
    if missing:
        raise IncompleteKata(say(
            f"this copy of the kata is incomplete: {', '.join(missing)} {'is' if len(missing) == 1 else 'are'} "
            "missing. `git status` shows what was deleted (`git checkout -- tests/` brings it back); without "
            "git, download or clone the kata again.",
            f"这份练习不完整：缺少 {'、'.join(missing)}。`git status` 会显示删掉了什么"
            "（`git checkout -- tests/` 可以恢复）；没有 git 的话，请重新下载或克隆本练习。"))


@cache
def exercises() -> tuple[Exercise, ...]:
    return load(PATH)


PATH = Path(__file__).with_name("catalog.toml")


def load(path: Path) -> tuple[Exercise, ...]:
    """The exercises of the catalog at ``path``, by number."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    out = []
    for e in data["exercise"]:
        e = dict(e)
        e["functions"] = tuple(e["functions"])
        e["models"] = tuple(e.get("models", ()))
        e["hints"] = tuple(Hint.from_table(h, f"{e['name']} hint {i}") for i, h in enumerate(e.get("hints", ()), 1))
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


def alternatives(root: Path, exercise: Exercise, lang: str) -> list[tuple[Path, str]]:
    """Each correct alternative in ``alternatives/<exercise>/`` with what it teaches: the first line of its
    docstring in ``lang`` (English first, then 简体中文)."""
    import ast

    out = []
    for path in sorted((root / "alternatives" / exercise.name).glob("*.py")):
        try:
            doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
        except (OSError, SyntaxError, ValueError):
            doc = ""
        lines = [ln.strip() for ln in doc.splitlines() if ln.strip()]
        zh = [ln for ln in lines if any("\u4e00" <= ch <= "\u9fff" for ch in ln)]
        chosen = (zh if lang == "zh" else [ln for ln in lines if ln not in zh]) or lines
        out.append((path, chosen[0] if chosen else ""))
    return out
