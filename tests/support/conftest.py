import pytest

from bertkata.dev import learner_copy
from bertkata.impl import project_root

ROOT = project_root()


@pytest.fixture(autouse=True)
def english(monkeypatch):
    """The project's tests read English unless one asks for Chinese; a language a command sets is put back."""
    monkeypatch.setenv("BERT_KATA_LANG", "en")


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A copy of the kata a learner would have, as KATA_ROOT, with every exercise file still its stub."""
    root = learner_copy(ROOT, tmp_path / "kata")
    monkeypatch.setenv("KATA_ROOT", str(root))
    monkeypatch.chdir(root)
    return root
