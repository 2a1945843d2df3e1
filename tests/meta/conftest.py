import pytest

from .helpers import write_stubs


@pytest.fixture(autouse=True)
def english(monkeypatch):
    """Mutants are matched by the English words of their diagnosis."""
    monkeypatch.setenv("BERT_KATA_LANG", "en")


@pytest.fixture(scope="session")
def stub_dir(tmp_path_factory):
    return write_stubs(tmp_path_factory.mktemp("stubs"))
