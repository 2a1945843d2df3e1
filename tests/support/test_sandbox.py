"""Grading you can trust: hostile submissions graded by the real `bert-kata compare`, in bubblewrap.

One class, graded once: learners who tamper with the instructor's files, forge their grade in four
ways, raise their limits, or leave a process behind, graded before an honest learner who handed in
the stubs and one who handed in the solutions. Afterwards the instructor's files are byte-identical,
the honest scores are what they deserve, and each forger scores what their real code (the stubs)
deserves. Then the quick checks of what crosses from the sandbox to the grader (:mod:`bertkata.wire`).
"""

import hashlib
import json
import os
import pickle
import subprocess
import sys
import time
from pathlib import Path

import pytest
import torch

from bertkata import sandbox, shared, wire
from bertkata.impl import project_root
from bertkata.runner import DONE, IN_PROGRESS, NOT_STARTED, OUT_OF_MEMORY

ROOT = project_root()
E01, E03, E04 = "e01_pad_batch", "e03_model_forward", "e04_extract_cls"
SURVIVOR = "987654"  # `sleep 987654`: the process a learner's code leaves behind

needs_bwrap = pytest.mark.skipif(bool(sandbox.problem()), reason=f"needs bubblewrap: {sandbox.problem()}")


def _stub(name: str) -> str:
    return (ROOT / "exercises" / f"{name}.py").read_text(encoding="utf-8")


def _solution(name: str) -> str:
    return (ROOT / "solutions" / f"{name}.py").read_text(encoding="utf-8")


# Code each hostile learner puts at the top of their stubs (their functions stay the stubs).
TAMPER = '''
import pathlib as _p
from bertkata import shared as _shared
from bertkata.impl import project_root as _root

_tried = []
for _path, _text in ((_root() / "conftest.py", "\\ndef pytest_runtest_call(item):\\n    return True\\n"),
                     (_root() / "solutions" / "e04_extract_cls.py", "\\ndef cls_embeddings(h):\\n    return None\\n"),
                     (_shared.source().path / "model.safetensors", "NaN"),
                     (_p.Path({honest!r}) / "e01_pad_batch.py", "\\nraise SystemExit(1)\\n")):
    try:
        with open(_path, "a") as _f:
            _f.write(_text)
        _tried.append((str(_path), "written"))
    except OSError as _e:
        _tried.append((str(_path), type(_e).__name__))
'''
FORGE_RESULT = '''
import bertkata.runner as _r
_r.ExerciseResult.passed = property(lambda s: s.total)
_r.TestOutcome.outcome = "passed"
'''
FORGE_REFERENCE = '''
try:
    from bertkata.reference import solution as _solution
    globals().update({k: v for k, v in vars(_solution(__name__.rsplit(".", 1)[-1])).items() if not k.startswith("__")})
except Exception:
    pass
'''
FORGE_PATCH = '''
import torch as _torch
import transformers as _tf
_torch.equal = lambda *a, **k: True
_torch.allclose = lambda *a, **k: True
_torch.Tensor.__eq__ = lambda *a, **k: True
_tf.BertModel.forward = lambda self, *a, **k: None
import bertkata.feedback as _fb
_fb.check = lambda *a, **k: None
_fb.fail = lambda *a, **k: None
'''
RAISE_LIMITS = '''
import resource as _res
for _which in (_res.RLIMIT_AS, _res.RLIMIT_FSIZE, _res.RLIMIT_NPROC):
    try:
        _res.setrlimit(_which, (_res.RLIM_INFINITY, _res.RLIM_INFINITY))
    except (ValueError, OSError):
        pass
_HOG = None


def _hog():
    global _HOG
    _HOG = bytearray(6 * 2**30)  # past the 2 GB --memory-limit: refused unless the limit was raised
'''
# A wrong cls_embeddings that changes the caller's hidden states in place, then the same with the reply
# forged to say nothing changed: the grader sees the change itself, so the forgery gains nothing.
MUTATES = '''

def cls_embeddings(last_hidden_state):
    last_hidden_state[:, 0] = 7.0
    return last_hidden_state[:, 0].clone()
'''
FORGE_UNCHANGED = '''
import bertkata.worker as _w
_real_call = _w._call


def _forged_call(*args, **kwargs):
    reply = _real_call(*args, **kwargs)
    if reply[0] == "record":
        reply[1]["inputs"] = []
    return reply


_w._call = _forged_call
'''
SURROGATE = '''

def pad_token_ids(id_lists, pad_token_id):
    raise ValueError("no \\ud800 here")
'''
LEAVE_BEHIND = f'''
import os as _os
if _os.fork() == 0:
    _os.setsid()
    _os.execv("/bin/sleep", ["sleep", "{SURVIVOR}"])
'''


def _with_header(name: str, header: str, body: str) -> str:
    """``header`` after the module's own imports (a docstring and __future__ import must stay first)."""
    lines = body.splitlines(keepends=True)
    at = next(i for i, ln in enumerate(lines) if ln.startswith(("import ", "from ")) and "__future__" not in ln)
    return "".join(lines[:at]) + header + "\n" + "".join(lines[at:])


def _write(folder: Path, texts: dict[str, str]) -> Path:
    folder.mkdir(parents=True)
    for name, text in texts.items():
        (folder / f"{name}.py").write_text(text, encoding="utf-8")
    return folder


def _instructor_files() -> dict[str, str]:
    """Every file hostile code aimed at: the project's conftest.py, solutions/, the model's folder."""
    files = [ROOT / "conftest.py", *sorted((ROOT / "solutions").glob("*.py")),
             *sorted(p for p in shared.source().path.rglob("*") if p.is_file())]
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


def _survivors() -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        try:
            if entry.isdigit() and Path(f"/proc/{entry}/cmdline").read_bytes().split(b"\0")[:2] == [b"sleep",
                                                                                                 SURVIVOR.encode()]:
                found.append(int(entry))
        except OSError:
            pass
    return found


@pytest.fixture(scope="module")
def hostile_class(tmp_path_factory):
    base = tmp_path_factory.mktemp("hostile")
    honest = base / "honest"
    stubs = {n: _stub(n) for n in (E01, E03, E04)}
    learners = {
        "tamper": {n: _with_header(n, TAMPER.format(honest=str(honest)), t) for n, t in stubs.items()},
        "forge_result": {n: _with_header(n, FORGE_RESULT, t) for n, t in stubs.items()},
        "forge_reference": {n: _with_header(n, FORGE_REFERENCE, t) for n, t in stubs.items()},
        "forge_patch": {n: _with_header(n, FORGE_PATCH, t) for n, t in stubs.items()},
        "raise_limits": {E01: _with_header(E01, RAISE_LIMITS, _solution(E01)).replace(
            "def tokenize_batch(tokenizer, sentences):", "def tokenize_batch(tokenizer, sentences):\n    _hog()", 1),
            E03: _solution(E03), E04: _solution(E04)},
        "leave_behind": {n: _with_header(n, LEAVE_BEHIND, t) for n, t in stubs.items()},
        "mutates": {E04: _solution(E04) + MUTATES},
        "mutates_forged": {E04: _with_header(E04, FORGE_UNCHANGED, _solution(E04)) + MUTATES},
        "surrogate": {E01: _solution(E01) + SURROGATE},
    }
    paths = [_write(base / name, texts) for name, texts in learners.items()]
    paths.append(_write(honest, stubs))
    paths.append(_write(base / "correct", {n: _solution(n) for n in (E01, E03, E04)}))
    before = _instructor_files()
    honest_before = {p.name: p.read_bytes() for p in honest.iterdir()}
    report_dir = base / "report"
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    proc = subprocess.run([sys.executable, "-m", "bertkata", "compare", *map(str, paths), "-e", "1", "-e", "3",
                           "-e", "4", "--report", str(report_dir), "--timeout", "60", "--memory-limit", "2048"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=1800)
    assert proc.returncode == 0, f"compare failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    report = json.loads((report_dir / "report.json").read_text(encoding="utf-8"))
    deadline = time.monotonic() + 10  # a killed namespace's processes take a moment to go
    while _survivors() and time.monotonic() < deadline:
        time.sleep(0.2)
    return {"report": report, "before": before, "after": _instructor_files(), "survivors": _survivors(),
            "honest_before": honest_before, "honest_after": {p.name: p.read_bytes() for p in honest.iterdir()}}


def _cells(report, name) -> dict:
    [learner] = [lr for lr in report["learners"] if lr["name"] == name]
    return {c["name"]: c for c in learner["exercises"]}


pytestmark = [pytest.mark.xdist_group("sandbox")]  # one worker grades the hostile class once


@needs_bwrap
@pytest.mark.timeout(1800)
def test_the_instructors_files_and_other_learners_are_untouched(hostile_class):
    assert hostile_class["after"] == hostile_class["before"]
    assert hostile_class["honest_after"] == hostile_class["honest_before"]


@needs_bwrap
@pytest.mark.timeout(1800)
@pytest.mark.parametrize("name", ["tamper", "forge_result", "forge_reference", "forge_patch", "leave_behind",
                                  "honest"])
def test_stubs_score_zero_whatever_their_code_patches(hostile_class, name):
    for exercise, c in _cells(hostile_class["report"], name).items():
        assert (c["status"], c["passed"]) == (NOT_STARTED, 0), (name, exercise, c["status"], c.get("note"))
        assert c["total"] > 0


@needs_bwrap
@pytest.mark.timeout(1800)
def test_the_correct_learner_graded_after_them_scores_full_marks(hostile_class):
    for exercise, c in _cells(hostile_class["report"], "correct").items():
        assert (c["status"], c["passed"]) == (DONE, c["total"]), (exercise, c.get("first_failure"))


@needs_bwrap
@pytest.mark.timeout(1800)
def test_a_forged_reply_about_the_callers_arguments_gains_nothing(hostile_class):
    honest, forged = (_cells(hostile_class["report"], n)[E04] for n in ("mutates", "mutates_forged"))
    assert forged["passed"] == honest["passed"] < honest["total"], (forged["passed"], honest["passed"])
    assert "changed the caller's input" in forged["first_failure"]["message"]


@needs_bwrap
@pytest.mark.timeout(1800)
def test_a_lone_surrogate_in_a_message_is_reported_not_a_crash(hostile_class):
    c = _cells(hostile_class["report"], "surrogate")[E01]
    assert c["status"] == IN_PROGRESS and c["passed"] > 0
    assert "\\ud800" in json.dumps(c, ensure_ascii=False)


@needs_bwrap
@pytest.mark.timeout(1800)
def test_a_raised_limit_does_not_hold(hostile_class):
    c = _cells(hostile_class["report"], "raise_limits")[E01]
    assert c["status"] == OUT_OF_MEMORY, (c["status"], c.get("first_failure"))


@needs_bwrap
@pytest.mark.timeout(1800)
def test_nothing_a_learner_started_outlives_the_grading(hostile_class):
    assert hostile_class["survivors"] == []


@pytest.mark.timeout(120)
def test_without_bubblewrap_compare_refuses_and_says_what_to_do(tmp_path):
    folder = tmp_path / "learner"
    folder.mkdir()
    (folder / f"{E01}.py").write_text(_stub(E01), encoding="utf-8")
    env = {**os.environ, "PATH": str(tmp_path), "COLUMNS": "200", "NO_COLOR": "1"}
    proc = subprocess.run([sys.executable, "-m", "bertkata", "compare", str(folder), "-e", "1"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=110)
    assert proc.returncode != 0
    said = " ".join((proc.stdout + proc.stderr).split())
    assert "apt-get install bubblewrap" in said and "--no-sandbox" in said, said


# ---------------------------------------------------------------- the wire


def test_a_reply_naming_any_global_is_refused():
    for forged in (pickle.dumps(os.system), pickle.dumps(("v", Path("/"))), pickle.dumps(torch.zeros(1))):
        with pytest.raises(wire.WireError):
            wire.loads(forged)


def test_values_cross_as_data():
    from transformers import BatchEncoding

    t = torch.randn(2, 3, dtype=torch.float64).requires_grad_()
    got = wire.from_wire(wire.loads(pickle.dumps(wire.to_wire((t * 2, [1, "a", None], {"k": torch.tensor([])})))))
    assert torch.equal(got[0].detach(), (t * 2).detach()) and got[0].requires_grad and got[0].dtype == torch.float64
    assert got[1] == [1, "a", None] and got[2]["k"].shape == (0,)
    batch = shared.tokenizer()(["你好", "我觉得不行"], padding=True, return_tensors="pt")
    back = wire.from_wire(wire.loads(pickle.dumps(wire.to_wire(batch))))
    assert isinstance(back, BatchEncoding) and back.word_ids(1) == batch.word_ids(1)
    assert torch.equal(back["input_ids"], batch["input_ids"])


def test_numpy_values_cross_as_numpy_and_others_keep_their_type_name_and_repr():
    """A learner may return numpy where an int or a tensor is due: it arrives as that numpy value, so the
    check names the mistake as it would in the learner's own process; any other object arrives as a
    stand-in with its type's name and repr."""
    from fractions import Fraction

    import numpy as np

    from bertkata.feedback import type_name

    got = wire.from_wire(wire.to_wire(np.int64(5)))
    assert type(got) is np.int64 and got == 5
    array = np.arange(6, dtype=np.float32).reshape(2, 3)
    assert np.array_equal(wire.from_wire(wire.to_wire(array)), array)
    module = wire.from_wire(wire.to_wire(torch.nn.Linear(2, 2)))  # e.g. a module returned instead of None
    assert isinstance(module, torch.nn.Module) and type_name(module) == "torch.nn.modules.linear.Linear"
    other = wire.from_wire(wire.to_wire(Fraction(1, 3)))
    assert type_name(other) == "fractions.Fraction" and repr(other) == "Fraction(1, 3)" and other != Fraction(1, 3)


def test_a_learners_error_keeps_its_type_name_base_and_text():
    class TooLong(ValueError):
        pass

    got = wire.error_from_wire(wire.error_to_wire(TooLong("412 > 512"), "e03.py:7"))
    assert isinstance(got, ValueError) and type(got).__name__ == "TooLong" and str(got) == "412 > 512"
    assert got.where == "e03.py:7"
    key = wire.error_from_wire(wire.error_to_wire(KeyError("input_ids")))
    assert isinstance(key, KeyError) and str(key) == "'input_ids'"


@pytest.mark.parametrize("tree", [("tensor", "Tensor", "float32", [2], b"\0" * 4, False, None),
                                  ("tensor", "Tensor", "os", [1], b"", False, None),
                                  ("batch", [], [b"not json"], None), ("nope",), ["v", 1],
                                  ("ndarray", "|O", [1], b"\0" * 8), ("npscalar", "<i8", [2], b"\0" * 16)])
def test_a_malformed_value_is_refused(tree):
    with pytest.raises(wire.WireError):
        wire.from_wire(tree)
