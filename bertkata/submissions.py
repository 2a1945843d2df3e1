"""A class's submissions, collected for ``bert-kata compare`` and ``bert-kata grade``.

Each submission is a folder of exercise modules (a learner's ``exercises/``), a clone of a learner's
repository (its ``exercises/`` subfolder is used) or a ``.zip`` of either (extracted into a temporary
folder, skipping environments, history and caches; an entry that points outside the zip is skipped
with a warning). Its modules are copied before anything runs, so the submission itself is never
modified. Any folder name works: bytes that are not UTF-8 become U+FFFD in every report.
"""

from __future__ import annotations

import shutil
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

MAX_ZIP_BYTES = 50 * 2**20  # of Python files extracted from one zip
MAX_ZIP_FILES = 2000  # Python files in one zip (a zip of empty files costs inodes, not bytes)


@dataclass
class Submission:
    """One learner: ``modules`` is a private copy of the exercise modules (``None`` with a ``problem``)."""

    name: str
    source: Path
    modules: Path | None = None
    found_in: str = ""
    problem: str | None = None
    shown_as: str = ""  # where the modules are, for messages: the original folder, or the zip and its folder
    warnings: list[str] = field(default_factory=list)  # zip entries skipped, and why


def _real_file(path: Path) -> bool:
    """A regular file, not a link (a link could hand in the instructor's solutions or any file)."""
    return path.is_file() and not path.is_symlink()


def _real_dir(path: Path) -> bool:
    return path.is_dir() and not path.is_symlink()


def _has_modules(folder: Path, names) -> bool:
    return any(_real_file(folder / f"{n}.py") for n in names)


def find_modules(folder: Path, names, depth: int = 2) -> Path | None:
    """The folder holding the exercise modules: ``folder/exercises``, ``folder`` itself, or
    the same one or two levels down (a zip of a folder, a clone inside a folder)."""
    if _real_dir(folder / "exercises") and _has_modules(folder / "exercises", names):
        return folder / "exercises"
    if _has_modules(folder, names):
        return folder
    if depth:
        subs = [p for p in sorted(folder.iterdir()) if _real_dir(p) and not p.name.startswith((".", "_"))
                and p.name not in ("solutions", "mutants", "tests")]
        for sub in subs:
            found = find_modules(sub, names, depth - 1)
            if found:
                return found
    return None


# a learner's whole repository: never the environment, history or caches that came with it
SKIPPED_DIRS = {".venv", "venv", "env", ".env", ".git", "__pycache__", ".kata-backups", ".hypothesis",
                ".pytest_cache", ".mypy_cache", ".ruff_cache", ".tox", ".nox", "node_modules", "site-packages",
                ".ipynb_checkpoints", "__MACOSX"}


def extract_zip(path: Path, dest: Path) -> list[str]:
    """Extract the ``.py`` files of ``path`` into ``dest``, skipping environments, history and caches
    (:data:`SKIPPED_DIRS`); returns a warning for each entry skipped as unsafe. Raises ``ValueError``
    past :data:`MAX_ZIP_BYTES` of Python files or :data:`MAX_ZIP_FILES` of them."""
    total, count, warnings = 0, 0, []
    with zipfile.ZipFile(path) as zf:
        for info in zf.infolist():
            name = info.filename.replace("\\", "/")
            parts = PurePosixPath(name).parts
            if info.is_dir() or not name.endswith(".py") or SKIPPED_DIRS.intersection(parts[:-1]):
                continue
            if name.startswith("/") or ".." in parts or (parts and ":" in parts[0]):
                warnings.append(f"skipped {info.filename!r} in {path.name}: a path outside the zip")
                continue
            total += info.file_size
            count += 1
            if count > MAX_ZIP_FILES:
                raise ValueError(f"{path.name} holds more than {MAX_ZIP_FILES} Python files "
                                 f"outside {', '.join(sorted(SKIPPED_DIRS)[:4])}, ...")
            if total > MAX_ZIP_BYTES:
                raise ValueError(f"{path.name} holds more than {MAX_ZIP_BYTES // 2**20} MB of Python files "
                                 f"outside {', '.join(sorted(SKIPPED_DIRS)[:4])}, ...")
            target = dest.joinpath(*parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            with zf.open(info) as src, open(target, "wb") as out:
                shutil.copyfileobj(src, out)
    return warnings


def text(value: str) -> str:
    """``value`` as text any file accepts: a file name that is not UTF-8 comes from the system with
    its bytes escaped (surrogates), which no UTF-8 file can hold; they become U+FFFD. Any other lone
    surrogate (a learner's message may hold one) is written as its escape, ``\\ud800``."""
    try:
        return value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:
        return value.encode("utf-8", "backslashreplace").decode("utf-8")


def _clean(value):
    """:func:`text` on every string of a report."""
    if isinstance(value, str):
        return text(value)
    if isinstance(value, dict):
        return {_clean(k): _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    return value


def learner_name(path: Path) -> str:
    """The submission folder's name, or the zip's stem; a learner's own ``exercises/`` is named after its parent."""
    if path.suffix.lower() == ".zip":
        return text(path.stem)
    if path.name == "exercises" and path.parent.name:
        return text(path.parent.name)
    return text(path.name)


def prepare(paths, workdir: Path, names) -> list[Submission]:
    """A private copy of each submission's exercise modules under ``workdir``."""
    out, seen = [], {}
    for k, raw in enumerate(paths):
        path = Path(raw).expanduser().resolve()
        name = learner_name(path) or f"learner{k + 1}"
        seen[name] = seen.get(name, 0) + 1
        if seen[name] > 1:
            name = f"{name} ({seen[name]})"
        sub = Submission(name, path)
        out.append(sub)
        dest = workdir / f"{k:03d}"
        try:
            if path.is_file() and path.suffix.lower() == ".zip":
                unpacked = workdir / f"{k:03d}-zip"
                unpacked.mkdir(parents=True)
                sub.warnings = extract_zip(path, unpacked)
                origin = unpacked
            elif path.is_dir():
                origin = path
            else:
                sub.problem = f"{path} is neither a folder nor a .zip" if path.exists() else f"{path} does not exist"
                continue
            found = find_modules(origin, names)
            if found is None:
                sub.problem = (f"no exercise modules ({', '.join(f'{n}.py' for n in names)}) in {path}, "
                               "nor in an exercises/ folder inside it")
                continue
            dest.mkdir(parents=True)
            for py in sorted(found.glob("*.py")):
                if _real_file(py):
                    shutil.copyfile(py, dest / py.name)
                elif py.is_symlink():
                    sub.warnings.append(f"skipped {py.name}: a link, not a file (hand in the file itself)")
            sub.modules = dest
            rel = found.relative_to(origin).as_posix()
            sub.found_in = "" if rel == "." else rel
            sub.shown_as = str(found) if origin == path else "/".join(x for x in (str(path), sub.found_in) if x)
        except (OSError, ValueError, zipfile.BadZipFile) as exc:
            sub.problem = f"cannot read {path.name}: {exc}"
    return out
