"""Run learners' code in children forked from this warm process.

``check``, ``watch`` and ``compare`` keep torch, transformers, pytest, the
tokenizer and the model loaded in one warm parent (:mod:`bertkata.shared`) that
never imports a learner's module. Each run forks a child from it. The child
starts warm, sets hard limits (memory, file size, core dumps), runs the tests
in-process (:func:`bertkata.runner.run`, or any other work) and sends what
happens back as JSON lines over a pipe. The parent rebuilds the results from
those lines alone.

An endless loop, ``sys.exit`` or ``os._exit``, a segfault or a memory hog ends
only that child; the parent reports it for the test it was running. Whatever a
child changes (the model, the tokenizer, torch's settings) dies with it, so
nothing carries from one run to the next.

The time limit is pytest-timeout's, inside the child (see
:func:`bertkata.plugin.pytest_timeout_set_timer`): a test past it fails with a
message and stops that run. The parent kills a child only when it has said
nothing for the wall limit plus a grace period (learner code that blocks signals).
"""

from __future__ import annotations

import json
import os
import resource
import selectors
import signal
import sys
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator, NoReturn

from bertkata.i18n import say
from bertkata.runner import (CRASHED, ERROR, EXITS, KILLED, TIMED_OUT, ExerciseResult, RunError, TestOutcome,
                             run, wall_limit)

FILE_LIMIT = 256 * 2**20  # a learner printing forever fills no disk
PIPE_FD = 997  # the result pipe, far from the descriptors learner code opens or writes by mistake
HARNESS_FAILED = 70  # the child's exit code when the run itself broke
GRACE = 5.0  # seconds past the wall limit before the parent kills a silent child
RUN_WALLS = 20  # a whole run may take this many wall limits, whatever it reports
LEARNER_TIMEOUT = 10.0  # processor seconds per test in check and watch


@dataclass(frozen=True)
class Limits:
    """``timeout``: processor seconds per test (see bertkata.plugin.pytest_timeout_set_timer), which
    also sets the wall limit (:func:`bertkata.runner.wall_limit`); ``memory_mb``: address space a child
    may add to what it had at fork; ``threads``: torch threads in the child."""

    timeout: float = 120.0
    memory_mb: int = 4096
    threads: int = 1
    file_bytes: int = FILE_LIMIT

    @property
    def wall(self) -> float:
        return wall_limit(self.timeout)


def prepare_parent() -> None:
    """Call before torch does any work in the parent: children fork safely only from a parent
    whose OpenMP pool never started (a child forked after a parallel region hangs), and the
    tokenizer's Rust thread pool must not be running either."""
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    os.environ["TOKENIZERS_PARALLELISM"] = "false"
    _become_subreaper()
    import torch

    torch.set_num_threads(1)


def _become_subreaper() -> None:
    """Processes learner code starts and abandons (``os.fork`` then ``os.setsid``) become this
    process's children instead of init's, so :func:`kill_strays` can end them (Linux only)."""
    global _SUBREAPER
    try:
        import ctypes

        _SUBREAPER = ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0) == 0  # PR_SET_CHILD_SUBREAPER
    except (OSError, AttributeError):
        pass


# ---------------------------------------------------------------- the child's side

_STREAM: Callable[[dict], None] | None = None
_SUBREAPER = False  # this process adopts what its children's code leaves running


def send(event: dict) -> None:
    """In a child: send one event to the parent (elsewhere: nothing)."""
    if _STREAM is not None:
        _STREAM(event)


def in_child() -> bool:
    """Whether this process is a child running learner code (where SIGINT is ignored, so a
    KeyboardInterrupt can only come from that code)."""
    return _STREAM is not None or _LEARNER_PROCESS


_LEARNER_PROCESS = False


def learner_process() -> None:
    """Mark this process as one that runs learner code and reports over a channel of its own
    (the sandboxed worker, :mod:`bertkata.worker`)."""
    global _LEARNER_PROCESS
    _LEARNER_PROCESS = True


def _emitter(fd: int) -> Callable[[dict], None]:
    def emit(event: dict) -> None:
        # ASCII escapes: a path that is not UTF-8 (surrogates) still makes a line
        data = (json.dumps(event, default=str) + "\n").encode()
        while data:
            data = data[os.write(fd, data):]
    return emit


def _vm_size() -> int | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def _limit(which: int, value: int) -> None:
    """Soft and hard limit both: the learner's code cannot raise it again."""
    _, hard = resource.getrlimit(which)
    if hard != resource.RLIM_INFINITY:
        value = min(value, hard)
    resource.setrlimit(which, (value, value))


def _child(write_fd: int, work: Callable[[], None], limits: Limits, log: Path | None,
           close_fds: list[int]) -> NoReturn:
    global _STREAM
    code = HARNESS_FAILED
    try:
        os.setpgid(0, 0)  # the parent kills the whole group, with anything the learner started
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        for fd in close_fds:
            os.close(fd)
        null = os.open(os.devnull, os.O_RDWR)
        err = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600) if log else null
        os.dup2(null, 0), os.dup2(null, 1), os.dup2(err, 2)
        sys.stdout = open(1, "w", encoding="utf-8", errors="replace", closefd=False)
        sys.stderr = open(2, "w", encoding="utf-8", errors="replace", closefd=False, buffering=1)
        try:
            os.dup2(write_fd, PIPE_FD)
            os.close(write_fd)
            write_fd = PIPE_FD
        except OSError:
            pass
        _STREAM = _emitter(write_fd)
        vm = _vm_size()
        if vm is not None:
            _limit(resource.RLIMIT_AS, vm + limits.memory_mb * 2**20)
        _limit(resource.RLIMIT_FSIZE, limits.file_bytes)
        _limit(resource.RLIMIT_CORE, 0)
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a too-big write fails with an error instead
        sys.dont_write_bytecode = True  # nothing written next to the modules or the tests
        import torch

        torch.set_num_threads(limits.threads)
        work()
        send({"e": "end"})
        code = 0
    except BaseException:  # report what broke the run itself, then leave
        try:
            send({"e": "error", "message": traceback.format_exc()[-4000:]})
        except BaseException:
            pass
    finally:
        os._exit(code)


# ---------------------------------------------------------------- the parent's side


@dataclass
class Child:
    """A running child as the parent sees it, rebuilt from its events."""

    pid: int
    fd: int
    limits: Limits
    log: Path | None = None
    tag: object = None  # the caller's
    buffer: bytes = b""
    deadline: float = 0.0
    exercise: str | None = None  # the exercise it is on
    test: str | None = None  # the test it is running
    collected: int = 0
    outcomes: dict[str, TestOutcome] = field(default_factory=dict)
    ended: bool = False
    error: str | None = None
    killed: str | None = None
    kill_deadline: float = 0.0
    status: int | None = None  # its exit status, once ended and reaped
    hard_deadline: float = float("inf")  # no event extends the run past this

    def feed(self, data: bytes) -> Iterator[dict]:
        """Take bytes from the pipe; yields each complete event right after noting it, so the caller
        sees the child's state as it was at that event."""
        self.buffer += data
        *lines, self.buffer = self.buffer.split(b"\n")
        for line in lines:
            try:
                event = json.loads(line[max(0, line.rfind(b'{"e": ')):])  # stray bytes written in front
                kind = event["e"]
            except (ValueError, KeyError, TypeError):
                continue  # a learner writing to the pipe's descriptor garbles a line; skip it
            self.deadline = min(time.monotonic() + self.limits.wall + GRACE, self.hard_deadline)
            if kind == "exercise":
                self.exercise, self.test, self.collected, self.outcomes = event["name"], None, 0, {}
            elif kind == "collected":
                self.collected = int(event["count"])
            elif kind == "test":
                self.test = event["nodeid"]
            elif kind == "outcome":
                self.outcomes[event["nodeid"]] = TestOutcome.from_event(event)
                self.test = None
            elif kind == "end":
                self.ended = True
            elif kind == "error":
                self.error = str(event.get("message", ""))
            yield event

    def where(self) -> str:
        if self.test:
            return say(f"test {self.test.split('::', 1)[-1]}", f"测试 {self.test.split('::', 1)[-1]}")
        if not self.outcomes:
            return say("importing the module or collecting the tests", "导入模块或收集测试时")
        return say("between tests", "两个测试之间")

    def died(self, status: int, where: str | None = None) -> tuple[str, str]:
        """The incident (one of runner.INCIDENTS) and a sentence for a child that ended early."""
        where = where or self.where()
        if self.killed == "timeout":
            return TIMED_OUT, say(f"{where} ran longer than {self.limits.wall:g} s and did not stop when asked: "
                                  "is there an endless loop in your code?",
                                  f"运行了超过 {self.limits.wall:g} 秒，要求停止时也没有停下（发生于{where}）："
                                  "你的代码里是否有死循环？")
        if self.killed == "run":
            return TIMED_OUT, say(f"the run was still going after {RUN_WALLS * self.limits.wall:g} s, during {where}: "
                                  "is there an endless loop in your code?",
                                  f"运行 {RUN_WALLS * self.limits.wall:g} 秒后仍未结束（卡在{where}）："
                                  "你的代码里是否有死循环？")
        if self.error:
            return ERROR, say(f"the test run itself failed during {where}:\n{self.error}",
                              f"测试运行本身出错了，发生于{where}：\n{self.error}")
        return ended(status, where, self._log_tail)

    def _log_tail(self, lines: int = 6) -> str:
        if self.log is None:
            return ""
        try:
            text = self.log.read_bytes()[-4000:].decode("utf-8", "replace")
        except OSError:
            return ""
        return "\n".join([ln for ln in text.splitlines() if ln.strip()][-lines:])


def ended(status: int, where: str, log_tail: Callable[[], str] = lambda: "") -> tuple[str, str]:
    """The incident (one of runner.INCIDENTS) and a sentence for a learner's process that ended with
    wait status ``status`` during ``where``."""
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        name = signal.Signals(sig).name if sig in signal.Signals._value2member_map_ else f"signal {sig}"
        if sig == signal.SIGKILL:
            return KILLED, say(f"the process was killed (SIGKILL) during {where}: by the system's out-of-memory "
                               "killer, or by another program",
                               f"进程被强行终止（SIGKILL），发生于{where}：可能是系统的内存不足终止机制"
                               "（OOM killer），也可能是别的程序")
        tail = log_tail()
        return CRASHED, say(f"the process crashed ({name}) during {where}: code that reaches into memory "
                            "directly (ctypes, a C extension) or a bug in a native library",
                            f"进程崩溃了（{name}），发生于{where}：可能是直接读写内存的代码（ctypes、C 扩展）所致，"
                            "也可能是某个原生库的 bug") + (f"\n{tail}" if tail else "")
    code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else status
    if code == HARNESS_FAILED:
        return ERROR, say(f"the test run could not report what happened during {where}: does your code close "
                          "or write to file descriptors it did not open?",
                          f"测试运行没能报告出了什么事（发生于{where}）：你的代码是否关闭了或写入了不是它自己打开的"
                          "文件描述符？")
    return EXITS, say(f"the process ended with exit code {code} during {where}: your code calls os._exit() "
                      "(or exit in native code); return a value instead",
                      f"进程以退出码 {code} 结束，发生于{where}：你的代码调用了 os._exit()"
                      "（或在原生代码中调用了 exit）；应当返回一个值")


def spawn(work: Callable[[], None], limits: Limits, log: Path | None = None, close_fds: list[int] = (),
          tag: object = None) -> Child:
    """Fork a child that runs ``work()`` (which reports through :func:`send`) under ``limits``."""
    read_fd, write_fd = os.pipe()
    sys.stdout.flush(), sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child's coverage is its events
        os.close(read_fd)
        _child(write_fd, work, limits, log, list(close_fds))
    os.close(write_fd)
    try:
        os.setpgid(pid, pid)
    except OSError:
        pass  # the child did it first, or has already ended
    os.set_blocking(read_fd, False)
    now = time.monotonic()
    return Child(pid, read_fd, limits, log, tag, deadline=now + limits.wall + GRACE,
                 hard_deadline=now + RUN_WALLS * limits.wall)


def kill(pid: int) -> None:
    """Kill a child's whole process group (and the child, if it left the group)."""
    for target in (lambda: os.killpg(pid, signal.SIGKILL), lambda: os.kill(pid, signal.SIGKILL)):
        try:
            target()
        except (ProcessLookupError, PermissionError):
            continue


def reap(child: Child) -> int:
    """The child's exit status (killing its group if it lingers after closing the pipe)."""
    if child.status is not None:
        return child.status
    end = time.monotonic() + 2.0
    while True:
        try:
            pid, status = os.waitpid(child.pid, os.WNOHANG)
        except ChildProcessError:
            return 0
        if pid:
            kill(child.pid)  # anything it started in its group goes with it
            return status
        if time.monotonic() > end:
            kill(child.pid)
            return os.waitpid(child.pid, 0)[1]
        time.sleep(0.005)


class Pool:
    """Children running at once, read together; kills any that stay silent past their deadline."""

    def __init__(self):
        self.selector = selectors.DefaultSelector()
        self.running: dict[int, Child] = {}

    def __len__(self) -> int:
        return len(self.running)

    def fds(self) -> list[int]:
        """The pipes a new child must close (they are its siblings')."""
        return list(self.running)

    def add(self, child: Child) -> None:
        self.running[child.fd] = child
        self.selector.register(child.fd, selectors.EVENT_READ, child)

    def poll(self, timeout: float = 0.1) -> Iterator[tuple[Child, dict | None]]:
        """``(child, event)`` for each event that arrives within ``timeout``, and ``(child, None)``
        for each child that ended (its ``status`` set)."""
        for key, _ in self.selector.select(timeout):
            child = key.data
            yield from self._read(child)
        now = time.monotonic()
        for child in list(self.running.values()):
            if child.fd not in self.running:
                continue
            if child.ended or _exited(child):
                # it is gone, though a process it started may hold the pipe open: read what is left
                yield from self._read(child, until_empty=True)
                if child.fd in self.running:
                    yield child, self._end(child)
            elif now > child.hard_deadline and child.killed != "run":
                child.killed, child.kill_deadline = "run", now + GRACE
                kill(child.pid)
            elif not child.killed and now > child.deadline:
                child.killed, child.kill_deadline = "timeout", now + GRACE
                kill(child.pid)
            elif child.killed and now > child.kill_deadline:  # killed, yet something still holds its pipe open
                yield child, self._end(child)

    def _read(self, child: Child, until_empty: bool = False) -> Iterator[tuple[Child, dict | None]]:
        while True:
            try:
                data = os.read(child.fd, 1 << 16)
            except BlockingIOError:
                return
            if not data:
                yield child, self._end(child)
                return
            yield from ((child, event) for event in child.feed(data))
            if not until_empty:
                return

    def _end(self, child: Child) -> None:
        self.selector.unregister(child.fd)
        os.close(child.fd)
        self.running.pop(child.fd, None)
        if child.status is None:
            child.status = reap(child)
        if not self.running:
            kill_strays()

    def close(self) -> None:
        """Kill every child still running, and whatever they started."""
        for child in list(self.running.values()):
            kill(child.pid)
            self._end(child)
        self.selector.close()
        kill_strays()


def _exited(child: Child) -> bool:
    """Whether the child has ended (its status is then kept)."""
    try:
        pid, status = os.waitpid(child.pid, os.WNOHANG)
    except ChildProcessError:
        return True
    if pid:
        child.status = status
        kill(child.pid)  # anything it left in its group goes with it
    return bool(pid)


_KEPT: set[int] = set()  # children this process started on purpose and ends itself (sandboxes)


def keep(pid: int, kept: bool = True) -> None:
    """Exempt the child ``pid`` from :func:`kill_strays` (or, with ``kept=False``, no longer)."""
    (_KEPT.add if kept else _KEPT.discard)(pid)


def reap_group(pgid: int, wait: float = 1.0) -> None:
    """Reap this process's adopted children of process group ``pgid`` as they end (a killed sandbox's
    inner processes are handed to this subreaper and would stay zombies); waits up to ``wait`` seconds."""
    me, end = str(os.getpid()), time.monotonic() + wait
    while True:
        ours = [pid for pid, fields in _children_stats() if fields[1] == me and fields[2] == str(pgid)]
        for pid in ours:
            try:
                os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                pass
        if not ours or time.monotonic() > end:
            return
        time.sleep(0.05)


def _children_stats() -> list[tuple[int, list[str]]]:
    """(pid, [state, ppid, pgrp, ...]) of every process, read from /proc."""
    out = []
    try:
        entries = os.listdir("/proc")
    except OSError:
        return out
    for entry in entries:
        if entry.isdigit():
            try:
                out.append((int(entry), Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()))
            except (OSError, IndexError):
                continue
    return out


def kill_strays() -> None:
    """Kill and reap the processes learner code started that outlived their child (they were handed
    to this process by :func:`prepare_parent`'s subreaper setting, even after ``setsid``). Only in a
    parent that :func:`prepare_parent` made a subreaper: its other children are ours."""
    if not _SUBREAPER:
        return
    me = str(os.getpid())
    for pid, fields in _children_stats():
        if fields[1] == me and pid not in _KEPT:
            try:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
            except (ProcessLookupError, PermissionError, ChildProcessError):
                pass


# ---------------------------------------------------------------- check and watch


def _tests_of(exercise, impl_dir: Path, root: Path | None, limits: Limits, profile: str | None,
              extra_args: tuple[str, ...]) -> Callable[[], None]:
    def work() -> None:
        send({"e": "exercise", "name": exercise.name})
        try:
            run([exercise], impl_dir, root=root, profile=profile, on_event=send,
                extra_args=(f"--timeout={limits.timeout:g}", *extra_args))
        except RunError as exc:
            send({"e": "error", "message": str(exc)})
    return work


def run_exercises(exercises, impl_dir: Path, *, root: Path | None = None, limits: Limits | None = None,
                  jobs: int = 1, shards: int = 1, profile: str | None = None, extra_args: tuple[str, ...] = (),
                  on_event: Callable[[object, dict], None] | None = None,
                  cancelled: Callable[[], bool] | None = None) -> list[ExerciseResult] | None:
    """Run each exercise's tests in children, at most ``jobs`` at a time, in the order given;
    ``shards`` children share one exercise (every ``shards``-th test each).

    ``on_event(exercise, event)`` sees every event as it arrives. ``cancelled()`` is asked about
    ten times a second; when it says yes, the children are killed and ``None`` is returned.
    Raises :class:`RunError` when the tests themselves cannot run.
    """
    limits = limits or Limits()
    queue = [(e, i) for e in exercises for i in range(shards)]
    parts: dict[str, list[ExerciseResult | RunError]] = {e.name: [] for e in exercises}
    pool = Pool()
    try:
        while queue or len(pool):
            while queue and len(pool) < jobs:
                e, i = queue.pop(0)
                shard = (f"--kata-shard={i}/{shards}",) if shards > 1 else ()
                pool.add(spawn(_tests_of(e, impl_dir, root, limits, profile, (*shard, *extra_args)), limits,
                               close_fds=pool.fds(), tag=e))
            for child, event in pool.poll(0.1):
                if event is None:
                    parts[child.tag.name].append(_result(child))
                    event = {"e": "done"}
                if on_event:
                    on_event(child.tag, event)
            if cancelled is not None and cancelled():
                return None
    finally:
        pool.close()
    results = []
    for e in exercises:
        bad = [r for r in parts[e.name] if isinstance(r, RunError)]
        if bad:
            raise bad[0]
        results.append(ExerciseResult(e, [o for r in parts[e.name] for o in r.outcomes],
                                      sum(r.collected for r in parts[e.name])))
    return results


def _result(child: Child) -> ExerciseResult | RunError:
    """What an ended child's events say; a child that ended early gets its incident as a failure."""
    outcomes = list(child.outcomes.values())
    if child.error and not child.test and not outcomes:
        return RunError(child.error)
    nodeid = child.test or f"{child.tag.test_file}::(the run)"
    if not child.ended:
        incident, note = child.died(child.status)
        outcomes = [o for o in outcomes if o.nodeid != nodeid]
        outcomes.append(TestOutcome(nodeid, "failed", note, incident))
    elif all(o.outcome in ("passed", "skipped") for o in outcomes) and len(outcomes) < child.collected:
        ran = sum(o.outcome == "passed" for o in outcomes)
        outcomes.append(TestOutcome(nodeid, "failed", say(
            f"the tests stopped after {ran} of {child.collected} without a failure: something in your code "
            "ended the test run (KeyboardInterrupt, pytest.exit)",
            f"共 {child.collected} 个测试，跑完 {ran} 个后停了下来，但没有失败：你的代码里有东西结束了这次测试运行"
            "（KeyboardInterrupt、pytest.exit）"), ERROR))
    return ExerciseResult(child.tag, outcomes, child.collected)


def warm_parent(exercises=(), model: bool | None = None) -> None:
    """Load what every child needs, once, in this process: torch (one thread, see
    :func:`prepare_parent`), transformers, pytest, hypothesis, the kata's test helpers, the
    tokenizer and, when one of ``exercises`` needs it (or ``model=True``), the model, and the other shared
    models ``exercises`` name (``Exercise.models``)."""
    prepare_parent()
    import hypothesis  # noqa: F401
    import pytest  # noqa: F401
    import transformers  # noqa: F401
    from transformers import BatchEncoding  # noqa: F401

    from bertkata import calls, feedback, plugin, shared, strategies  # noqa: F401

    shared.tokenizer()
    if model or (model is None and any(e.needs_model for e in exercises)):
        shared.model()
    for name in sorted({m for e in exercises for m in e.models}):  # e.g. e10's classifier: not once per child
        shared.get(name)


LEARNER_PROFILE = "learner"  # hypothesis profile of check and watch, whatever KATA_HYPOTHESIS_PROFILE says:
# the time limit is set for it (CI's thorough profile runs four times the examples)


def learner_limits(jobs: int = 1) -> Limits:
    """A learner's run (check, watch): an endless loop is reported after 10 s of processor time; the
    cores are shared among the children running at once."""
    return Limits(timeout=LEARNER_TIMEOUT, threads=max(1, (os.cpu_count() or 1) // max(1, jobs)))

