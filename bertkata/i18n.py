"""The learner's language, and text that carries both of the kata's languages.

The language is, first to last: ``--lang`` on the command line, the environment
variable ``BERT_KATA_LANG``, the saved setting (``bert-kata config lang zh``,
kept in ``.kata-settings.json`` at the project root), then the locale
(``LC_ALL``, ``LC_MESSAGES``, ``LANG``): ``zh`` for any Chinese locale, else
``en``. The command line's choice is put into ``BERT_KATA_LANG``, so the test
processes a command forks write their messages in the same language.

:class:`T` holds an English and a 简体中文 text and reads as the current
language's wherever it is turned into a ``str`` (``str()``, an f-string,
``%``). Failure messages are built when a check fails, so they come out in the
language of the run. Code identifiers are never translated.
"""

from __future__ import annotations

import json
import locale
import os
from pathlib import Path

LANGS = ("en", "zh")
ENV = "BERT_KATA_LANG"
SETTINGS = ".kata-settings.json"


class LangError(ValueError):
    """A language other than en or zh."""


def check(lang: str, where: str) -> str:
    if lang not in LANGS:
        raise LangError(f"{where} {lang!r}: use en or zh / 只能是 en 或 zh")
    return lang


def from_locale() -> str:
    """``zh`` when the locale is Chinese (``LC_ALL``, then ``LC_MESSAGES``, then ``LANG``), else ``en``."""
    loc = os.environ.get("LC_ALL") or os.environ.get("LC_MESSAGES") or os.environ.get("LANG") \
        or (locale.getlocale()[0] or "")
    return "zh" if loc.lower().startswith("zh") else "en"


def settings_path(root: Path) -> Path:
    return root / SETTINGS


def saved(root: Path | None) -> str | None:
    """The language saved by ``bert-kata config lang``, if any (an unreadable file counts as none)."""
    if root is None:
        return None
    try:
        value = json.loads(settings_path(root).read_text(encoding="utf-8")).get("lang")
    except (OSError, ValueError, AttributeError):
        return None
    return value if value in LANGS else None


def save(root: Path, lang: str | None) -> Path:
    """Save (or, with None, forget) the language in the project's settings file, keeping its other keys."""
    path = settings_path(root)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        data = data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        data = {}
    if lang is None:
        data.pop("lang", None)
    else:
        data["lang"] = check(lang, "lang")
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, path)
    return path


def _root() -> Path | None:
    try:
        from bertkata.impl import project_root

        return project_root()
    except Exception:  # noqa: BLE001 — outside a project there is no saved setting
        return None


def current() -> str:
    """The language of this run (see the module docstring)."""
    env = os.environ.get(ENV)
    if env in LANGS:
        return env
    return saved(_root()) or from_locale()


def choose(lang: str | None) -> str:
    """The command line's ``--lang`` (validated) or :func:`current`; this process and the ones it
    starts use it from now on."""
    chosen = check(lang, "--lang") if lang is not None else current()
    os.environ[ENV] = chosen
    return chosen


class T:
    """An English and a 简体中文 text; ``str(t)`` is the current language's.

    ``+`` and :meth:`format` keep both languages; an f-string or ``str()`` picks one, so build a
    message when it is shown, not when a module is imported."""

    __slots__ = ("en", "zh")

    def __init__(self, en: str, zh: str):
        self.en, self.zh = en, zh

    def __str__(self) -> str:
        return self.zh if current() == "zh" else self.en

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    def __repr__(self) -> str:
        return f"T({self.en!r}, {self.zh!r})"

    def __eq__(self, other) -> bool:
        return isinstance(other, T) and (self.en, self.zh) == (other.en, other.zh)

    def __hash__(self) -> int:
        return hash((self.en, self.zh))

    def __add__(self, other) -> T:
        return T(self.en + pick(other, "en"), self.zh + pick(other, "zh"))

    def __radd__(self, other) -> T:
        return T(pick(other, "en") + self.en, pick(other, "zh") + self.zh)

    def format(self, *args, **kwargs) -> T:
        """Both texts formatted; a :class:`T` among the arguments gives each text its own language."""
        return T(self.en.format(*(pick(a, "en") for a in args), **{k: pick(v, "en") for k, v in kwargs.items()}),
                 self.zh.format(*(pick(a, "zh") for a in args), **{k: pick(v, "zh") for k, v in kwargs.items()}))

    def get(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


def pick(x, lang: str):
    """``x`` in ``lang`` when it is a :class:`T`; anything else unchanged."""
    return x.get(lang) if isinstance(x, T) else x


def say(en: str, zh: str) -> str:
    """The current language's text, now (for a message built where it is shown)."""
    return zh if current() == "zh" else en
