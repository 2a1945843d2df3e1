"""Nothing a learner's code does takes `check` or `watch` down.

Each run of an exercise happens in a child forked from the warm process
(bertkata.forked). An endless loop, `os._exit`, `sys.exit`, a segfault and a
memory hog each cost only their run: `check` still prints its table with that
exercise marked for what happened, and `watch` goes on watching. A new save
kills a run still going. These run the real commands in child processes.
"""

import json
import os
import re
import signal
import subprocess
import sys
import time

import pytest

from bertkata import catalog
from tests.support.helpers import WatchProcess, child_env

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the learner's runs fork (Linux, macOS)")

E = {n: catalog.by_number(n) for n in range(1, 6)}

LOOP = "\n\ndef tokenize_batch(tokenizer, sentences):\n    while True:  # never returns\n        pass\n"
HARD_EXIT = "\n\ndef token_for_char(batch, i, c):\n    import os\n    os._exit(3)\n"
SEGFAULT = "\n\ndef encode(model, batch):\n    import ctypes\n    return ctypes.string_at(0)  # reads address 0\n"
MEMORY_HOG = "\n\ndef cls_embeddings(last_hidden_state):\n    return [0] * 10**10  # 80 GB\n"
SYS_EXIT = "\n\ndef count_trainable_parameters(model):\n    import sys\n    sys.exit(2)\n"

# exercise: (what its file gets, the status)
INCIDENTS = {
    1: (LOOP, "timed out"),
    2: (HARD_EXIT, "exits"),
    3: (SEGFAULT, "crashed"),
    4: (MEMORY_HOG, "out of memory"),
    5: (SYS_EXIT, "exits"),
}


def solution_with(project, number: int, extra: str) -> str:
    return (project / "solutions" / f"{E[number].name}.py").read_text(encoding="utf-8") + extra


def test_check_prints_its_table_whatever_each_exercise_does(project):
    for number, (extra, _) in INCIDENTS.items():
        (project / "exercises" / f"{E[number].name}.py").write_text(solution_with(project, number, extra),
                                                                    encoding="utf-8")
    started = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "bertkata", "check"], env={**child_env(project), "NO_COLOR": "1"},
                          capture_output=True, text=True, timeout=600)
    seconds = time.monotonic() - started
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr, proc.stdout + proc.stderr
    for number, (_, status) in INCIDENTS.items():
        row = re.search(rf"│ {number:02d} │[^\n]*│ ([a-z ]+?) +│ +(\d+)/(\d+) │", proc.stdout)
        assert row and row.group(1) == status, (number, proc.stdout)
        assert int(row.group(3)) > 0 and int(row.group(2)) < int(row.group(3))
    assert f"0 of {len(catalog.exercises())} exercises done." in proc.stdout
    # what each status means is in its first failure (`check N` shows it; the statuses' own sentences are
    # pinned by test_how_a_child_ended_names_what_happened)
    # the first exercise not done is shown in full: the endless loop, named with where it was
    assert "more than 10 s of processor time" in proc.stdout and "endless loop" in proc.stdout
    assert seconds < 300, f"check took {seconds:.0f} s"  # a stuck child would be killed, not waited for


def test_watch_survives_each_incident_and_starts_over_on_a_new_save(project):
    target = project / "exercises" / f"{E[1].name}.py"
    right = (project / "solutions" / f"{E[1].name}.py").read_text(encoding="utf-8")
    target.write_text(right + "\n", encoding="utf-8")
    bodies = {  # status: (the function, words of the message shown with it)
        "exits": ("\n\ndef tokenize_batch(tokenizer, sentences):\n    import os\n    os._exit(3)\n", "exit code 3"),
        "crashed": ("\n\ndef tokenize_batch(tokenizer, sentences):\n    import ctypes\n    return ctypes.string_at(0)\n",
                    "SIGSEGV"),
        "out of memory": ("\n\ndef tokenize_batch(tokenizer, sentences):\n    return [0] * 10**10\n",
                          "ran out of memory"),
        "timed out": (LOOP, "more than 10 s of processor time"),
    }
    w = WatchProcess(project, "1", "--only")
    try:
        assert "done" in w.until(r"^01 Pad a batch: ")
        w.until(r"Watching exercises/e01_pad_batch.py")
        for status, (body, phrase) in bodies.items():
            saved = time.monotonic()
            shown = len(w.seen)
            target.write_text(right + body, encoding="utf-8")
            line = w.until(r"^01 Pad a batch: ")
            assert status in line, (status, "\n".join(w.seen))
            assert phrase in " ".join(" ".join(w.seen[shown:]).split()), (phrase, "\n".join(w.seen[shown:]))
            if status == "timed out":  # after 10 s of processor time (longer on a busy machine), not once per test
                assert time.monotonic() - saved < 45, "\n".join(w.seen)
            w.until(r"Watching exercises/e01_pad_batch.py")
        # a save during a run kills it at once: the loop's run never reaches its time limit
        target.write_text(right + LOOP + "# another loop\n", encoding="utf-8")
        w.until(r"e01_pad_batch.py saved")
        time.sleep(1.0)
        started = time.monotonic()
        target.write_text(right, encoding="utf-8")
        w.until(r"Saved again: starting over")
        done = w.until(r"^01 Pad a batch: ")
        assert "done" in done and time.monotonic() - started < 9, "\n".join(w.seen)
    finally:
        w.proc.send_signal(signal.SIGINT)
        code = w.proc.wait(timeout=30)
    assert code in (0, 130) and "Traceback" not in "\n".join(w.seen)


def test_the_warm_process_never_imports_the_learners_code(project):
    """The parent only forks: a module that marks the process at import marks only its child."""
    mark = "\nimport builtins\nbuiltins.KATA_IMPORTED_HERE = True\n"
    (project / "exercises" / f"{E[1].name}.py").write_text(solution_with(project, 1, mark), encoding="utf-8")
    code = (
        "import builtins, sys\n"
        "from bertkata.cli import run_check\n"
        "from bertkata.impl import project_root\n"
        "from bertkata import catalog\n"
        "code = run_check([catalog.by_number(1)], project_root() / 'exercises', fmt='json')\n"
        "print('EXIT', code, 'MARKED', hasattr(builtins, 'KATA_IMPORTED_HERE'),\n"
        "      'MODULES', [m for m in sys.modules if m.startswith('_kata_impl')])\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], env=child_env(project), capture_output=True, text=True,
                          timeout=300)
    assert "EXIT 0 MARKED False MODULES []" in proc.stdout, proc.stdout[-2000:] + proc.stderr[-2000:]


def test_check_is_not_fooled_by_what_else_code_does(project, tmp_path):
    """A process left running, stray bytes on file descriptors, a KeyboardInterrupt, escape codes in a
    message and a missing function: each is reported for what it is, and the run stays quick."""
    pids = tmp_path / "stray.pid"
    fork_and_leave = (
        "\n\n_tokenize_batch = tokenize_batch\n\n\ndef tokenize_batch(tokenizer, sentences):\n"
        "    import os, time\n"
        "    if os.fork() == 0:\n"
        "        os.setsid()\n"
        f"        open({str(pids)!r}, 'a').write(f'{{os.getpid()}}\\n')\n"
        "        time.sleep(300)\n"
        "        os._exit(0)\n"
        "    return _tokenize_batch(tokenizer, sentences)\n")
    write_everywhere = (
        "\n\n_tokens_at = tokens_at\n\n\ndef tokens_at(batch, i):\n"
        "    import os\n"
        "    for fd in range(3, 11):\n"
        "        try:\n"
        "            os.write(fd, b'garbage')\n"
        "        except OSError:\n"
        "            pass\n"
        "    return _tokens_at(batch, i)\n")
    escape_codes = "\n\ndef encode(model, batch):\n    raise ValueError('\\x1b[2J\\x1b[32mdone\\x1b[0m')\n"
    interrupt = "\n\ndef cls_embeddings(last_hidden_state):\n    print('DEBUG', 42)\n    raise KeyboardInterrupt\n"
    for number, extra in ((1, fork_and_leave), (2, write_everywhere), (3, escape_codes), (4, interrupt)):
        (project / "exercises" / f"{E[number].name}.py").write_text(solution_with(project, number, extra),
                                                                    encoding="utf-8")
    e05 = solution_with(project, 5, "").replace("def count_trainable_parameters(", "def renamed_by_mistake(")
    (project / "exercises" / f"{E[5].name}.py").write_text(e05, encoding="utf-8")
    started = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "bertkata", "check", "--json"], env=child_env(project),
                          capture_output=True, text=True, timeout=600)
    seconds = time.monotonic() - started
    cells = {e["number"]: e for e in json.loads(proc.stdout)["exercises"]}
    assert cells[1]["status"] == "done" and cells[2]["status"] == "done", (cells[1], cells[2])
    assert seconds < 120, f"check waited {seconds:.0f} s for a process the learner's code left behind"
    left = [int(p) for p in pids.read_text().split()]
    assert left, "the forked process never started: this test proves nothing"
    for pid in left:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            continue
        raise AssertionError(f"process {pid}, started by the learner's code, outlived check")
    message = cells[3]["first_failure"]["message"]
    assert "ValueError" in message and "\x1b" not in message, message
    assert cells[4]["status"] == "in progress" and "KeyboardInterrupt" in cells[4]["first_failure"]["message"]
    assert "DEBUG 42" in cells[4]["first_failure"]["message"]  # what the code printed comes with its failure
    assert cells[5]["status"] == "in progress", cells[5]  # it imports: a missing function is a mistake
    assert "has no function `count_trainable_parameters`" in cells[5]["first_failure"]["message"]


@pytest.mark.parametrize("status, incident, phrase", [
    (signal.SIGKILL, "killed", "killed (SIGKILL)"),  # the out-of-memory killer, or another program: not "memory"
    (signal.SIGSEGV, "crashed", "crashed (SIGSEGV)"),
    (3 << 8, "exits", "exit code 3"),
])
def test_how_a_child_ended_names_what_happened(status, incident, phrase):
    from bertkata.forked import Child, Limits

    child = Child(pid=0, fd=-1, limits=Limits(), test="tests/test_e01_pad_batch.py::test_x")
    kind, note = child.died(status)
    assert kind == incident and phrase in note and "test_x" in note, note
