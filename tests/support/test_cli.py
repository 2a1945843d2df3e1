"""The learner's loop: `bert-kata list`, `hint`, `show`, `reset`, `check` and `watch`.

Everything that writes files works in a temporary copy of the project
(KATA_ROOT). Only two tests start the real tests in a child process (`check`
and `watch`); the others run the CLI in-process or with canned results, so
this file stays quick and never touches the network.
"""

import json
import os
import py_compile
import re
import shutil
import signal
import subprocess
import sys
import time
import tomllib
from io import StringIO

import pytest
from rich.console import Console
from typer.testing import CliRunner

from bertkata import catalog, status
from bertkata.cli import app
from bertkata.impl import project_root
from bertkata.runner import DONE, ExerciseResult
from bertkata.runner import TestOutcome as Outcome
from bertkata.stubgen import stub_for
from tests.support.helpers import WatchProcess, child_env

ROOT = project_root()
E01 = catalog.by_number(1)
E02 = catalog.by_number(2)
WIDE = {"COLUMNS": "200", "NO_COLOR": None, "FORCE_COLOR": None}  # no wrapping inside the asserted phrases
# the language follows --lang or a neutral locale; whatever a command sets is put back after it
ENGLISH = {"BERT_KATA_LANG": None, "LANG": "C.UTF-8", "LC_ALL": None, "LC_MESSAGES": None}


def invoke(*args, env=None, input=None):
    return CliRunner().invoke(app, list(args), env={**WIDE, **ENGLISH, **(env or {})}, catch_exceptions=False,
                              input=input)


# ---------------------------------------------------------------- list, show, hint


def test_list_shows_every_exercise_with_status_and_what_it_teaches(project):
    out = invoke("list").output
    for e in catalog.exercises():
        assert e.title in out and e.teaches[:30] in out
    assert out.count("not started") == sum((project / "solutions" / f"{e.name}.py").exists()
                                           for e in catalog.exercises())
    edited = project / "exercises" / f"{E01.name}.py"
    edited.write_text(edited.read_text(encoding="utf-8") + "\n# my work\n", encoding="utf-8")
    assert "started (run `bert-kata check 1`)" in invoke("list").output


def test_list_shows_a_recorded_check_while_the_file_is_unchanged(project):
    path = project / "exercises" / f"{E01.name}.py"
    path.write_text("# my answer\n", encoding="utf-8")
    result = ExerciseResult(E01, [Outcome("t::a", "passed"), Outcome("t::b", "passed")])
    status.record(project, [result], {E01.name: status.digest(path)})
    assert "done (2/2)" in invoke("list").output
    path.write_text("# my answer, changed\n", encoding="utf-8")
    out = invoke("list").output
    assert "done (2/2)" not in out and "started (run `bert-kata check 1`)" in out


def test_a_file_saved_during_its_check_keeps_no_result(project):
    """The result belongs to the text that was tested: a save during the run records nothing."""
    path = project / "exercises" / f"{E01.name}.py"
    path.write_text("# tested\n", encoding="utf-8")
    tested = {E01.name: status.digest(path)}
    path.write_text("# tested, then changed while the tests ran\n", encoding="utf-8")
    status.record(project, [ExerciseResult(E01, [Outcome("t::a", "passed")])], tested)
    assert status.quick(project, E01)[0] != DONE


def test_list_is_instant_it_imports_neither_torch_nor_transformers(project):
    code = ("import sys; from bertkata.cli import app\n"
            "try:\n    app(['list'])\nexcept SystemExit:\n    pass\n"
            "assert 'torch' not in sys.modules and 'transformers' not in sys.modules, 'list imported torch'\n")
    t = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", code], env=child_env(project), capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert time.perf_counter() - t < 10


def test_hints_are_progressive(project):
    hints = E01.hints
    assert len(hints) >= 3
    first = invoke("hint", "1", "--lang", "en").output
    assert "again for hint 2" in first
    assert f"Hint 1/{len(hints)}" in first and f"Hint 2/{len(hints)}" not in first
    assert hints[0]["en"][:40] in first
    second = invoke("hint", "1", "--lang", "en").output  # only the new hint: the first is not repeated
    assert f"Hint 2/{len(hints)}" in second and f"Hint 3/{len(hints)}" not in second and "Hint 1/" not in second
    every = invoke("hint", "1", "--all", "--lang", "en").output
    assert all(f"Hint {i}/{len(hints)}" in every for i in range(1, len(hints) + 1))
    assert "again for hint" not in every
    state = json.loads((project / ".kata-hints.json").read_text(encoding="utf-8"))
    assert state[E01.name] == len(hints)
    other = invoke("hint", "2", "--lang", "en").output  # each exercise counts its own hints
    assert f"Hint 1/{len(E02.hints)}" in other and f"Hint 2/{len(E02.hints)}" not in other


def test_show_gives_the_instructions_without_revealing_a_hint(project):
    out = invoke("show", "1", "--lang", "en").output
    assert E01.instructions.strip().splitlines()[0] in out and "Hint" not in out
    assert not (project / ".kata-hints.json").exists()
    invoke("hint", "1", "--lang", "en")
    assert "Hint 1/" in invoke("show", "1", "--lang", "en").output


def test_hint_does_not_reprint_the_instructions(project):
    out = invoke("hint", "1", "--lang", "en").output
    assert E01.title in out and E01.instructions.strip().splitlines()[0] not in out
    assert E01.instructions.strip().splitlines()[0] in invoke("show", "1", "--lang", "en").output


@pytest.mark.parametrize("exercise", catalog.exercises(), ids=lambda e: e.name)
def test_the_hint_with_the_code_is_announced_before_it_is_shown(project, exercise):
    """Hints go from the idea to the code; the one that shows the code says so, and so does the hint before."""
    code = [i for i, h in enumerate(exercise.hints, 1) if h.get("shows_code")]
    assert code == [len(exercise.hints)], f"{exercise.name}: the last hint, and only it, shows the code"
    for i in range(1, len(exercise.hints) + 1):
        out = invoke("hint", str(exercise.number), "--lang", "en").output
        assert (f"Hint {i}/" in out) and (("This hint shows the code." in out) == (i in code))
        assert ("It shows the code." in out) == (i + 1 in code)
    zh = invoke("hint", str(exercise.number), "--all", "--lang", "zh").output
    assert zh.count("这条提示会给出代码。") == 1


def test_hint_language_from_the_option_and_from_the_locale(project):
    zh_instruction = E01.instructions_zh.strip().splitlines()[0]
    assert zh_instruction in invoke("show", "1", "--lang", "zh").output
    zh = invoke("hint", "1", "--lang", "zh").output
    assert E01.hints[0]["zh"][:10] in zh
    # Chinese text takes full-width colons, English half-width ones
    assert "练习 01：" in zh and "提示 1/" in zh and not any(w in zh for w in ("练习 01: ", "提示 1/4: ", "文件: "))
    locale_zh = {"LANG": "zh_CN.UTF-8", "LC_ALL": None, "LC_MESSAGES": None}
    assert zh_instruction in invoke("show", "1", env=locale_zh).output
    locale_en = {"LANG": "en_US.UTF-8", "LC_ALL": None, "LC_MESSAGES": None}
    assert E01.instructions.strip().splitlines()[0] in invoke("show", "1", env=locale_en).output
    bad = invoke("hint", "1", "--lang", "fr")
    assert bad.exit_code == 2 and "use en or zh" in bad.output


def test_the_language_setting_persists_and_the_environment_overrides_it(project):
    assert invoke("config", "lang", "zh").exit_code == 0
    assert json.loads((project / ".kata-settings.json").read_text(encoding="utf-8")) == {"lang": "zh"}
    assert "练习 01：" in invoke("show", "1").output  # no --lang, an English locale: the saved setting
    assert "Exercise 01: " in invoke("show", "1", env={"BERT_KATA_LANG": "en"}).output
    assert "Exercise 01: " in invoke("show", "1", "--lang", "en").output
    assert "lang = zh" in invoke("config", "lang").output
    assert invoke("config", "lang", "auto").exit_code == 0
    assert "Exercise 01: " in invoke("show", "1").output
    assert "练习 01：" in invoke("show", "1", env={"LANG": "zh_CN.UTF-8"}).output
    bad = invoke("config", "lang", "fr")
    assert bad.exit_code == 2 and "en, zh or auto" in bad.output
    assert invoke("config", "colour", "on").exit_code == 2


def test_every_command_takes_lang():
    import typer.main

    group = typer.main.get_command(app)
    names = []
    for name, command in group.commands.items():
        subs = getattr(command, "commands", None)
        if name == "dev":  # authoring the kata, for its maintainers: English
            continue
        for cmd in [command] if subs is None else [command, *subs.values()]:
            if cmd.name in ("config", "download"):  # config sets the language; download prints one line
                continue
            names.append(cmd.name)
            assert any("--lang" in p.opts for p in cmd.params), f"`bert-kata {cmd.name}` has no --lang"
    assert {"check", "watch", "list", "show", "hint", "reset", "solution", "compare", "grade"} <= set(names)


def _columns(out: str) -> dict[str, list[str]]:
    """Each row's cells of a rich table, the lines of a wrapped cell joined without spaces."""
    rows: dict[str, list[str]] = {}
    current = None
    for line in out.splitlines():
        if not line.startswith("│"):
            continue
        cells = [c.strip() for c in line.strip("│").split("│")]
        if cells[0]:
            current = cells[0]
            rows[current] = ["" for _ in cells]
        if current is not None:
            rows[current] = [a + "".join(c.split()) for a, c in zip(rows[current], cells)]
    return rows


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("columns", ["80", "130"])
def test_list_shows_every_character_of_every_row(project, lang, columns):
    """Chinese has no spaces to wrap at: a cell folds onto the next line instead of losing characters."""
    rows = _columns(invoke("list", "--lang", lang, env={"COLUMNS": columns}).output)
    for e in catalog.exercises():
        cells = rows[f"{e.number:02d}"]
        for text in (e.title_zh if lang == "zh" else e.title, e.teaches_zh if lang == "zh" else e.teaches):
            assert "".join(text.split()) in cells, (e.name, text, cells)
        assert "…" not in "".join(cells)


def test_solution_asks_first_until_the_exercise_is_done(project):
    e03 = catalog.by_number(3)
    alternatives = sorted((project / "alternatives" / e03.name).glob("*.py"))
    assert alternatives
    refused = invoke("solution", "3", "--lang", "en")  # not a terminal, nothing recorded as done
    assert refused.exit_code == 1 and "not done yet" in refused.output and "def encode" not in refused.output
    asked = invoke("solution", "3", "--lang", "en", env={}, input="n\n")
    assert "def encode" not in asked.output
    anyway = invoke("solution", "3", "--yes", "--lang", "en").output
    assert "def encode" in anyway
    path = project / "exercises" / f"{e03.name}.py"
    path.write_text((project / "solutions" / f"{e03.name}.py").read_text(encoding="utf-8"), encoding="utf-8")
    status.record(project, [ExerciseResult(e03, [Outcome("t::a", "passed")])], {e03.name: status.digest(path)})
    for lang in ("en", "zh"):
        out = invoke("solution", "3", "--lang", lang)
        assert out.exit_code == 0 and "def encode" in out.output
        for alt in alternatives:
            assert f"alternatives/{e03.name}/{alt.name}" in out.output
            teaches = [ln.strip() for ln in alt.read_text(encoding="utf-8").split('"""')[1].splitlines() if ln.strip()]
            zh = [ln for ln in teaches if re.search(r"[\u4e00-\u9fff]", ln)]
            line = (zh if lang == "zh" else [ln for ln in teaches if ln not in zh])[0]
            assert line in " ".join(out.output.split()), (alt.name, line)


def test_learner_state_files_are_gitignored():
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    for name in (".kata-hints.json", ".kata-status.json", ".kata-settings.json",
                 ".kata-backups/e01_pad_batch.20250101-120000.py"):
        proc = subprocess.run(["git", "check-ignore", "-q", "--no-index", name], cwd=ROOT)
        assert proc.returncode == 0, f"{name} is not ignored by .gitignore"


DOC_TERM = re.compile(
    r"[A-Za-z_]\w*\.[A-Za-z_]\w*"  # a dotted API name: torch.no_grad, Encoding.offsets, nn.Module.eval
    r"|\b[a-z_]+=\S"  # a documented keyword argument: padding=True, return_tensors="pt"
    r"|\b(?:input_ids|token_type_ids|attention_mask|last_hidden_state|pooler_output|word_ids|offsets|"
    r"requires_grad_?|pad_token_id|BatchEncoding|BertModel)\b")


@pytest.mark.parametrize("exercise", catalog.exercises(), ids=lambda e: e.name)
def test_every_hint_names_a_documentation_term(exercise):
    """A hint points at something to look up in the transformers, tokenizers or PyTorch docs."""
    assert exercise.hints, f"{exercise.name} has no hints"
    for i, h in enumerate(exercise.hints, 1):
        assert {"en", "zh"} <= set(h) <= {"en", "zh", "shows_code"}, f"{exercise.name} hint {i} needs en and zh"
        for lang in ("en", "zh"):
            assert DOC_TERM.search(h[lang]), f"{exercise.name} hint {i} ({lang}) names no API term: {h[lang]!r}"


def test_catalog_has_instructions_in_both_languages():
    data = tomllib.loads((ROOT / "bertkata" / "catalog.toml").read_text(encoding="utf-8"))
    for e in data["exercise"]:
        assert e["instructions"].strip() and e["instructions_zh"].strip(), e["name"]


# ---------------------------------------------------------------- reset


def test_reset_backs_up_the_learners_file_byte_for_byte(project):
    target = project / "exercises" / f"{E01.name}.py"
    mine = "def tokenize_batch(tokenizer, sentences):\r\n    return 42  # 我的答案\r\n".encode("utf-8") + b"\xff\xfe\n"
    target.write_bytes(mine)
    result = invoke("reset", "1", "--yes")
    assert result.exit_code == 0, result.output
    named = re.search(r"Saved your file to (\S+)", result.output)
    assert named, result.output
    backup = project / named.group(1)
    assert backup.parent == project / ".kata-backups"
    assert backup.read_bytes() == mine
    assert target.read_text(encoding="utf-8") == stub_for(project, E01.name, E01.number)
    assert not [p for p in target.parent.iterdir() if p.name.endswith(".tmp")]
    again = invoke("reset", "1", "--yes")
    assert "already the stub" in again.output and len(list(backup.parent.iterdir())) == 1


def test_reset_never_loses_work(project):
    target = project / "exercises" / f"{E01.name}.py"
    target.write_bytes(b"my work\n")
    refused = invoke("reset", "1")  # not a terminal, no --yes: it must not guess
    assert refused.exit_code == 2 and "--yes" in refused.output
    assert target.read_bytes() == b"my work\n"
    (project / ".kata-backups").write_text("a file where the backup folder should be")
    failed = invoke("reset", "1", "--yes")
    assert failed.exit_code != 0 and "left as it is" in failed.output
    assert target.read_bytes() == b"my work\n"


def test_two_resets_in_one_second_keep_both_backups(project):
    target = project / "exercises" / f"{E01.name}.py"
    for text in (b"first try\n", b"second try\n"):
        target.write_bytes(text)
        assert invoke("reset", "1", "--yes").exit_code == 0
    kept = sorted(p.read_bytes() for p in (project / ".kata-backups").iterdir())
    assert kept == [b"first try\n", b"second try\n"]


# ---------------------------------------------------------------- check


def test_check_json_parses_and_its_result_is_remembered_for_list(project):
    """One real run: exercise 01 solved in the learner's folder."""
    shutil.copy2(project / "solutions" / f"{E01.name}.py", project / "exercises" / f"{E01.name}.py")
    proc = subprocess.run([sys.executable, "-m", "bertkata", "check", "1", "--json"], cwd=project,
                          env=child_env(project), capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    data = json.loads(proc.stdout)
    [ex] = data["exercises"]
    assert ex["name"] == E01.name and ex["status"] == DONE and ex["passed"] == ex["total"] > 0
    assert ex["first_failure"] is None
    recorded = json.loads((project / ".kata-status.json").read_text(encoding="utf-8"))
    assert recorded[E01.name]["sha256"] == status.digest(project / "exercises" / f"{E01.name}.py")
    assert f"done ({ex['passed']}/{ex['total']})" in invoke("list").output


def test_check_takes_several_numbers_once_each_in_order(project, monkeypatch):
    from bertkata import cli

    asked = []
    monkeypatch.setattr(cli, "run_check", lambda exercises, *a: asked.append([e.number for e in exercises]) or 0)
    assert invoke("check", "8", "10", "8").exit_code == 0
    assert asked == [[8, 10]]
    result = invoke("check", "8", "99")
    assert result.exit_code != 0 and "there is no exercise 99" in result.output and asked == [[8, 10]]


CANNED = """
import sys
from bertkata import catalog, forked, source
from bertkata.runner import ExerciseResult, TestOutcome as Outcome
source.resolve = lambda *a, **k: None
def run(exercises, impl_dir, **kw):
    return [ExerciseResult(e, [Outcome("t::ok", "passed"), Outcome("t::bad", "failed", "it is wrong")])
            for e in exercises]
forked.run_exercises = run
forked.warm_parent = lambda *a, **k: None
from bertkata.cli import app
sys.argv = ["bert-kata", "check", "1"]
app()
"""

SGR = re.compile(r"\x1b\[([0-9;]*)m")


def has_colour(text: str) -> bool:
    for params in SGR.findall(text):
        codes = [int(c) for c in params.split(";") if c]
        if any(30 <= c <= 38 or 40 <= c <= 48 or 90 <= c <= 97 or 100 <= c <= 107 for c in codes):
            return True
    return False


def run_in_terminal(code: str, env: dict) -> str:
    """Run python code with its output on a pseudo-terminal; return what it printed."""
    import pty

    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=slave, stderr=slave, env=env)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 4096)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=60)
    os.close(master)
    return b"".join(chunks).decode("utf-8", "replace")


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_check_colours_a_terminal_but_not_with_no_color(project):
    env = {**child_env(project), "TERM": "xterm-256color"}
    env.pop("FORCE_COLOR", None)
    coloured = run_in_terminal(CANNED, env)
    assert "1/2" in coloured and has_colour(coloured), "a terminal should get colour (else this test proves nothing)"
    plain = run_in_terminal(CANNED, {**env, "NO_COLOR": "1"})
    assert "1/2" in plain and not has_colour(plain)


def test_check_has_no_escape_codes_when_output_is_not_a_terminal(project):
    env = {**child_env(project), "TERM": "xterm-256color"}
    env.pop("FORCE_COLOR", None)
    proc = subprocess.run([sys.executable, "-c", CANNED], env=env, capture_output=True, text=True)
    assert "1/2" in proc.stdout and "in progress" in proc.stdout
    assert "\x1b[" not in proc.stdout


# ---------------------------------------------------------------- watch


def fake_run(outcomes_by_name, calls):
    def run(exercises, impl_dir, **kw):
        calls.extend(e.name for e in exercises)
        return [ExerciseResult(e, outcomes_by_name[e.name]) for e in exercises]
    return run


# ---------------------------------------------------------------- an incomplete copy of the kata


@pytest.mark.parametrize("command", [("check",), ("check", "3"), ("watch",), ("grade", "exercises"),
                                     ("compare", "exercises")], ids=" ".join)
def test_a_missing_test_file_is_an_error_saying_what_to_do(project, command):
    """Every exercise ships with its tests (`bert-kata dev check`): one missing is a broken copy of the
    kata, said plainly with what to do, never skipped in silence."""
    (project / "tests" / "test_e03_model_forward.py").unlink()
    result = invoke(*command)
    assert result.exit_code == 2, result.output
    text = " ".join(result.output.split())
    assert "this copy of the kata is incomplete: tests/test_e03_model_forward.py is missing" in text, text
    assert "`git status` shows what was deleted" in text and "download or clone the kata again" in text, text


def test_a_missing_test_file_is_explained_in_chinese(project):
    (project / "tests" / "test_e03_model_forward.py").unlink()
    result = invoke("check", "--lang", "zh")
    assert result.exit_code == 2, result.output
    text = "".join(result.output.split())
    assert "这份练习不完整：缺少tests/test_e03_model_forward.py" in text and "`gitstatus`会显示删掉了什么" in text, text


def test_watch_starts_at_the_first_exercise_not_done_and_moves_on(project, monkeypatch):
    from bertkata import watch

    passed = [Outcome("t::a", "passed")]
    failing = [Outcome("t::a", "passed"), Outcome("t::b", "failed", "expected [CLS] at position 0")]
    calls = []
    monkeypatch.setattr(watch, "run_exercises", fake_run({E01.name: passed, E02.name: failing}, calls))
    (project / "exercises" / f"{E01.name}.py").write_text("# solved\n", encoding="utf-8")
    (project / "exercises" / f"{E02.name}.py").write_text("# trying\n", encoding="utf-8")
    out = StringIO()
    w = watch.Watcher(root=project, out=Console(file=out, width=200), prewarm=False)
    assert w.settle(0) == E02
    assert calls == [E01.name, E02.name]
    text = out.getvalue()
    assert "01 Pad a batch: done, 1/1 tests pass" in text
    assert "02 Index encodings: in progress, 1/2 tests pass" in text and "expected [CLS] at position 0" in text
    # 01 is recorded as done: the next start skips it without running it
    calls.clear()
    assert watch.Watcher(root=project, out=Console(file=StringIO()), prewarm=False).settle(0) == E02
    assert calls == [E02.name]


def test_watch_goes_back_to_an_exercise_skipped_earlier(project, monkeypatch):
    """Done with the last exercise, watch goes round to the first one not done, not to "all done"."""
    from bertkata import watch

    last = list(catalog.exercises())[-1]
    calls = []
    passed = [Outcome("t::a", "passed")]
    monkeypatch.setattr(watch, "run_exercises", fake_run({last.name: passed}, calls))
    (project / "exercises" / f"{last.name}.py").write_text("# solved\n", encoding="utf-8")
    out = StringIO()
    w = watch.Watcher(root=project, out=Console(file=out, width=200), prewarm=False)
    assert w.settle(len(w.exercises) - 1, run_first=True) == E01
    assert calls == [last.name] and "Exercise 01: Pad a batch" in out.getvalue()


def test_watch_shows_what_stopped_a_run_after_a_failure_already_shown(project):
    from bertkata import watch

    result = ExerciseResult(E01, [Outcome("t::a", "failed", "expected [CLS] at position 0"),
                                  Outcome("t::b", "failed", "this test used more than 10 s", "timed out")], 5)
    out = StringIO()
    watch.Watcher(root=project, out=Console(file=out, width=200), prewarm=False).show(result, 12.0, failure_shown=True)
    text = out.getvalue()
    assert "this test used more than 10 s" in text and "timed out, 0/5 tests pass before the run stopped" in text


def test_check_shows_a_mistake_before_the_next_exercise(project):
    from bertkata.cli import report

    results = [ExerciseResult(E01, [Outcome("t::a", "passed")]),
               ExerciseResult(E02, [Outcome("t::a", "failed", "still the stub", "stub")]),
               ExerciseResult(catalog.by_number(3), [Outcome("t::a", "failed", "arrived in eval mode and left in train mode")])]
    out = StringIO()
    report(results, project / "exercises", Console(file=out, width=200))
    text = out.getvalue()
    assert "left in train mode" in text and "Next: exercise 02" not in text


def test_a_misspelt_import_gets_advice_about_the_name(tmp_path):
    from bertkata.impl import ImplError, load

    (tmp_path / "e01_pad_batch.py").write_text("import numpyy\n", encoding="utf-8")
    with pytest.raises(ImplError) as info:
        load(tmp_path, "e01_pad_batch", fresh=True)
    assert "No module named 'numpyy'" in str(info.value) and "check the name" in str(info.value)
    assert "move it into a function" not in str(info.value)


def test_watch_introduces_a_stub_without_running_it(project, monkeypatch):
    from bertkata import watch

    calls = []
    monkeypatch.setattr(watch, "run_exercises", fake_run({}, calls))
    out = StringIO()
    w = watch.Watcher(root=project, out=Console(file=out, width=200), prewarm=False)
    assert w.settle(0) == E01 and calls == []
    assert "Exercise 01: Pad a batch" in out.getvalue() and E01.instructions.strip()[:40] in out.getvalue()


def test_watch_reruns_on_save_survives_a_syntax_error_and_stops_on_ctrl_c(project):
    target = project / "exercises" / f"{E01.name}.py"
    right = (project / "solutions" / f"{E01.name}.py").read_text(encoding="utf-8")
    wrong = right.replace('return_tensors="pt")', 'return_tensors="np")')  # same size, different code
    assert wrong != right and len(wrong) == len(right)
    # A bytecode cache of the right answer, stamped with the wrong answer's size and mtime:
    # watch must run the file as it is now, not the cached code.
    target.write_text(right, encoding="utf-8")
    py_compile.compile(str(target), cfile=None, doraise=True)
    mtime = target.stat().st_mtime_ns
    target.write_text(wrong, encoding="utf-8")
    os.utime(target, ns=(mtime, mtime))

    w = WatchProcess(project, "1", "--only")
    try:
        first = w.until(r"^01 Pad a batch: ")
        assert "in progress" in first, first
        w.until(r"Watching exercises/e01_pad_batch.py")

        target.write_text(right.replace("    longest = max(", "    longest = max((", 1), encoding="utf-8")
        w.until(r"syntax error")
        assert "cannot import" in w.until(r"^01 Pad a batch: ")
        w.until(r"Watching exercises/e01_pad_batch.py")

        target.write_text(right, encoding="utf-8")
        done = w.until(r"^01 Pad a batch: ")
        assert re.search(r"done, (\d+)/\1 tests pass", done), done
        w.until(r"Watching")
    finally:
        w.proc.send_signal(signal.SIGINT)
        code = w.proc.wait(timeout=30)
    rest = []
    while not w.lines.empty():
        line = w.lines.get()
        if line is not None:
            rest.append(line)
    output = "\n".join(w.seen + rest)
    assert code in (0, 130), output
    assert "Traceback" not in output and "Stopped watching." in output


def test_the_docs_are_a_run_of_this_version():
    """docs/*.txt come from `python docs/generate.py`: today's test counts, no path of the machine that ran it.
    `check` counts the tests that run here: a `pretrained` test is skipped on the replica."""
    from bertkata.source import resolve

    skipped = [] if resolve().pretrained else ["-m", "not pretrained"]
    proc = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", *skipped,
                           *(e.test_file for e in catalog.exercises())], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "HF_HUB_OFFLINE": "1"})
    counts = {e.number: sum(line.startswith(e.test_file + "::") for line in proc.stdout.splitlines())
              for e in catalog.exercises()}
    assert all(counts.values()), proc.stdout[-2000:]
    for name in ("check.txt", "check.zh.txt", "watch.txt", "watch.zh.txt"):
        text = (ROOT / "docs" / name).read_text(encoding="utf-8")
        assert not re.search(r"(^|\s)/(tmp|home|root|work|Users|var)/", text), f"docs/{name} shows a machine's path"
        if name.startswith("check"):
            totals = {int(n): int(t) for n, t in re.findall(r"│\s*(\d\d) │.*?│\s*\d+/(\d+) │", text)}
            assert totals == counts, f"docs/{name} shows {totals} tests, the tests are {counts}: run docs/generate.py"


def test_watch_moving_on_shows_the_other_correct_ways_and_what_each_teaches(project):
    from bertkata.watch import Watcher

    for lang, done in (("en", "Exercise 01 done."), ("zh", "练习 01 完成。")):
        out = StringIO()
        Watcher(root=project, out=Console(file=out, width=200), lang=lang).show_solutions(E01)
        text = out.getvalue()
        assert done in text and "`bert-kata solution 1`" in text and f"solutions/{E01.name}.py" in text
        ways = catalog.alternatives(project, E01, lang)
        assert len(ways) >= 3 and all(p.name in text and teaches and teaches in text for p, teaches in ways)
