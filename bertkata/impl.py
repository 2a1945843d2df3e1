"""Find the project and load the implementation under test from a folder, by file path.

Exercise modules are loaded from ``exercises/``, ``solutions/`` or any folder
(a learner's submission, a mutant) under a module name unique to that folder,
so several implementations can live in one process without clashing.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import sys
import traceback
from pathlib import Path
from types import ModuleType

from bertkata.i18n import say


def project_root() -> Path:
    """The kata's folder: ``KATA_ROOT``, else the nearest parent of the working
    directory holding ``exercises/`` and ``solutions/``, else this package's parent."""
    env = os.environ.get("KATA_ROOT")
    if env:
        return Path(env).resolve()
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / "exercises").is_dir() and (folder / "solutions").is_dir() and (folder / "tests").is_dir():
            return folder
    return Path(__file__).resolve().parent.parent


class ImplError(Exception):
    """A learner's module cannot be used; ``str(self)`` is one plain sentence for the learner."""


def _module_name(folder: Path, name: str) -> str:
    tag = hashlib.sha1(str(folder.resolve()).encode()).hexdigest()[:10]
    return f"_kata_impl_{tag}.{name}"


def _where(exc: BaseException, path: Path) -> str:
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if Path(frame.filename).resolve() == path.resolve():
            return say(f" (line {frame.lineno})", f"（第 {frame.lineno} 行）")
    return ""


def load(folder: Path, name: str, fresh: bool = False) -> ModuleType:
    """Import ``folder/name.py``; :class:`ImplError` explains any failure in one sentence.

    ``fresh=True`` re-executes the file (watch mode, after a save).
    """
    path = Path(folder) / f"{name}.py"
    mod_name = _module_name(Path(folder), name)
    if not fresh and mod_name in sys.modules:
        return sys.modules[mod_name]
    if not path.is_file():
        raise ImplError(say(f"{path} does not exist: restore the stub with `bert-kata reset {int(name[1:3])}`.",
                            f"{path} 不存在：用 `bert-kata reset {int(name[1:3])}` 恢复存根。"))
    spec = importlib.util.spec_from_file_location(mod_name, path)
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except SyntaxError as exc:
        raise _syntax(path, exc) from None
    except ImportError as exc:
        raise ImplError(say(
            f"importing {path} raised {type(exc).__name__}: {exc}{_where(exc, path)}: check the name "
            "(a typo? a module that is not installed here?) against what the exercise needs.",
            f"导入 {path} 时抛出了 {type(exc).__name__}: {exc}{_where(exc, path)}：对照练习所需，核对这个名字"
            "（是拼写错误，还是这里没有安装这个模块？）。"
        )) from None
    except (Exception, SystemExit) as exc:  # a learner's file may do anything at import
        raise ImplError(say(
            f"importing {path} raised {type(exc).__name__}: {exc}{_where(exc, path)}; "
            "code at the top level of the file runs on import, so move it into a function or fix it.",
            f"导入 {path} 时抛出了 {type(exc).__name__}: {exc}{_where(exc, path)}；"
            "文件顶层的代码在导入时就会运行：把它移进函数里，或者改正它。"
        )) from None
    sys.modules[mod_name] = module
    return module


def _syntax(path: Path, exc: SyntaxError) -> ImplError:
    if exc.lineno is None:  # e.g. NUL bytes: not a line's fault
        return ImplError(say(f"{path} cannot be read as Python ({exc.msg}): fix it and save again.",
                             f"{path} 无法作为 Python 代码读取（{exc.msg}）：改正后再保存。"))
    return ImplError(say(f"{path} line {exc.lineno} has a syntax error ({exc.msg}): fix it and save again.",
                         f"{path} 第 {exc.lineno} 行有语法错误（{exc.msg}）：改正后再保存。"))


def syntax_error(folder: Path, name: str) -> ImplError | None:
    """The :class:`ImplError` :func:`load` would raise for a syntax error in ``folder/name.py``,
    found without running any of it (``None``: it compiles, or cannot be read: load says why)."""
    path = Path(folder) / f"{name}.py"
    try:
        compile(path.read_bytes(), str(path), "exec", dont_inherit=True)
    except SyntaxError as exc:
        return _syntax(path, exc)
    except (OSError, ValueError):  # unreadable, or NUL bytes: load reports it
        return None
    return None


class MissingFunction(ImplError, AttributeError):
    """The learner's module lacks a function (an AttributeError, so ``getattr(m, f, default)`` still works)."""


class Impl:
    """The module under test; a missing function fails the test with a plain sentence."""

    def __init__(self, module: ModuleType, path: Path, exercise_number: int):
        self._module = module
        self._path = path
        self._number = exercise_number

    def __getattr__(self, attr: str):
        try:
            return getattr(self._module, attr)
        except AttributeError:
            raise MissingFunction(say(
                f"{self._path} has no function `{attr}`: put it back (its stub is restored by "
                f"`bert-kata reset {self._number}`).",
                f"{self._path} 里没有函数 `{attr}`：把它加回来（`bert-kata reset {self._number}` 会恢复它的存根）。"
            )) from None
