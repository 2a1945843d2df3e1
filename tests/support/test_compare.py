"""`bert-kata compare`: a class of submissions graded against the solutions, each mistake in its own cell.

The class is built in a temporary folder from solutions/ and mutants/: one
all-correct learner, two mutants (one as a repository clone, one as a zip),
and learners whose exercise 01 does not import, loops forever, calls sys.exit,
exhausts memory or calls os._exit. It is graded once, by the real command in
a child process (the command forks its own workers); the tests below read that
one run's output and report. The rest are quick checks of the pieces.
"""

import hashlib
import json
import os
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time
import zipfile
import zlib
from pathlib import Path

import pytest

from bertkata import compare as grading
from bertkata import compare_report, submissions
from bertkata.compare_report import render
from bertkata.compare_inputs import Seed, compare_function, compare_values, describe
from bertkata.impl import load, project_root
from bertkata.status import Status
from bertkata.reference import solution, standalone

ROOT = project_root()
GRADED, _ = grading.gradable_exercises()
NAMES = [e.name for e in GRADED]
E01, E02 = "e01_pad_batch", "e02_index_encodings"
TIMEOUT = 60  # per test: long enough for the slowest correct test on a busy machine, short enough for a loop
MEMORY_MB = 2048  # e05 (backward through bert-base) needs about 1 GB more than the loaded model

pytestmark = [
    pytest.mark.skipif(not hasattr(os, "fork"), reason="bert-kata compare forks its workers (Linux, macOS)"),
    pytest.mark.timeout(1800),  # the first test that reads the class grades it, which takes minutes on 2 cores
    pytest.mark.xdist_group("compare"),  # one worker grades the class once for every test here
]

# What each learner's exercise 01 gets, and a phrase its note or first failure must contain.
EXPECTED_E01 = {
    "alice": (Status.DONE, ""),
    "bob": (Status.IN_PROGRESS, "512"),
    "carol": (Status.IN_PROGRESS, "inverted"),
    "dan": (Status.BROKEN, "syntax error"),
    "eve": (Status.TIMED_OUT, f"more than {TIMEOUT} s of processor time"),
    "fay": (Status.EXITS, "raised SystemExit"),
    "gus": (Status.OUT_OF_MEMORY, "MemoryError"),
    "hal": (Status.EXITS, "exit code 4"),
}

LOOP = '''

def tokenize_batch(tokenizer, sentences):
    while True:  # never returns
        pass
'''
MEMORY_HOG = '''

def pad_token_ids(id_lists, pad_token_id):
    hog = [0] * (50 * 2**30 // 8)  # a 50 GB list: refused under the memory limit
    return hog
'''
HARD_EXIT = '''

import os


def tokenize_batch(tokenizer, sentences):
    os._exit(4)
'''
EXIT_IN_FUNCTION = '''

import sys


def tokens_at(batch, i):
    sys.exit(2)
'''


def _solution_text(name: str) -> str:
    return (ROOT / "solutions" / f"{name}.py").read_text(encoding="utf-8")


def _write(folder: Path, modules: dict[str, str]) -> Path:
    folder.mkdir(parents=True)
    for name, text in modules.items():
        (folder / f"{name}.py").write_text(text, encoding="utf-8")
    return folder


def _mutant(name: str, mistake: str) -> str:
    """A whole module as a learner hands it in (a submission's code cannot import the solutions)."""
    return standalone(name, (ROOT / "mutants" / name / f"{mistake}.py").read_text(encoding="utf-8"))


def build_class(base: Path) -> list[Path]:
    """The class, in the order given to the command (the endless loop first, so its wait overlaps the rest)."""
    e01, e02 = _solution_text(E01), _solution_text(E02)
    subs = {}
    subs["alice"] = _write(base / "alice", {n: _solution_text(n) for n in NAMES})  # all correct
    # a clone of bob's repository: exercises/ is graded, never the solutions/ that came with the kata
    clone = base / "bob"
    _write(clone / "exercises", {E01: _mutant(E01, "max_length_512"), E02: e02})
    _write(clone / "solutions", {E01: e01, E02: e02})
    (clone / "README.md").write_text("bob's kata\n", encoding="utf-8")
    # carol hands in a zip of her folder
    carol = _write(base / "src" / "carol" / "exercises", {E01: _mutant(E01, "inverted_mask"), E02: e02})
    with zipfile.ZipFile(base / "carol.zip", "w") as zf:
        for py in sorted(carol.glob("*.py")):
            zf.write(py, f"carol/exercises/{py.name}")
        zf.writestr("__MACOSX/carol/exercises/._e01_pad_batch.py", "junk")
        zf.writestr("carol/notes.txt", "not Python")
    subs["carol"] = base / "carol.zip"
    subs["dan"] = _write(base / "dan", {E01: e01 + "\ndef broken(:\n    pass\n", E02: e02})
    subs["eve"] = _write(base / "eve", {E01: e01 + LOOP, E02: e02})
    at_import = e01.replace("from transformers import BatchEncoding\n",
                            "from transformers import BatchEncoding\nimport sys\nsys.exit(3)\n", 1)
    assert at_import != e01
    subs["fay"] = _write(base / "fay", {E01: at_import, E02: e02 + EXIT_IN_FUNCTION})
    subs["gus"] = _write(base / "gus", {E01: e01 + MEMORY_HOG, E02: e02})
    subs["hal"] = _write(base / "hal", {E01: e01 + HARD_EXIT, E02: e02})
    (base / "ivy").mkdir()  # handed in an empty folder
    subs["ivy"] = base / "ivy"
    subs["bob"] = clone
    return [subs[n] for n in ("eve", "alice", "bob", "carol", "dan", "fay", "gus", "hal", "ivy")]


def snapshot(folder: Path) -> dict:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir"
            for p in sorted(folder.rglob("*"))}


def run_compare(*args, timeout=1800):
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    env.pop("FORCE_COLOR", None)
    return subprocess.run([sys.executable, "-m", "bertkata", "compare", *map(str, args)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    base = tmp_path_factory.mktemp("class")
    paths = build_class(base)
    before = snapshot(base)
    report_dir = base.parent / (base.name + "-report")
    proc = run_compare(*paths, "--report", report_dir, "--timeout", TIMEOUT, "--memory-limit", MEMORY_MB,
                       "--details")
    assert proc.returncode == 0, f"compare failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    report = json.loads((report_dir / "report.json").read_text(encoding="utf-8"))
    return {"base": base, "before": before, "dir": report_dir, "report": report, "out": proc.stdout,
            "err": proc.stderr, "paths": paths}


def learner(report, name):
    [found] = [lr for lr in report["learners"] if lr["name"] == name]
    return found


def cell(report, name, exercise):
    [found] = [c for c in learner(report, name)["exercises"] if c["name"] == exercise]
    return found


def what_went_wrong(c) -> str:
    first = c.get("first_failure") or {}
    return f"{c.get('note') or ''}\n{first.get('test', '')}\n{first.get('message', '')}"


# ---------------------------------------------------------------- the class


def test_every_exercise_with_a_solution_and_tests_is_a_column(graded):
    assert [e["name"] for e in graded["report"]["exercises"]] == NAMES
    assert E01 in NAMES and E02 in NAMES


def test_the_all_correct_submission_is_done_everywhere(graded):
    alice = learner(graded["report"], "alice")
    assert [c["status"] for c in alice["exercises"]] == [Status.DONE] * len(NAMES)
    assert alice["passed"] == alice["total"] > 0
    for c in alice["exercises"]:
        statuses = {f["function"]: f["status"] for f in c["functions"]}
        assert statuses and set(statuses.values()) == {"same"}, (c["name"], c["functions"])


@pytest.mark.parametrize("name", list(EXPECTED_E01))
def test_each_mistake_is_in_its_own_cell(graded, name):
    """Exercise 01 gets the mistake; exercise 02 (the solution) is still graded, even after a
    timeout, an exit or a crash in 01; the learners who handed in only 01 and 02 miss the rest."""
    status, phrase = EXPECTED_E01[name]
    c = cell(graded["report"], name, E01)
    assert c["status"] == status, what_went_wrong(c)
    assert phrase in what_went_wrong(c), what_went_wrong(c)
    assert c["total"] > 0
    if status != Status.DONE:
        assert c["passed"] < c["total"]
    if name not in ("alice", "fay"):
        assert cell(graded["report"], name, E02)["status"] == Status.DONE, what_went_wrong(
            cell(graded["report"], name, E02))
    if name != "alice":
        for other in NAMES[2:]:
            assert cell(graded["report"], name, other)["status"] == Status.MISSING


def test_sys_exit_inside_a_function_is_reported_in_that_exercise(graded):
    c = cell(graded["report"], "fay", E02)
    assert c["status"] == Status.EXITS, what_went_wrong(c)
    assert "sys.exit(2)" in what_went_wrong(c) and c["passed"] > 0


def test_a_submission_without_modules_is_reported_and_the_rest_graded(graded):
    ivy = learner(graded["report"], "ivy")
    assert "no exercise modules" in ivy["problem"]
    assert len(graded["report"]["learners"]) == len(graded["paths"])


def test_function_comparison_shows_the_learners_output_beside_the_solutions(graded):
    [f] = [f for f in cell(graded["report"], "bob", E01)["functions"] if f["function"] == "tokenize_batch"]
    assert f["status"] == "differs"
    assert "[2, 512]" in f["learner"] and "[2, 10]" in f["reference"] and "expected [2, 10]" in f["detail"]
    [f] = [f for f in cell(graded["report"], "carol", E01)["functions"] if f["function"] == "pad_token_ids"]
    assert f["status"] == "differs" and "attention_mask" in f["detail"]
    for name in ("dan", "eve", "hal"):
        assert {f["status"] for f in cell(graded["report"], name, E01)["functions"]} == {"not compared"}
    [f] = [f for f in cell(graded["report"], "gus", E01)["functions"] if f["function"] == "pad_token_ids"]
    assert f["status"] == "raises" and "MemoryError" in f["learner"]


def test_messages_name_the_learners_files_not_the_private_copies(graded):
    dan = cell(graded["report"], "dan", E01)
    assert str(graded["base"] / "dan" / "e01_pad_batch.py") in what_went_wrong(dan)
    carol = cell(graded["report"], "carol", E01)
    assert learner(graded["report"], "carol")["found_in"] == "carol/exercises"
    assert "bert-kata-compare-" not in json.dumps(graded["report"]["learners"])


def test_submissions_are_never_modified(graded):
    assert snapshot(graded["base"]) == graded["before"]
    assert not list(graded["base"].rglob("__pycache__"))


def test_terminal_table_shows_every_learner(graded):
    out = graded["out"]
    n = cell(graded["report"], "alice", E01)["total"]
    assert f"{n}/{n}" in out
    for name in [*EXPECTED_E01, "ivy"]:
        assert name in out
    for word in ("import", "timeout", "memory", "exit"):
        assert word in out
    assert "[9/9]" in graded["err"]  # progress, one line per learner


def test_csv_has_one_row_per_learner(graded):
    import csv

    rows = list(csv.reader((graded["dir"] / "report.csv").open(encoding="utf-8")))
    assert rows[0][:4] == ["learner", "01_passed", "01_total", "01_status"]
    assert [r[0] for r in rows[1:]] == [lr["name"] for lr in graded["report"]["learners"]]
    eve = next(r for r in rows if r[0] == "eve")
    assert eve[3] == Status.TIMED_OUT


def test_scores_are_reproducible(graded, tmp_path):
    """Derandomized hypothesis: grading again gives the same scores and the same first failures."""
    bob = graded["paths"][2]
    again = tmp_path / "again"
    proc = run_compare(bob, "--exercise", "1", "--exercise", "2", "--report", again, "--timeout", TIMEOUT)
    assert proc.returncode == 0, proc.stderr[-2000:]
    report = json.loads((again / "report.json").read_text(encoding="utf-8"))
    assert report["settings"]["hypothesis_profile"] == "ci"
    for name in (E01, E02):
        first, second = cell(graded["report"], "bob", name), cell(report, "bob", name)
        keys = ("status", "passed", "total", "first_failure", "functions")
        assert {k: first[k] for k in keys} == {k: second[k] for k in keys}


def test_html_report_is_self_contained(graded):
    html = (graded["dir"] / "report.html").read_text(encoding="utf-8")
    assert html.startswith("<!doctype html>") and "<style>" in html
    assert "<script" not in html and "src=" not in html and "@import" not in html and "url(" not in html
    for name in [*EXPECTED_E01, "ivy"]:
        assert f">{name}</a>" in html or f">{name} <small>" in html
    assert 'class="matrix"' in html and "st-timed-out" in html and "First failure" in html


# ---------------------------------------------------------------- the screenshot


def chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        path = shutil.which(name)
        if path:
            return path
    return None


def png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and the rows of an 8-bit RGB/RGBA, non-interlaced PNG (what Chromium writes)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = header
    assert depth == 8 and colour in (2, 6) and interlace == 0, header
    bpp = 3 if colour == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows, prev = [], bytearray(stride)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b, c = prev[x], prev[x - bpp] if x >= bpp else 0
            if kind == 1:
                line[x] = (line[x] + a) & 255
            elif kind == 2:
                line[x] = (line[x] + b) & 255
            elif kind == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line) if bpp == 3 else bytes(v for i, v in enumerate(line) if i % 4 != 3))
        prev = line
    return width, height, rows


ARTIFACTS = ROOT / "build" / "test-artifacts"  # kept after the run: the report as Chromium drew it


def headless(browser: str, tmp_path: Path, page: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                           "--disable-background-networking", "--disable-component-update", "--disable-sync",
                           f"--user-data-dir={tempfile.mkdtemp(dir=tmp_path)}", *args, page.as_uri()],
                          capture_output=True, timeout=120)


def test_html_report_shows_the_matrix_in_headless_chromium(graded, tmp_path):
    browser = chromium()
    if browser is None:
        pytest.skip("no Chromium to render report.html (Debian: apt-get install chromium)")
    shot = tmp_path / "report.png"
    headless(browser, tmp_path, graded["dir"] / "report.html", f"--screenshot={shot}", "--window-size=1200,900")
    assert shot.is_file(), "Chromium wrote no screenshot"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(shot, ARTIFACTS / "report.png")
    width, height, rows = png_pixels(shot.read_bytes())
    assert (width, height) == (1200, 900)
    colours = {row[i:i + 3] for row in rows[::3] for i in range(0, len(row), 9)}
    assert len(colours) > 20, "the screenshot is (nearly) one colour"
    # the matrix cells' backgrounds: done, in progress, cannot import, timed out/exits/out of memory
    for name, rgb in {"done": "d1f0d8", "in progress": "fff1c2", "cannot import": "ffd7d5",
                      "timed out": "ead9fb"}.items():
        assert bytes.fromhex(rgb) in colours, f"no {name} cell colour in the screenshot"


# ---------------------------------------------------------------- the pieces, in-process


def test_find_modules_prefers_exercises_over_the_solutions_of_a_clone(tmp_path):
    clone = tmp_path / "clone"
    _write(clone / "solutions", {E01: "x = 1\n"})
    _write(clone / "exercises", {E01: "x = 2\n"})
    assert submissions.find_modules(clone, [E01]) == clone / "exercises"
    assert submissions.find_modules(clone / "exercises", [E01]) == clone / "exercises"
    nested = tmp_path / "unzipped"
    _write(nested / "kata-main" / "exercises", {E01: ""})
    assert submissions.find_modules(nested, [E01]) == nested / "kata-main" / "exercises"
    (tmp_path / "empty").mkdir()
    assert submissions.find_modules(tmp_path / "empty", [E01]) is None


def test_learner_names():
    assert submissions.learner_name(Path("/x/alice")) == "alice"
    assert submissions.learner_name(Path("/x/bob/exercises")) == "bob"
    assert submissions.learner_name(Path("/x/carol.zip")) == "carol"


@pytest.mark.parametrize("member", ["../evil.py", "/etc/evil.py", "a/../../evil.py"])
def test_zip_members_outside_the_folder_are_skipped_with_a_warning(tmp_path, member):
    path = tmp_path / "mia.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(member, "print('hi')\n")
        zf.writestr(f"mia/exercises/{E01}.py", _solution_text(E01))
    subs = submissions.prepare([path], tmp_path / "work", [E01])
    assert subs[0].modules is not None and subs[0].problem is None  # the rest of the zip is graded
    assert any("outside the zip" in w and member in w for w in subs[0].warnings), subs[0].warnings
    assert not (tmp_path / "evil.py").exists() and not (tmp_path / "work" / "evil.py").exists()


def test_a_zip_of_a_whole_repository_skips_its_environment_and_history(tmp_path, monkeypatch):
    monkeypatch.setattr(submissions, "MAX_ZIP_BYTES", 10_000)  # the .venv below holds more than this
    path = tmp_path / "noa.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(f"noa/exercises/{E01}.py", _solution_text(E01))
        for folder in (".venv/lib/python3.11/site-packages/torch", ".git/hooks", "exercises/__pycache__",
                       ".kata-backups"):
            zf.writestr(f"noa/{folder}/big.py", "x = 1\n" * 5_000)
    [sub] = submissions.prepare([path], tmp_path / "work", [E01])
    assert sub.problem is None and sub.modules is not None and sub.found_in == "noa/exercises", sub.problem
    assert not list((tmp_path / "work").rglob("big.py"))


def test_any_folder_name_reaches_every_report(tmp_path):
    """A name that is not UTF-8, one with spaces and one in Chinese: the reports are all written."""
    folders = [os.fsdecode(bytes(tmp_path) + b"/caf\xe9-latin1"), str(tmp_path / "with space"), str(tmp_path / "张三")]
    for folder in folders:
        os.mkdir(folder)  # empty: reported without loading the model
    report = grading.compare(folders, grading.Options(numbers=(1,)))
    written = compare_report.write_reports(report, tmp_path / "report")
    names = [lr["name"] for lr in json.loads(written[1].read_text(encoding="utf-8"))["learners"]]
    assert sorted(names) == sorted(["caf\ufffd-latin1", "with space", "张三"])
    assert "张三" in written[0].read_text(encoding="utf-8") and "张三" in written[2].read_text(encoding="utf-8")


def test_ctrl_c_keeps_every_learner_graded_before_it(tmp_path):
    quick = _write(tmp_path / "quick", {E01: _solution_text(E01)})
    stuck = _write(tmp_path / "stuck", {E01: _solution_text(E01) + LOOP})
    report_dir = tmp_path / "report"
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "bertkata", "compare", str(quick), str(stuck), "--exercise", "1",
                             "--jobs", "1", "--report", str(report_dir)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    for line in proc.stderr:  # the quick learner is graded first; the stuck one is running
        if line.startswith("[1/2] quick"):
            break
    time.sleep(2)
    proc.send_signal(signal.SIGINT)
    out, _ = proc.communicate(timeout=120)
    assert proc.returncode == 130, out
    report = json.loads((report_dir / "report.json").read_text(encoding="utf-8"))
    assert report["interrupted"] is True
    assert learner(report, "quick")["exercises"][0]["status"] == Status.DONE
    assert "interrupted" in learner(report, "stuck")["exercises"][0]["note"]
    journal = (report_dir / grading.JOURNAL).read_text(encoding="utf-8").splitlines()
    assert len(journal) == 2  # the header and the one learner graded


def test_the_reports_can_be_rebuilt_from_the_journal(graded, tmp_path):
    """A kill loses nothing graded: the journal, written as each learner finished, rebuilds the report."""
    folder = tmp_path / "again"
    folder.mkdir()
    shutil.copy(graded["dir"] / grading.JOURNAL, folder / grading.JOURNAL)
    proc = run_compare("--rebuild", folder)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    rebuilt = json.loads((folder / "report.json").read_text(encoding="utf-8"))
    assert rebuilt["learners"] == graded["report"]["learners"] and rebuilt["interrupted"] is False
    assert (folder / "report.html").stat().st_size > 0


def test_compare_values_gives_shapes_dtypes_and_the_largest_difference():
    import torch

    same, detail = compare_values(torch.zeros(2, 3), torch.zeros(2, 3) + 1e-7)
    assert same and "max |Δ|" in detail
    same, detail = compare_values(torch.zeros(2, 3), torch.ones(2, 3))
    assert not same and "max |Δ| 1" in detail
    same, detail = compare_values(torch.zeros(2, 5, dtype=torch.long), torch.zeros(2, 3, dtype=torch.long))
    assert not same and "shape [2, 5], expected [2, 3]" in detail
    same, detail = compare_values(torch.zeros(2, dtype=torch.int32), torch.zeros(2, dtype=torch.long))
    assert not same and "dtype int32, expected int64" in detail
    same, detail = compare_values(torch.tensor([[1, 2, 0]]), torch.tensor([[1, 2, 3]]))
    assert not same and "1 of 3 values differ, first at [0, 2]: 0 vs 3" in detail
    assert compare_values(["[CLS]", "我"], ["[CLS]", "我"])[0]
    assert not compare_values(["[CLS]"], ["[CLS]", "我"])[0]
    assert not compare_values({"a": torch.zeros(1)}, {"a": torch.zeros(1), "b": torch.zeros(1)})[0]
    assert describe(torch.zeros(2, 768)) == "tensor float32 [2, 768]"
    assert describe(ValueError("no")) == "raised ValueError: no"


def test_compare_function_on_the_seed_batch(tmp_path):
    ref = solution(E01)
    record = compare_function(E01, "tokenize_batch", ref, ref, Seed())
    assert record["status"] == "same" and "[2, 10]" in record["learner"]
    folder = _write(tmp_path / "m", {E01: _mutant(E01, "pad_with_unk")})
    record = compare_function(E01, "pad_token_ids", load(folder, E01), ref, Seed())
    assert record["status"] == "differs" and "100 vs 0" in record["detail"]
    stub = _write(tmp_path / "s", {E01: "def tokenize_batch(tokenizer, sentences):\n    raise NotImplementedError\n"})
    assert compare_function(E01, "tokenize_batch", load(stub, E01), ref, Seed())["status"] == "stub"
    assert compare_function(E01, "pad_token_ids", load(stub, E01), ref, Seed())["status"] == "missing"


def test_html_escapes_everything_a_learner_wrote():
    evil = "<script>alert(1)</script>"
    c = {"number": 1, "name": E01, "title": "Pad a batch", "status": Status.IN_PROGRESS, "passed": 1, "total": 2,
         "first_failure": {"test": evil, "message": evil}, "note": evil, "seconds": 1.0,
         "functions": [{"function": "f", "status": "differs", "call": evil, "learner": evil, "reference": "x",
                        "detail": evil}]}
    report = {"learners": [{"name": evil, "source": evil, "found_in": "", "problem": None, "passed": 1, "total": 2,
                            "exercises": [c]}],
              "exercises": [{"number": 1, "name": E01, "title": "Pad a batch"}], "skipped_exercises": [],
              "settings": {"seed": ["a"], "timeout_s": 1, "memory_limit_mb": 1, "jobs": 1,
                           "hypothesis_profile": "ci"},
              "model_source": "replica", "generated": "now"}
    html = render(report)
    assert "<script" not in html and "&lt;script&gt;" in html


def test_the_report_and_the_class_matrix_speak_the_instructors_language(monkeypatch):
    from io import StringIO

    from rich.console import Console

    from bertkata.compare_table import print_summary

    report = _hostile_report("张三", "我觉得不行")
    report["learners"][0]["warnings"] = []
    for lang, words, absent in (("zh", ["班级总表", "学员", "合计", "批量填充", "进行中", "有测试失败", 'lang="zh"'],
                                 ["Class matrix", "Learner"]),
                                ("en", ["Class matrix", "Learner", "Total", "Pad a batch", "in progress",
                                        "some tests fail", 'lang="en"'], ["班级总表", "学员"])):
        monkeypatch.setenv("BERT_KATA_LANG", lang)
        html = render(report)
        out = StringIO()
        print_summary(report, Console(file=out, width=200), details=True)
        terminal = out.getvalue()
        assert all(w in html for w in words) and not any(w in html for w in absent), lang
        assert (("学员" in terminal and "合计" in terminal and "进行中" in terminal) if lang == "zh"
                else ("learner" in terminal and "total" in terminal and "in progress" in terminal)), terminal


HOSTILE = ("<img src=x onerror=\"document.documentElement.setAttribute('data-pwned','1')\">"
           "<script>document.documentElement.setAttribute('data-pwned','2')</script>")


def _hostile_report(name: str, sentence: str) -> dict:
    c = {"number": 1, "name": E01, "title": "Pad a batch", "status": Status.IN_PROGRESS, "passed": 1, "total": 2,
         "first_failure": {"test": "test_x", "message": f"{sentence} {HOSTILE}"}, "note": HOSTILE, "seconds": 1.0,
         "functions": [{"function": "tokenize_batch", "status": "differs", "call": HOSTILE, "learner": sentence,
                        "reference": "x", "detail": HOSTILE}]}
    return {"learners": [{"name": name, "source": HOSTILE, "found_in": "", "problem": None, "passed": 1, "total": 2,
                          "exercises": [c]}],
            "exercises": [{"number": 1, "name": E01, "title": "Pad a batch"}], "skipped_exercises": [],
            "settings": {"seed": ["我觉得不行"], "timeout_s": 1, "memory_limit_mb": 1, "jobs": 1,
                         "hypothesis_profile": "ci"},
            "model_source": "replica", "generated": "now"}


def test_chromium_renders_chinese_and_runs_nothing_a_learner_wrote(tmp_path):
    """The page as a browser runs it: no script or handler a learner wrote runs, the learner's details
    are there, and Chinese is drawn with real glyphs (two different sentences of five characters draw
    differently; with no CJK font both are the same five empty boxes)."""
    browser = chromium()
    if browser is None:
        pytest.skip("no Chromium to render report.html (Debian: apt-get install chromium fonts-noto-cjk)")
    page = tmp_path / "hostile.html"
    page.write_text(render(_hostile_report("张三" + HOSTILE, "我觉得不行")), encoding="utf-8")
    dom = headless(browser, tmp_path, page, "--dump-dom", "--virtual-time-budget=2000").stdout.decode()
    assert "<html" in dom, "Chromium dumped no page"
    import re

    assert "data-pwned" not in re.search(r"<html[^>]*>", dom).group(0), "a learner's script or handler ran"
    assert "张三" in dom and "我觉得不行" in dom and "tokenize_batch" in dom
    shots = []
    for i, sentence in enumerate(("我觉得不行", "今天天气好")):
        glyphs = tmp_path / f"glyphs{i}.html"
        glyphs.write_text(f'<html><head><meta charset="utf-8"></head><body style="margin:0;font-size:48px;'
                          f'background:#fff">{sentence}</body></html>', encoding="utf-8")
        shot = tmp_path / f"glyphs{i}.png"
        headless(browser, tmp_path, glyphs, f"--screenshot={shot}", "--window-size=600,200",
                 "--virtual-time-budget=1000")
        shots.append(png_pixels(shot.read_bytes())[2])
    assert shots[0] != shots[1], "Chinese draws as empty boxes: install a CJK font (Debian: fonts-noto-cjk)"


def test_links_in_a_submission_are_not_followed(tmp_path):
    """A link hands in nothing: not the instructor's solutions (a linked exercises/ folder or module),
    not any other file of the machine (a linked helper module)."""
    linked_folder = tmp_path / "dora"
    linked_folder.mkdir()
    (linked_folder / "exercises").symlink_to(ROOT / "solutions")
    linked_module = tmp_path / "eli"
    linked_module.mkdir()
    (linked_module / f"{E01}.py").symlink_to(ROOT / "solutions" / f"{E01}.py")
    (linked_module / f"{E02}.py").write_text("import notes\n", encoding="utf-8")
    (linked_module / "notes.py").symlink_to(ROOT / "conftest.py")
    dora, eli = submissions.prepare([linked_folder, linked_module], tmp_path / "work", [E01, E02])
    assert dora.modules is None and "no exercise modules" in dora.problem
    assert sorted(p.name for p in eli.modules.iterdir()) == [f"{E02}.py"]
    assert any(f"{E01}.py" in w for w in eli.warnings) and any("notes.py" in w for w in eli.warnings)
