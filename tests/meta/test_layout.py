"""`bert-kata dev`: the catalog and the files agree, and a new exercise is laid out everywhere it must exist;
the exercises' test files put their tests first and call the learner's code through bertkata.calls only."""

import ast
import inspect
import shutil

import pytest
from typer.testing import CliRunner

from bertkata import catalog, dev
from bertkata.cli import app

from .helpers import ROOT


def test_the_catalog_and_the_files_agree():
    assert dev.problems(ROOT) == []


def _copy(tmp_path):
    root = tmp_path / "kata"
    for name in ("solutions", "exercises", "tests", "mutants", "alternatives"):
        shutil.copytree(ROOT / name, root / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    (root / "bertkata").mkdir()
    shutil.copy2(ROOT / "bertkata" / "catalog.toml", root / "bertkata" / "catalog.toml")
    return root


def test_dev_new_lays_out_the_next_exercise_and_check_says_what_is_missing(tmp_path):
    root = _copy(tmp_path)
    n = len(catalog.exercises()) + 1
    name = f"e{n:02d}_sentence_pairs"
    written = dev.new_exercise(root, "sentence_pairs", "Sentence pairs", "句子对", "encode_pair")
    assert {p.relative_to(root).as_posix() for p in written} == {
        f"solutions/{name}.py", f"tests/test_{name}.py", f"exercises/{name}.py", "bertkata/catalog.toml"}
    [new] = [e for e in catalog.load(dev.catalog_path(root)) if e.number == n]
    assert new.name == name and new.functions == ("encode_pair",) and new.hints[-1]["shows_code"]
    assert "raise NotImplementedError" in (root / "exercises" / f"{name}.py").read_text(encoding="utf-8")
    found = dev.problems(root)
    assert found == [f"{name}: 0 files in mutants/{name}/, at least 4 needed",
                     f"{name}: 0 files in alternatives/{name}/, at least 3 needed"], found
    toml = dev.catalog_path(root).read_text(encoding="utf-8")
    for slug, function in (("Sentence-Pairs", "f"), ("long_text", "Bad Name")):
        try:
            dev.new_exercise(root, slug, "Bad", "坏", function)
        except ValueError:
            pass
        else:
            raise AssertionError(f"{slug!r}, {function!r} accepted")
    assert dev.catalog_path(root).read_text(encoding="utf-8") == toml  # a refused name writes nothing


def test_dev_stubs_regenerates_and_backs_up_what_it_replaces(tmp_path, monkeypatch):
    root = _copy(tmp_path)
    monkeypatch.setenv("KATA_ROOT", str(root))
    e = catalog.exercises()[0]
    solution = root / "solutions" / f"{e.name}.py"
    solution.write_text(solution.read_text(encoding="utf-8").replace('"""Exercise 01', '"""Exercise 01 (edited)', 1),
                        encoding="utf-8")
    assert f"{e.name}: exercises/{e.name}.py is not the stub of its solution (run `bert-kata dev stubs`)" \
        in dev.problems(root)
    before = (root / "exercises" / f"{e.name}.py").read_bytes()
    out = CliRunner().invoke(app, ["dev", "stubs"], env={"COLUMNS": "300"}, catch_exceptions=False).output
    assert f"exercises/{e.name}.py" in out and dev.problems(root) == []
    backups = list((root / ".kata-backups").glob(f"{e.name}.*.py"))
    assert [b.read_bytes() for b in backups] == [before]
    assert "every stub is up to date" in CliRunner().invoke(app, ["dev", "stubs"], env={"COLUMNS": "300"}, catch_exceptions=False).output


def test_dev_check_names_each_disagreement(tmp_path, monkeypatch):
    root = _copy(tmp_path)
    monkeypatch.setenv("KATA_ROOT", str(root))
    e = catalog.exercises()[1]
    (root / "exercises" / f"{e.name}.py").unlink()
    (root / "solutions" / "e99_orphan.py").write_text("", encoding="utf-8")
    result = CliRunner().invoke(app, ["dev", "check", "--quick"], env={"COLUMNS": "300"}, catch_exceptions=False)
    assert result.exit_code == 1
    assert f"no exercises/{e.name}.py" in result.output and "solutions/e99_orphan.py belongs to no exercise" in result.output


# ---------------------------------------------------------------- the exercises' test files

TEST_FILES = sorted((ROOT / "tests").glob("test_e[0-9][0-9]_*.py"))


@pytest.mark.parametrize("path", TEST_FILES, ids=lambda p: p.name)
def test_the_tests_come_before_the_helpers(path):
    """A learner reading a test file top-down meets the specification (the tests) first: every function
    defined before the last test is a test; fixtures, builders and diagnoses come after."""
    defs = [n for n in ast.parse(path.read_text(encoding="utf-8")).body
            if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))]
    last = max(i for i, n in enumerate(defs) if n.name.startswith("test_"))
    early = [f"{n.name} (line {n.lineno})" for n in defs[:last] if not n.name.startswith("test_")]
    assert not early, f"{path.name}: defined before the last test; move them after it: {early}"


@pytest.mark.parametrize("path", TEST_FILES, ids=lambda p: p.name)
def test_the_learners_code_is_called_only_through_the_shared_layer(path):
    """Every ``impl.<name>`` (or ``getattr(impl, name)``) is an argument of a function of bertkata.calls
    (observe, observing), so the learner's code runs only under observe; ``impl`` is never handed on
    whole; no try/except (observe records what the code raised); and nothing of the shared layer is
    defined a second time."""
    from bertkata import calls

    tree = ast.parse(path.read_text(encoding="utf-8"))
    shared = {a.asname or a.name for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module == "bertkata.calls"
              for a in n.names if inspect.isfunction(getattr(calls, a.name, None))}
    parent = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}

    def through_shared(expr):
        call = parent.get(expr)
        return (isinstance(call, ast.Call) and expr in [*call.args, *(k.value for k in call.keywords)]
                and isinstance(call.func, ast.Name) and call.func.id in shared)

    wrong = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id == "impl" and isinstance(node.ctx, ast.Load):
            up = parent[node]
            expr = up if isinstance(up, ast.Attribute) else (
                up if isinstance(up, ast.Call) and isinstance(up.func, ast.Name) and up.func.id == "getattr"
                and up.args and up.args[0] is node else None)
            if expr is None or not through_shared(expr):
                wrong.append(f"line {node.lineno}: {ast.unparse(expr if expr is not None else up)}")
    assert not wrong, (f"{path.name}: the learner's code used other than as an argument of {sorted(shared)} "
                       f"(bertkata.calls): {wrong}")
    tries = [n.lineno for n in ast.walk(tree) if isinstance(n, ast.Try)]
    assert not tries, f"{path.name}: try/except at lines {tries}; observe records what the learner's code raised"
    layer = {name for name, _ in inspect.getmembers(calls, inspect.isfunction) if not name.startswith("_")}
    layer |= {name for name, m in inspect.getmembers(calls.Observed)
              if not name.startswith("_") and (inspect.isfunction(m) or isinstance(m, property))}
    again = [n.name for n in tree.body if isinstance(n, ast.FunctionDef) and n.name in layer]
    assert not again, f"{path.name}: defines again what bertkata.calls has: {again}"
