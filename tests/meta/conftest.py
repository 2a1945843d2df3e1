import pytest

from .helpers import write_stubs


@pytest.fixture(scope="session")
def stub_dir(tmp_path_factory):
    return write_stubs(tmp_path_factory.mktemp("stubs"))
