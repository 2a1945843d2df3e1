import shutil

import pytest

from bertkata import catalog
from bertkata.impl import project_root
from bertkata.stubgen import stub_for

ROOT = project_root()


@pytest.fixture(autouse=True)
def english(monkeypatch):
    """The project's tests read English unless one asks for Chinese; a language a command sets is put back."""
    monkeypatch.setenv("BERT_KATA_LANG", "en")


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A copy of the kata a learner would have, as KATA_ROOT, with every exercise file still its stub."""
    root = tmp_path / "kata"
    root.mkdir()
    for name in ("exercises", "solutions", "alternatives", "tests", "conftest.py", "pyproject.toml"):
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, root / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(src, root / name)
    for e in catalog.exercises():
        if (root / "solutions" / f"{e.name}.py").exists():
            (root / "exercises" / f"{e.name}.py").write_text(stub_for(root, e.name, e.number), encoding="utf-8")
    monkeypatch.setenv("KATA_ROOT", str(root))
    monkeypatch.chdir(root)
    return root
