"""Results for grading platforms: Gradescope's results.json, the exercism test runner's, and the
entry points shipped for Gradescope and GitHub Classroom, run here on folders laid out as each
platform lays them out."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bertkata import catalog
from bertkata.impl import project_root
from bertkata.results import exercism, gradescope
from bertkata.runner import ExerciseResult
from bertkata.runner import TestOutcome as Outcome
from bertkata.stubgen import stub_for

ROOT = project_root()
EXERCISES = [e for e in catalog.exercises() if (ROOT / e.test_file).is_file()]
E01, E02 = catalog.by_number(1), catalog.by_number(2)


def canned() -> list[ExerciseResult]:
    return [
        ExerciseResult(E01, [Outcome("t::a", "passed"), Outcome("t::b", "failed", "expected [2, 10]")]),
        # a run stopped by a time limit after one test of three: the two never run count as failed
        ExerciseResult(E02, [Outcome("t::c", "failed", "used more than 10 s", "timed out")], collected=3),
    ]


def test_gradescope_gives_a_point_per_test_and_counts_tests_never_run():
    data = gradescope(canned())
    assert data["score"] == 1 and data["max_score"] == 5
    assert {t["name"] for t in data["tests"]} >= {"01 Pad a batch: a", "01 Pad a batch: b", "02 Index encodings: c"}
    [never] = [t for t in data["tests"] if "not run" in t["name"]]
    assert never["max_score"] == 2 and never["score"] == 0 and "timed out" in never["output"]
    assert all(t["visibility"] == "visible" and "status" in t for t in data["tests"])


def test_exercism_reports_status_and_one_task_per_exercise():
    data = exercism(canned())
    assert data["version"] == 3 and data["status"] == "fail"
    by_name = {t["name"]: t for t in data["tests"]}
    assert by_name["01 Pad a batch: a"]["status"] == "pass" and "message" not in by_name["01 Pad a batch: a"]
    assert by_name["01 Pad a batch: b"] == {"name": "01 Pad a batch: b", "status": "fail", "task_id": 1,
                                            "message": "expected [2, 10]"}
    broken = [ExerciseResult(E01, [Outcome("t::a", "error", "line 3 has a syntax error", "broken")])]
    assert exercism(broken)["status"] == "error" and "syntax error" in exercism(broken)["message"]


def lay_out_gradescope(base: Path, modules: dict[str, str]) -> Path:
    """/autograder as Gradescope lays it out: submission/ holds what the learner uploaded."""
    (base / "submission").mkdir(parents=True)
    for name, text in modules.items():
        (base / "submission" / f"{name}.py").write_text(text, encoding="utf-8")
    return base


def run_autograder(base: Path) -> dict:
    env = {**os.environ, "AUTOGRADER_ROOT": str(base), "KATA_ROOT": str(ROOT), "KATA_PYTHON": sys.executable}
    proc = subprocess.run([str(ROOT / "autograders" / "gradescope" / "run_autograder")], env=env,
                          capture_output=True, text=True, timeout=1800)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    return json.loads((base / "results" / "results.json").read_text(encoding="utf-8"))


@pytest.mark.timeout(1800)
def test_gradescope_entry_point_gives_full_marks_to_the_solutions(tmp_path):
    base = lay_out_gradescope(tmp_path / "autograder", {
        e.name: (ROOT / "solutions" / f"{e.name}.py").read_text(encoding="utf-8") for e in EXERCISES})
    data = run_autograder(base)
    assert data["score"] == data["max_score"] > 0, [t for t in data["tests"] if t["score"] < t["max_score"]][:3]


@pytest.mark.timeout(1800)
def test_gradescope_entry_point_gives_nothing_to_the_stubs(tmp_path):
    # one stub uploaded, the others missing: each missing module is graded as its stub
    base = lay_out_gradescope(tmp_path / "autograder", {E01.name: stub_for(ROOT, E01.name, E01.number)})
    data = run_autograder(base)
    assert data["score"] == 0 and data["max_score"] > 0
    assert all(t["status"] == "failed" for t in data["tests"])


def test_github_classroom_workflow_checks_every_exercise_and_reports_each():
    workflow = yaml.safe_load((ROOT / "autograders" / "github-classroom" / "classroom.yml").read_text("utf-8"))
    steps = workflow["jobs"]["grade"]["steps"]
    graders = [s for s in steps if str(s.get("uses", "")).startswith("classroom-resources/autograding-command-grader")]
    assert [s["with"]["command"] for s in graders] == [f".venv/bin/bert-kata check {e.number}" for e in EXERCISES]
    [reporter] = [s for s in steps if str(s.get("uses", "")).startswith("classroom-resources/autograding-grading-reporter")]
    ids = [s["id"] for s in graders]
    assert reporter["with"]["runners"].split(",") == ids
    assert set(reporter["env"]) == {f"{i.upper()}_RESULTS" for i in ids}


@pytest.mark.timeout(600)
def test_github_classroom_command_passes_only_when_the_exercise_is_done(tmp_path):
    """The command each grader runs, in a learner's repository as the runner checks it out."""
    repo = tmp_path / "repo"
    for name in ("exercises", "tests", "conftest.py", "pyproject.toml", "solutions"):
        src = ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, repo / name)
    env = {**os.environ, "KATA_ROOT": str(repo), "HF_HUB_OFFLINE": "1"}
    target = repo / "exercises" / f"{E01.name}.py"
    target.write_text(stub_for(ROOT, E01.name, E01.number), encoding="utf-8")
    stub = subprocess.run([sys.executable, "-m", "bertkata", "check", "1"], env=env, capture_output=True, timeout=300)
    shutil.copy2(repo / "solutions" / f"{E01.name}.py", target)
    solved = subprocess.run([sys.executable, "-m", "bertkata", "check", "1"], env=env, capture_output=True, timeout=300)
    assert (stub.returncode, solved.returncode) == (1, 0)


@pytest.mark.timeout(1800)
def test_the_gradescope_zip_grades_without_the_solutions(tmp_path):
    """The zip `make gradescope` builds: the kata without solutions/ (learners' code shares the container),
    setup.sh and run_autograder at the top; unpacked where Gradescope puts it, it grades a submission."""
    import zipfile

    sys.path.insert(0, str(ROOT / "autograders" / "gradescope"))
    try:
        from build_zip import build
    finally:
        sys.path.pop(0)
    out = tmp_path / "autograder.zip"
    build(out)
    with zipfile.ZipFile(out) as zf:
        names = zf.namelist()
        assert {"setup.sh", "run_autograder", "pyproject.toml"} <= set(names)
        assert not [n for n in names if n.startswith(("solutions/", "mutants/", "alternatives/"))]
        assert zf.getinfo("run_autograder").external_attr >> 16 & 0o111
        zf.extractall(tmp_path / "autograder" / "source")
    base = lay_out_gradescope(tmp_path / "autograder", {
        E01.name: (ROOT / "solutions" / f"{E01.name}.py").read_text(encoding="utf-8")})
    env = {**os.environ, "AUTOGRADER_ROOT": str(base), "KATA_PYTHON": sys.executable}
    env.pop("KATA_ROOT", None)
    proc = subprocess.run(["bash", str(base / "source" / "run_autograder")], env=env, capture_output=True,
                          text=True, timeout=1800)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    data = json.loads((base / "results" / "results.json").read_text(encoding="utf-8"))
    e01 = [t for t in data["tests"] if t["name"].startswith("01 ")]
    assert e01 and all(t["score"] == t["max_score"] for t in e01)
    assert data["score"] == len(e01) < data["max_score"]  # the other exercises: their stubs, zero
