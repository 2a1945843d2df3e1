"""``bert-kata watch``: re-run the current exercise's tests each time its file is saved.

This process stays warm and never runs the learner's code: torch, transformers
and the tokenizer are loaded once at start, ``BertModel`` (when this or a later
exercise needs it) in the background while the learner edits, all into the
process's warm state (:mod:`bertkata.shared`). Each save forks a child from it
that runs the tests (:func:`bertkata.forked.run_exercises`), so a run costs
about what its tests cost. The first real failure is shown as soon as it
happens; the counts follow when the run ends. A save during a run kills that
run and starts a fresh one. A syntax error is shown without running anything.
An endless loop (10 s of processor time per test), ``os._exit``, a crash or a memory hog ends
only its run, and is shown like any other result.

The current exercise is the first one that is not done (or the one given on
the command line). When it is done, watching moves on to the next one.

``bert-kata watch`` 监视当前练习的文件，每次保存都从已预热的进程分出一个子进程重新运行它的测试；
第一个真正的失败一出现就显示；运行中再次保存会立即重新开始；完成后自动进入下一个练习。
"""

from __future__ import annotations

import importlib.util
import os
import signal
import threading
import time
from pathlib import Path
from typing import Callable

from rich.console import Console
from rich.markup import escape

from bertkata import catalog, status
from bertkata.catalog import Exercise
from bertkata.forked import LEARNER_PROFILE, learner_limits, run_exercises, warm_parent
from bertkata.impl import project_root, syntax_error
from bertkata.runner import BROKEN, DONE, ExerciseResult, RunError, TestOutcome

_AGAIN = object()  # the file was saved again during a run

FAILURE_LINES = 20  # of the first failure's message; check shows the rest
MAX_RESTARTS = 5  # saves in a row during one run that start it over


class Watcher:
    """Watch ``root/exercises`` and re-run the current exercise on each save.

    ``on_result(exercise, result, seconds)`` is called after every run (tools,
    benchmarks); ``only`` keeps watching one exercise instead of moving on.
    """

    def __init__(self, root: Path | None = None, out: Console | None = None, lang: str = "en",
                 only: bool = False, prewarm: bool = True,
                 on_result: Callable[[Exercise, ExerciseResult, float], None] | None = None):
        self.root = root or project_root()
        self.folder = self.root / "exercises"
        self.out = out or Console(highlight=False)
        self.lang = lang
        self.only = only
        self.prewarm = prewarm
        self.on_result = on_result
        self.exercises = list(catalog.exercises())
        self.current: Exercise | None = None
        self.interrupted = False
        self._model_thread: threading.Thread | None = None
        self._seen: dict[str, str | None] = {}  # sha256 of each file as last run or introduced
        self.first_failure_seconds: float | None = None  # of the last run, when it had a real failure

    # ------------------------------------------------------------ warm-up

    def warm_up(self) -> None:
        """Load once what every run needs: torch, transformers, the tokenizer."""
        t0 = time.perf_counter()
        self.out.print(f"[dim]{self.say('Loading torch, transformers and the tokenizer (once) ...', '正在加载 torch、transformers 和分词器（只加载一次）……')}[/dim]")
        warm_parent(model=False)
        self.out.print(f"[dim]{self.say('Ready in {s:.1f} s.', '{s:.1f} 秒后就绪。').format(s=time.perf_counter() - t0)}[/dim]")

    def start_loading_model(self) -> None:
        """Load BertModel in a background thread if this or a later exercise needs it.

        Called only while the main thread waits for a save; every run first waits for
        the thread to finish (:meth:`_wait_for_model`): a child forked while another
        thread holds a lock (an import, torch's allocator) could never take it.
        """
        if not self.prewarm or self._model_thread is not None or self.current is None:
            return
        remaining = [self.current] if self.only else self.exercises[self.exercises.index(self.current):]
        if any(e.needs_model for e in remaining):
            self._model_thread = threading.Thread(target=self._load_model_quietly, name="kata-model", daemon=True)
            self._model_thread.start()

    @staticmethod
    def _load_model_quietly() -> None:
        from bertkata import shared

        try:
            shared.model()
        except Exception:  # the model fixture loads it (and reports any problem) when a test needs it
            pass

    def _wait_for_model(self) -> None:
        if self._model_thread is not None and self._model_thread.is_alive():
            self.out.print(f"[dim]{self.say('Waiting for BertModel to finish loading (once) ...', '等待 BertModel 加载完成（只加载一次）……')}[/dim]")
            self._model_thread.join()

    # ------------------------------------------------------------ running

    def file_of(self, exercise: Exercise) -> Path:
        return self.folder / f"{exercise.name}.py"

    def shown(self, exercise: Exercise) -> str:
        from bertkata.cli import shown

        return escape(shown(self.file_of(exercise)))

    def run_once(self, exercise: Exercise) -> ExerciseResult | None:
        """Run the exercise's tests against the learner's file and show the result; a save
        during the run starts it over."""
        self._wait_for_model()  # never fork while the model loads (see start_loading_model)
        for restart in range(MAX_RESTARTS + 1):
            # a file that keeps changing while it runs (code that writes to it) still gets a result
            result = self._run(exercise, cancellable=restart < MAX_RESTARTS)
            if result is not _AGAIN:
                return result
            self.out.print(f"[dim]{self.say('Saved again: starting over.', '文件又保存了：重新开始。')}[/dim]")
        return None

    def _run(self, exercise: Exercise, cancellable: bool = True):
        path = self.file_of(exercise)
        # The learner may save twice within one second with the same size; Python's
        # bytecode cache would then hand back the old code, so never use it here.
        try:
            Path(importlib.util.cache_from_source(str(path))).unlink(missing_ok=True)
        except OSError:
            pass
        digest = self._seen[exercise.name] = status.digest(path)
        t0 = time.perf_counter()
        self.first_failure_seconds = None
        broken = syntax_error(self.folder, exercise.name)
        if broken is not None:  # shown without forking or running anything
            result = ExerciseResult(exercise, [TestOutcome(f"{exercise.test_file}::(import)", "error",
                                                           str(broken), "broken")])
        else:
            def changed() -> bool:
                return cancellable and status.digest(path) != digest

            def on_event(_, event: dict) -> None:
                if (self.first_failure_seconds is None and event["e"] == "outcome"
                        and event["outcome"] not in ("passed", "skipped") and event.get("tag") != "stub"
                        and not changed()):  # never show a failure of text saved over
                    self.first_failure_seconds = time.perf_counter() - t0
                    self.show_failure(exercise, TestOutcome.from_event(event), self.first_failure_seconds)

            try:
                # a model exercise's tests shared by one process per core: small forward passes
                # use two cores better as two processes than as two threads of one
                shards = min(os.cpu_count() or 1, 2) if exercise.runs_a_model else 1
                results = run_exercises([exercise], self.folder, root=self.root, limits=learner_limits(shards),
                                        jobs=shards, shards=shards, profile=LEARNER_PROFILE, on_event=on_event,
                                        cancelled=changed)
            except RunError as exc:
                self.out.print(f"[red]{self.say('error: ', '错误：')}[/red]{escape(str(exc))}")
                return None
            if results is None:
                return _AGAIN
            [result] = results
        seconds = time.perf_counter() - t0
        if self.interrupted:
            raise KeyboardInterrupt
        status.record(self.root, [result], {exercise.name: digest})
        self.show(result, seconds, failure_shown=self.first_failure_seconds is not None)
        if self.on_result:
            self.on_result(exercise, result, seconds)
        return result

    def show_failure(self, e: Exercise, failure: TestOutcome, seconds: float) -> None:
        what = self.say("The file does not import", "文件无法导入") if failure.tag == "broken" \
            else self.say("First failure, {test}", "第一个失败的测试 {test}").format(test=escape(failure.name))
        self.out.print(f"{what} [dim]{self.say('({s:.1f} s)', '（{s:.1f} 秒）').format(s=seconds)}[/dim]{self.colon.strip()}")
        lines = failure.message.strip().splitlines()
        for line in lines[:FAILURE_LINES]:
            self.out.print(f"  {escape(line)}")
        if len(lines) > FAILURE_LINES:
            more = self.say("... {k} more lines: `bert-kata check {n}`", "……还有 {k} 行：`bert-kata check {n}`")
            self.out.print(f"  [dim]{more.format(k=len(lines) - FAILURE_LINES, n=e.number)}[/dim]")

    def show(self, r: ExerciseResult, seconds: float, failure_shown: bool = False) -> None:
        from bertkata.status import STYLE

        e = r.exercise
        first = r.first_failure
        # what stopped the run comes first, even after a failure already shown
        if r.status != DONE and first is not None and (not failure_shown or r.incident):
            self.show_failure(e, first, seconds)
        style = STYLE.get(r.status, "")
        state = f"[{style}]{status.word(r.status, self.lang)}[/{style}]" if style else status.word(r.status, self.lang)
        counts = "" if r.status == BROKEN else self.say(", {p}/{t} tests pass", "，{p}/{t} 个测试通过").format(
            p=r.passed, t=r.total)
        if r.incident:
            counts += self.say(" before the run stopped", "（运行中途停止前）")
        took = self.say("({s:.1f} s)", "（{s:.1f} 秒）").format(s=seconds)
        self.out.print(f"{e.number:02d} {escape(self._title(e))}{self.colon}{state}{counts} [dim]{took}[/dim]")
        if r.status != DONE and first is not None:
            self.out.print(self.stuck(e))

    def show_solutions(self, e: Exercise) -> None:
        """Done: where the reference solution and the other correct ways are, each with what it teaches."""
        done = self.say("Exercise {n:02d} done.", "练习 {n:02d} 完成。").format(n=e.number)
        self.out.print(f"[green]{done}[/green]{self.say(' ', '')}" + self.say(
            "Compare with the reference solutions/{name}.py and the other correct ways "
            "(the code: `bert-kata solution {n}`):", "对照参考答案 solutions/{name}.py 和其他正确写法"
            "（看代码：`bert-kata solution {n}`）：").format(name=e.name, n=e.number), soft_wrap=True)
        for path, teaches in catalog.alternatives(self.root, e, self.lang):
            self.out.print(f"  alternatives/{e.name}/{path.name}{self.colon}{escape(teaches)}", soft_wrap=True)

    def _title(self, e: Exercise) -> str:
        return e.title_zh if self.lang == "zh" else e.title

    def say(self, en: str, zh: str) -> str:
        """This watcher's language (the test processes it starts read BERT_KATA_LANG; see bertkata.i18n)."""
        return zh if self.lang == "zh" else en

    @property
    def colon(self) -> str:
        return "：" if self.lang == "zh" else ": "

    def stuck(self, e: Exercise) -> str:
        return self.say("Stuck? `bert-kata hint {n}`", "卡住了？运行 `bert-kata hint {n}`").format(n=e.number)

    def introduce(self, e: Exercise) -> None:
        self._seen[e.name] = status.digest(self.file_of(e))
        head = self.say("Exercise {n:02d}: {title}", "练习 {n:02d}：{title}").format(n=e.number, title=escape(self._title(e)))
        todo = self.say("— open {file} and write the functions marked TODO.", "——打开 {file}，写出标有 TODO 的函数。")
        self.out.print(f"\n[bold]{head}[/bold] {todo.format(file=self.shown(e))}", soft_wrap=True)
        text = e.instructions_zh if self.lang == "zh" else e.instructions
        for line in text.strip().splitlines():
            self.out.print(f"  {escape(line)}")
        self.out.print(f"  {self.stuck(e)}")

    def waiting(self) -> None:
        text = self.say("Watching {file}: save it to re-run its tests (Ctrl-C to stop).",
                        "正在监视 {file}：保存文件即重新运行它的测试（按 Ctrl-C 停止）。")
        self.out.print(f"[dim]{text.format(file=self.shown(self.current))}[/dim]", soft_wrap=True)

    def settle(self, start: int, run_first: bool = False) -> Exercise | None:
        """Make the first exercise from index ``start`` that is not done current, going round to
        the first exercise after the last (one skipped earlier is still to do).

        A file still equal to its stub is introduced without running anything;
        a file recorded as done and unchanged is skipped (unless it is the one
        asked for, ``run_first``); any other file is run.
        """
        data = status.load(self.root)
        for i in [*range(start, len(self.exercises)), *range(0, start)]:
            e = self.exercises[i]
            quick, _ = status.quick(self.root, e, data)
            if quick == DONE and not (run_first and i == start):
                continue
            self.current = e
            if quick == status.NOT_STARTED:
                self.introduce(e)
                return e
            text = self.say("Checking {file} as it is now ...", "正在按 {file} 现在的内容检查……")
            self.out.print(f"[dim]{text.format(file=self.shown(e))}[/dim]", soft_wrap=True)
            result = self.run_once(e)
            if result is not None and result.status == DONE and not self.only:
                continue
            return e
        self.current = None
        return None

    # ------------------------------------------------------------ the loop

    def _is_current(self, change, path: str) -> bool:
        return self.current is not None and Path(path).name == f"{self.current.name}.py"

    def loop(self, start: Exercise | None = None, stop_event: threading.Event | None = None) -> int:
        """Watch until every exercise is done (0), Ctrl-C (0) or ``stop_event`` is set (0)."""
        import watchfiles

        handler_installed = threading.current_thread() is threading.main_thread()
        if handler_installed:
            previous = signal.getsignal(signal.SIGINT)

            def interrupt(signum, frame):
                self.interrupted = True
                raise KeyboardInterrupt

            signal.signal(signal.SIGINT, interrupt)
        try:
            self.current = start or self._first_candidate()
            if self.current is None:
                return self.finished()
            if self.prewarm:
                self.warm_up()
            if self.settle(self.exercises.index(self.current), run_first=start is not None) is None:
                return self.finished()
            self.waiting()
            self.start_loading_model()
            # Events are only collected once the watcher runs, so a save made during the first
            # run is caught by comparing the file's hash whenever nothing happened for 0.5 s.
            for changes in watchfiles.watch(self.folder, watch_filter=self._is_current, stop_event=stop_event,
                                            recursive=False, raise_interrupt=True,
                                            yield_on_timeout=True, rust_timeout=500):
                e = self.current
                if status.digest(self.file_of(e)) == self._seen.get(e.name):
                    continue  # nothing new: a save already run (during a run, or the same text)
                saved = self.say("{name} saved", "{name} 已保存").format(name=escape(self.file_of(e).name))
                self.out.rule(f"[dim]{time.strftime('%H:%M:%S')} {saved}[/dim]", style="dim")
                result = self.run_once(e)
                if result is not None and result.status == DONE and not self.only:
                    self.show_solutions(e)
                    if self.settle(self.exercises.index(e) + 1) is None:
                        return self.finished()
                self.waiting()
                self.start_loading_model()  # moving on may reach the first exercise that needs it
            return 0
        except KeyboardInterrupt:
            self.out.print("\n" + self.say("Stopped watching.", "已停止监视。"))
            return 0
        finally:
            if handler_installed:
                signal.signal(signal.SIGINT, previous)

    def _first_candidate(self) -> Exercise | None:
        """Guess the exercise watching starts at, to decide what to pre-load (no tests run)."""
        data = status.load(self.root)
        for e in self.exercises:
            if status.quick(self.root, e, data)[0] != DONE:
                return e
        return None

    def finished(self) -> int:
        self.out.print("\n[green]" + self.say("Every exercise is done.", "所有练习都已完成。")
                       + "[/green] " + self.say("`bert-kata check` shows the whole table.",
                                                "`bert-kata check` 显示完整的进度表。"))
        return 0


def watch(start: int | None = None, only: bool = False, lang: str = "en", out: Console | None = None,
          root: Path | None = None, stop_event: threading.Event | None = None,
          on_result: Callable[[Exercise, ExerciseResult, float], None] | None = None) -> int:
    """Run the watch loop; returns the exit code (0). Raises :class:`bertkata.catalog.IncompleteKata` when
    an exercise's test file is missing."""
    catalog.require_tests(root or project_root(), catalog.exercises())
    watcher = Watcher(root=root, out=out, lang=lang, only=only, on_result=on_result)
    exercise = catalog.by_number(start) if start is not None else None
    return watcher.loop(exercise, stop_event)
