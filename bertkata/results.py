"""A learner's results in the formats grading platforms read.

- ``gradescope``: Gradescope's ``results.json`` (``score``, ``max_score``, ``tests[]`` with ``name``,
  ``score``, ``max_score``, ``status``, ``output``, ``visibility``): one point per test.
- ``exercism``: the exercism test runner's ``results.json``, version 3 (``status`` pass / fail /
  error, ``tests[]`` with ``name``, ``status``, ``message``, ``task_id``), one task per exercise.
- ``json``: the kata's own (``bert-kata check --json``).

Tests a run never reached (it stopped at a time limit, an exit, a crash) count as failed, so a
score never rises because the code stopped the tests early.
"""

from __future__ import annotations

from bertkata.runner import BROKEN, DONE, ExerciseResult

FORMATS = ("json", "gradescope", "exercism")


def _title(r: ExerciseResult) -> str:
    return f"{r.exercise.number:02d} {r.exercise.title}"


def _not_run(r: ExerciseResult) -> int:
    return max(0, r.total - len(r.counted))


def own(results: list[ExerciseResult], impl_dir) -> dict:
    return {"impl_dir": str(impl_dir), "exercises": [r.as_dict() for r in results]}


def gradescope(results: list[ExerciseResult]) -> dict:
    tests = []
    for r in results:
        for o in r.counted:
            tests.append({"name": f"{_title(r)}: {o.name}", "score": float(o.outcome == "passed"), "max_score": 1.0,
                          "status": "passed" if o.outcome == "passed" else "failed",
                          "output": o.message, "visibility": "visible"})
        missing = _not_run(r)
        if missing:
            first = r.first_failure
            tests.append({"name": f"{_title(r)}: {missing} tests not run", "score": 0.0, "max_score": float(missing),
                          "status": "failed", "visibility": "visible",
                          "output": f"the run stopped before them ({r.status})" + (f": {first.message}" if first else "")})
    score = sum(t["score"] for t in tests)
    top = sum(t["max_score"] for t in tests)
    done = sum(r.status == DONE for r in results)
    return {"score": score, "max_score": top, "visibility": "visible", "stdout_visibility": "hidden",
            "output": f"{done} of {len(results)} exercises done; {score:g} of {top:g} tests pass.",
            "tests": tests}


def exercism(results: list[ExerciseResult]) -> dict:
    broken = [r for r in results if r.status == BROKEN]
    if broken:  # exercism's "error": the tests could not run at all
        first = broken[0].first_failure
        return {"version": 3, "status": "error",
                "message": f"{_title(broken[0])}: {first.message if first else 'the module does not import'}",
                "tests": []}
    tests = []
    for r in results:
        for o in r.counted:
            status = "pass" if o.outcome == "passed" else ("error" if o.outcome == "error" else "fail")
            test = {"name": f"{_title(r)}: {o.name}", "status": status, "task_id": r.exercise.number}
            if status != "pass":
                test["message"] = o.message
            tests.append(test)
        missing = _not_run(r)
        if missing:
            tests.append({"name": f"{_title(r)}: {missing} tests not run", "status": "fail",
                          "task_id": r.exercise.number, "message": f"the run stopped before them ({r.status})"})
    status = "pass" if tests and all(t["status"] == "pass" for t in tests) else "fail"
    return {"version": 3, "status": status, "tests": tests}


def render(fmt: str, results: list[ExerciseResult], impl_dir) -> dict:
    if fmt == "gradescope":
        return gradescope(results)
    if fmt == "exercism":
        return exercism(results)
    return own(results, impl_dir)
