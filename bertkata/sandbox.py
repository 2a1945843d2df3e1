"""Grading in a sandbox, with the grade decided outside it.

A :class:`Sandbox` is one learner's: bubblewrap (``bwrap``) starts :mod:`bertkata.worker` with its own
PID, network, user and IPC namespaces, no capabilities, a private ``/tmp``, and read-only views of only
the Python installation, the kata's package, the model and the learner's folder: no ``solutions/``, no
tests, no other learner, nothing it can write outside ``/tmp``. Everything in it dies with it.

The tests run in the grading process. Each learner function they call is a :class:`RemoteFunction`:
the worker runs it under :func:`bertkata.calls.observe` and sends back the record as data
(:mod:`bertkata.wire`); the shared model's modes, ``requires_grad`` flags and gradients travel with
each call, both ways. Patching torch, transformers or this package inside the sandbox cannot make a
wrong value pass; whether the caller's arguments changed is decided here, from what comes back. The
rest of what the worker reports about the call (modes, flags, gradients left, the autograd graph,
shared memory) is only as honest as the learner's process it runs in.

Without bubblewrap (``--no-sandbox``) the worker is an ordinary process: the grade is still decided
outside the learner's code, but nothing stops it reading or writing files.
"""

from __future__ import annotations

import io
import os
import pickle
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

from bertkata import i18n, wire
from bertkata.i18n import T, say
from bertkata.status import ERROR

INSTALL = ("install bubblewrap (`apt-get install bubblewrap` on Debian and Ubuntu, `dnf install bubblewrap` on "
           "Fedora, `pacman -S bubblewrap` on Arch), or grade without a sandbox with --no-sandbox (only for "
           "submissions you trust: their code can then read and change your files)")
TMP_BYTES = 256 * 2**20  # the sandbox's private /tmp: the only place it can write, with /dev/shm
SHM_BYTES = 64 * 2**20
PACKAGE_HOME = "/kata"  # where the sandbox sees this package, in a read-only folder of its own
ENDED_WAIT = 10.0  # seconds to wait for the worker to say how a child ended
# The worker imports this very package (an unpacked autograder's, a clone's), whatever the venv points at,
# from a folder nothing can be written to (or a module planted there would run in the worker).
BOOT = "import sys; sys.path.insert(0, sys.argv[1]); from bertkata.worker import main; main(sys.argv[2:])"


class SandboxError(Exception):
    """No sandbox can be made here; ``str(self)`` says why and what to do."""


class WorkerEnded(BaseException):
    """The learner's process ended during a call (``status`` is one of runner.INCIDENTS). Not an
    ``Exception``: hypothesis must not replay the example."""

    def __init__(self, status: str, message: str):
        super().__init__(message)
        self.status = status


@lru_cache(maxsize=1)
def problem() -> str | None:
    """Why bubblewrap cannot make a sandbox here (None: it can)."""
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        return f"bubblewrap (bwrap) is not installed: {INSTALL}."
    try:
        done = subprocess.run([bwrap, "--unshare-all", "--unshare-user", "--die-with-parent", "--ro-bind", "/", "/",
                               "true"], capture_output=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"bwrap could not be run ({exc}): {INSTALL}."
    if done.returncode != 0:
        why = done.stderr.decode(errors="replace").strip()[:300]
        return (f"bwrap cannot make a sandbox on this machine ({why}): user namespaces may be switched off "
                f"(sysctl kernel.unprivileged_userns_clone=1), or {INSTALL}.")
    return None


def _binds(folder: Path) -> list[str]:
    """Read-only views of what the worker needs, each at its own path."""
    from bertkata import shared

    paths = [Path(sys.base_prefix), Path(sys.prefix), shared.source().path, folder]
    # the package where nothing else is: the folder Python imports it from must be read-only too
    args = ["--ro-bind", "/usr", "/usr", "--tmpfs", PACKAGE_HOME, "--ro-bind", str(Path(__file__).resolve().parent),
            f"{PACKAGE_HOME}/bertkata", "--remount-ro", PACKAGE_HOME]
    for top in ("lib", "lib64", "bin", "sbin", "lib32"):
        p = Path("/") / top
        if p.is_symlink():
            args += ["--symlink", os.readlink(p), str(p)]
        elif p.is_dir():
            args += ["--ro-bind", str(p), str(p)]
    for p in (Path("/etc/ld.so.cache"), Path("/etc/ld.so.conf")):
        if p.exists():
            args += ["--ro-bind", str(p), str(p)]
    seen: list[Path] = []
    for p in sorted({q.resolve() for q in paths}, key=lambda q: len(q.parts)):
        if p == Path("/usr") or Path("/usr") in p.parents or any(s == p or s in p.parents for s in seen):
            continue
        seen.append(p)
        args += ["--ro-bind", str(p), str(p)]
    return args


def command(folder: Path, fd: int, memory_mb: int, timeout: float, sandboxed: bool = True,
            model: bool = False) -> list[str]:
    """The worker's command line, inside bwrap when ``sandboxed``; ``model``: load the model early."""
    home = PACKAGE_HOME if sandboxed else str(Path(__file__).resolve().parent.parent)
    worker = [sys.executable, "-I", "-c", BOOT, home, str(fd), str(folder), str(memory_mb), f"{timeout:g}",
              *(["model"] if model else [])]
    if not sandboxed:
        return worker
    bwrap = shutil.which("bwrap")
    if bwrap is None or problem():
        raise SandboxError(problem() or f"bwrap is not installed: {INSTALL}.")
    return [bwrap, "--unshare-all", "--unshare-user", "--disable-userns", "--die-with-parent", "--new-session",
            "--cap-drop", "ALL", "--uid", "65534", "--gid", "65534", "--hostname", "kata",
            "--size", str(TMP_BYTES), "--tmpfs", "/tmp", *_binds(folder), "--proc", "/proc",
            "--dev", "/dev", "--size", str(SHM_BYTES), "--tmpfs", "/dev/shm", "--remount-ro", "/dev",
            "--remount-ro", "/", "--chdir", "/tmp", "--clearenv", *_env_args(), *worker]


def _environment() -> dict[str, str]:
    from bertkata import shared

    return {"HOME": "/tmp", "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HF_HUB_OFFLINE": "1",
            "TRANSFORMERS_OFFLINE": "1", "KATA_MODEL": str(shared.source().path.resolve()),
            "OMP_WAIT_POLICY": "PASSIVE", "TOKENIZERS_PARALLELISM": "false", "OMP_NUM_THREADS": "1",
            i18n.ENV: i18n.current()}  # the worker's messages in the learner's language


def _env_args() -> list[str]:
    return [x for k, v in _environment().items() for x in ("--setenv", k, v)]


class Sandbox:
    """One learner's worker (in bwrap unless ``sandboxed=False``), holding the tokenizer and the model,
    forking a child per exercise. Start it in the warm parent; use it from the processes forked after."""

    def __init__(self, folder: Path, memory_mb: int, timeout: float, sandboxed: bool = True,
                 log: Path | None = None, model: bool = False):
        self.folder = Path(folder).resolve()
        listen, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        if log is None:  # what the worker says if it cannot start
            fd, name = tempfile.mkstemp(prefix="bert-kata-sandbox-", suffix=".log")
            os.close(fd)
            log = self._own_log = Path(name)
        self.log = log
        out = open(log, "ab")
        try:
            env = None if sandboxed else {**os.environ, **_environment()}
            self.proc = subprocess.Popen(command(self.folder, theirs.fileno(), memory_mb, timeout, sandboxed, model),
                                         pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL, stdout=out,
                                         stderr=subprocess.STDOUT, start_new_session=True, env=env,
                                         cwd="/tmp" if not sandboxed else None)
        finally:
            theirs.close()
            out.close()
        self.listen = listen
        self.connections: dict[str, Connection] = {}
        from bertkata.forked import keep

        keep(self.proc.pid)

    def fileno(self) -> int:
        return self.listen.fileno()

    def module(self, name: str, number: int):
        """The learner's module ``name`` as the tests see it: an :class:`bertkata.impl.Impl` whose
        functions run in the worker (one child per exercise, kept until :meth:`end`)."""
        from bertkata.impl import Impl

        conn = self.connections.get(name)
        if conn is None or conn.broken:
            conn = self.connections[name] = Connection(self, name)
        if conn.error is not None:
            raise conn.error
        return Impl(_Namespace(conn), self.folder / f"{name}.py", number)

    def end(self, name: str | None = None) -> None:
        """Let the child of ``name`` (or of every exercise) go."""
        for key in [name] if name else list(self.connections):
            conn = self.connections.pop(key, None)
            if conn is not None:
                conn.close()

    def close(self) -> None:
        """End the sandbox and everything in it."""
        self.end()
        try:
            self.listen.close()
        except OSError:
            pass
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        from bertkata.forked import keep, reap_group

        keep(self.proc.pid, False)
        reap_group(self.proc.pid)  # its inner processes, adopted by this process when it is a subreaper
        if getattr(self, "_own_log", None):
            self._own_log.unlink(missing_ok=True)

    def failure(self) -> str:
        """Why the worker stopped, from the end of its log."""
        try:
            tail = self.log.read_bytes()[-1500:].decode("utf-8", "replace").strip()
        except OSError:
            tail = ""
        return say(f"the grading sandbox stopped (exit status {self.proc.poll()})",
                   f"评分沙箱停止了（退出状态 {self.proc.poll()}）") + (say(":", "：") + f"\n{tail}" if tail else "")


_CURRENT: Sandbox | None = None


def use(sandbox: Sandbox | None) -> None:
    """In a grading process: the learner's functions are called in ``sandbox`` from now on."""
    global _CURRENT
    _CURRENT = sandbox


def current() -> Sandbox | None:
    return _CURRENT


# ---------------------------------------------------------------- one exercise's child


class Connection:
    def __init__(self, sandbox: Sandbox, name: str):
        from bertkata.catalog import by_name
        from bertkata.impl import ImplError

        self.name = name
        self.broken = False
        self.error: BaseException | None = None
        self.names: set[str] = set()
        exercise = by_name(name)
        self.sandbox = sandbox
        self.calls, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        self.control, their_control = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            socket.send_fds(sandbox.listen, [pickle.dumps((name, True, exercise.needs_model))],
                            [theirs.fileno(), their_control.fileno()])
        except OSError:
            self.broken = True
            raise WorkerEnded(ERROR, sandbox.failure()) from None
        finally:
            theirs.close()
            their_control.close()
        reply = self._reply(T(f"importing {name}.py", f"导入 {name}.py 时"))
        if reply[0] == "loaded":
            self.names = {n for n in reply[1] if type(n) is str}
        elif reply[0] == "broken":
            _show(reply[2])
            self.error = ImplError(str(reply[1]))
        else:
            raise wire.WireError(f"an unexpected first reply {reply[0]!r}")

    def _reply(self, where: str | T) -> tuple:
        try:
            data = wire.recv_bytes(self.calls)
        except EOFError:
            self.broken = True
            raise self._ended(where) from None
        except BaseException:  # a time limit in the grader, or a garbled frame: this child is done
            self.kill()
            raise
        reply = wire.loads(data)
        if type(reply) is not tuple or not reply or type(reply[0]) is not str:
            raise wire.WireError("a reply that is not a tagged tuple")
        return reply

    def _ended(self, where: str | T) -> WorkerEnded:
        from bertkata.forked import ended

        self.control.settimeout(ENDED_WAIT)
        try:
            message = wire.loads(self.control.recv(4096))
            status = message[1] if type(message) is tuple and len(message) == 2 and type(message[1]) is int else None
        except (OSError, EOFError, wire.WireError, IndexError):
            status = None
        if status is None:
            if self.sandbox.proc.poll() is not None:
                return WorkerEnded(ERROR, self.sandbox.failure())
            return WorkerEnded(ERROR, say(f"the learner's process stopped answering during {where}",
                                          f"运行你代码的进程不再响应（发生于{where}）"))
        return WorkerEnded(*ended(status, where))

    def kill(self) -> None:
        self.broken = True
        try:
            self.control.send(b"kill")
        except OSError:
            pass

    def close(self) -> None:
        for s in (self.calls, self.control):
            try:
                s.close()
            except OSError:
                pass

    def call(self, fn: str, label: str, args: tuple, kwargs: dict, opts: dict) -> tuple:
        if self.broken:
            raise WorkerEnded(ERROR, say(f"the learner's process for {self.name} had already ended",
                                         f"运行 {self.name} 的进程此前已经结束"))
        buf = io.BytesIO()
        _Pickler(buf).dump((args, kwargs))
        request = pickle.dumps(("call", fn, label, buf.getvalue(), opts), protocol=5)
        try:
            self.calls.sendall(len(request).to_bytes(8, "little") + request)
        except OSError:
            self.broken = True
            raise self._ended(T(f"the call {label}", f"调用 {label} 时")) from None
        return self._reply(T(f"the call {label}", f"调用 {label} 时"))


class _Pickler(pickle.Pickler):
    """The grader's arguments; its shared tokenizer and model stand for the worker's own, and plain
    tensors travel as bytes (torch's own pickling costs ten times more per tensor)."""

    def __init__(self, file):
        super().__init__(file, protocol=5)
        from bertkata import shared

        self._refs = {id(shared.get(name)): name for name in ("tokenizer", *shared.MODELS) if shared.loaded(name)}

    def persistent_id(self, obj):
        return self._refs.get(id(obj))

    def reducer_override(self, obj):
        import torch
        from transformers import BatchEncoding

        if type(obj) is BatchEncoding:  # its own pickling drops n_sequences
            return BatchEncoding, (dict(obj.data), obj.__dict__.get("_encodings"), None, False,
                                   obj.__dict__.get("_n_sequences"))
        if type(obj) is torch.Tensor and obj.is_leaf and obj.layout == torch.strided and obj.device.type == "cpu" \
                and not obj.is_complex() and not obj.is_quantized:
            return wire.rebuild_tensor, wire.to_wire(obj)[1:]
        return NotImplemented


class _Namespace:
    def __init__(self, conn: Connection):
        self._conn = conn

    def __getattr__(self, attr: str):
        if attr.startswith("__") or attr not in self._conn.names:
            raise AttributeError(attr)
        return RemoteFunction(self._conn, attr)


def _show(printed: Any) -> None:
    """What the learner's code printed, where pytest captures this test's output."""
    if type(printed) is str and printed:
        sys.stdout.write(printed if printed.endswith("\n") else printed + "\n")


class RemoteFunction:
    """A learner's function, run in the worker; :func:`bertkata.calls.observe` calls it through
    :meth:`observe_remote`."""

    def __init__(self, conn: Connection, name: str):
        self._conn = conn
        self.__name__ = self.__qualname__ = name

    def __repr__(self) -> str:
        return f"<function {self.__name__} (in the sandbox)>"

    def __call__(self, *args, **kwargs):
        rec = self.observe_remote(f"{self.__name__}(...)", args, kwargs)
        if rec.error is not None:
            raise rec.error
        return rec.value

    def observe_remote(self, call: str, args: tuple, kwargs: dict, model=None, tokenizer=None, grads=False,
                       backward=False, weights=False, within=None, facts=None):
        import torch

        from bertkata.calls import _differences, _snapshot
        from bertkata.worker import model_state

        from bertkata import shared

        # the shared model the call is given (BertModel, or another of shared.MODELS), by name
        names = [shared.name_of(a) for a in (model, *args, *kwargs.values())]
        name = next((n for n in names if n in shared.MODELS), None)
        synced = shared.get(name) if name is not None else None
        state = None
        if synced is not None:
            state = {**model_state(synced),
                     "grads": {n: p.grad.detach() for n, p in synced.named_parameters() if p.grad is not None}}
            if weights:  # values the grader's copy holds that the pristine one does not
                values = dict(shared._tensors(synced))
                state["weights"] = {k: values[k].detach() for k in shared.changed_weights(name)}
        watched_model = shared.name_of(model) if model is not None else None
        opts = {"model": watched_model if watched_model in shared.MODELS else None, "synced": name,
                "tokenizer": tokenizer is not None, "grads": grads, "backward": backward, "weights": weights,
                "grad_enabled": torch.is_grad_enabled(), "model_state": state, "rng": torch.get_rng_state(),
                "within": within, "facts": facts}
        # the caller's arguments as they were: whether the call changed them is decided here, not in the sandbox
        watched = [a for a in (*args, *kwargs.values()) if not shared.is_shared(a)]
        snaps = [_snapshot(a) for a in watched]
        reply = self._conn.call(self.__name__, call, args, kwargs, opts)
        rec = _outcome(reply, synced, args, kwargs)
        labels = reply[1].get("labels") if type(reply[1]) is dict else None
        if type(labels) is not list or len(labels) != len(watched) or any(type(x) is not str for x in labels):
            labels = [f"argument {i + 1}" for i in range(len(watched))]
        seen = [d for label, snap, a in zip(labels, snaps, watched) for d in _differences(snap, a, label)]
        # the worker's words when it owns up to a change (it saw which objects were replaced); when it says
        # nothing changed, what came back decides
        rec.inputs = rec.inputs or seen
        return rec


def _outcome(reply: tuple, synced, args: tuple, kwargs: dict):
    import torch

    from bertkata.feedback import KataFailure
    from bertkata.feedback import KataTimeout

    kind = reply[0]
    if kind != "record":
        text = str(reply[1]) if len(reply) > 1 else ""
        _show(reply[2] if len(reply) > 2 else "")
        if kind == "stub":
            raise NotImplementedError(text)
        if kind == "timeout":
            raise KataTimeout(text)
        if kind == "exit":
            raise SystemExit(_Shown(text))
        if kind == "memory":
            raise MemoryError(text)
        if kind == "failure":
            raise KataFailure(text)
        if kind == "missing":
            from bertkata.impl import MissingFunction

            raise MissingFunction(say(f"the module has no function `{text}`", f"模块里没有函数 `{text}`"))
        raise RuntimeError(say(f"the grading worker failed on this call:\n{text}", f"评分进程在这次调用中出错：\n{text}"))
    _, record, after, args_after, printed = reply
    _show(printed)
    rec = _record(record)
    rng = wire.from_wire(record.get("rng"))
    if isinstance(rng, torch.Tensor) and rng.dtype == torch.uint8 and rng.dim() == 1:
        torch.set_rng_state(rng)  # the global generator goes on from where the call left it, as in one process
    if synced is not None and after is not None:
        _apply_after(synced, after)
    if args_after is not None:
        _write_back(args, kwargs, args_after)
    return rec


class _Shown(str):
    """An exit code as the learner's code gave it (its repr)."""

    def __repr__(self) -> str:
        return str(self)


def _strs(x: Any) -> list[str]:
    if type(x) is not list or any(type(v) is not str for v in x):
        raise wire.WireError("a list of text expected")
    return x


def _triples(x: Any) -> list[tuple[str, bool, bool]]:
    if type(x) is not list:
        raise wire.WireError("a list expected")
    out = []
    for v in x:
        if type(v) is not list or len(v) != 3 or type(v[0]) is not str or any(type(b) is not bool for b in v[1:]):
            raise wire.WireError("a (name, before, after) triple expected")
        out.append((v[0], v[1], v[2]))
    return out


def _record(r: Any):
    from bertkata.calls import Forward, Observed

    if type(r) is not dict:
        raise wire.WireError("a record that is not a mapping")
    error = wire.error_from_wire(r["error"]) if r["error"] is not None else None
    forwards = []
    for f in r["forwards"]:
        training, busy, modules, grad, positional, keys, requiring, in_train = f
        forwards.append(Forward(bool(training), int(busy), int(modules), bool(grad), int(positional),
                                tuple(_strs(keys)), int(requiring), tuple(_strs(in_train))))
    grad_mode = r["grad_mode"]
    if type(grad_mode) is not list or len(grad_mode) != 2 or any(type(b) is not bool for b in grad_mode):
        raise wire.WireError("a malformed grad mode")
    if type(r["modules"]) is not int:
        raise wire.WireError("a malformed module count")
    return Observed(
        call=str(r["call"]), value=wire.from_wire(r["value"]), error=error,
        where=getattr(error, "where", "") if error is not None else "", forwards=forwards,
        grad_mode=(grad_mode[0], grad_mode[1]), modes=_triples(r["modes"]), modules=r["modules"],
        flags=_triples(r["flags"]), grads=_strs(r["grads"]), inputs=_strs(r["inputs"]),
        tokenizer=_strs(r["tokenizer"]), shares=_strs(r["shares"]),
        input_grads=[wire.from_wire(g) for g in r["input_grads"]], facts=_facts(r.get("facts")))


def _facts(tree: Any) -> dict:
    facts = wire.from_wire(tree) if tree is not None else {}
    if type(facts) is not dict:
        raise wire.WireError("facts that are not a mapping")
    return facts


def _apply_after(model, after: Any) -> None:
    """The worker's model as the learner's code left it, onto the grader's: modes, flags, gradients."""
    import torch

    modules, params = list(model.named_modules()), dict(model.named_parameters())
    modes, flags = after["modes"], after["flags"]
    if len(modes) != len(modules) or len(flags) != len(params) or any(type(b) is not bool for b in modes + flags):
        raise wire.WireError("a model state of another model")
    for (_, x), mode in zip(modules, modes):
        x.training = mode
    for p, flag in zip(params.values(), flags):
        p.requires_grad_(flag)
    named = dict(model.named_modules())
    for name, attr, value in after.get("attributes", ()):  # plain values the call set on a module
        if type(name) is str and type(attr) is str and not attr.startswith("_") and name in named \
                and type(value) in (bool, int, float, str, type(None)):
            object.__setattr__(named[name], attr, value)
    for name, grad in after["grads"]:
        p = params.get(name) if type(name) is str else None
        if p is None:
            raise wire.WireError(f"a gradient for no parameter ({name!r})")
        g = None if grad is None else wire.from_wire(grad)
        if g is not None and (not isinstance(g, torch.Tensor) or g.shape != p.shape):
            g = torch.full_like(p, float("nan"))  # a .grad that could not be set: visibly wrong, never silently right
        p.grad = None if g is None else g.detach().to(p.dtype)
    if "weights" in after:
        _apply_weights(model, after["weights"])


def _apply_weights(model, changed: Any) -> None:
    """The weights the call left, onto the grader's model: those that differ from the pristine copy come
    back; every other one is the pristine value."""
    import torch

    from bertkata import shared

    name = shared.name_of(model)
    if type(changed) is not list or name is None:
        raise wire.WireError("malformed weights")
    values = dict(shared._tensors(model))
    got = {}
    for item in changed:
        if type(item) is not tuple or len(item) != 2 or item[0] not in values:
            raise wire.WireError("a weight of no parameter")
        got[item[0]] = wire.from_wire(item[1])
    with torch.no_grad():
        for k in set(shared.changed_weights(name)) | set(got):
            v = values[k]
            new = got.get(k, shared.pristine(name)[k])
            if not isinstance(new, torch.Tensor) or new.shape != v.shape:
                new = torch.full_like(v, float("nan")) if v.is_floating_point() else v  # visibly wrong
            v.copy_(new.to(v.dtype))


def _write_back(args: tuple, kwargs: dict, after: Any) -> None:
    """The caller's arguments as the learner's code left them (an in-place change shows in the grader too)."""
    positional, keyword = after
    for orig, new in zip(args, positional):
        if new is not None:
            _put(orig, wire.from_wire(new))
    named = dict(keyword) if type(keyword) is list else {}
    for k, orig in kwargs.items():
        if k in named and named[k] is not None:
            _put(orig, wire.from_wire(named[k]))


def _put(orig: Any, new: Any, depth: int = 0) -> None:
    """Make ``orig`` (the caller's list, mapping or tensor) what ``new`` is, in place where it can."""
    import torch
    from collections.abc import MutableMapping

    if depth > 6:
        return
    if isinstance(orig, torch.Tensor) and isinstance(new, torch.Tensor):
        with torch.no_grad():
            if orig.shape == new.shape and orig.dtype == new.dtype:
                orig.copy_(new)
            else:
                orig.data = new.detach()
    elif isinstance(orig, list) and isinstance(new, list):
        if len(orig) != len(new):
            orig[:] = new
            return
        for i, v in enumerate(new):
            if _same_kind(orig[i], v):
                _put(orig[i], v, depth + 1)
            else:
                orig[i] = v  # e.g. a row replaced by a tensor
    elif isinstance(orig, tuple) and isinstance(new, tuple) and len(orig) == len(new):
        for o, v in zip(orig, new):
            _put(o, v, depth + 1)
    elif isinstance(orig, MutableMapping) and hasattr(new, "items"):
        for k in [k for k in orig if k not in new]:
            del orig[k]
        for k, v in new.items():
            if k in orig and _same_kind(orig[k], v):
                _put(orig[k], v, depth + 1)
            else:
                orig[k] = v


def _same_kind(a: Any, b: Any) -> bool:
    """Both tensors, both lists or both mappings: changed in place rather than replaced."""
    import torch
    from collections.abc import MutableMapping

    return any(isinstance(a, t) and isinstance(b, t) for t in (torch.Tensor, list, MutableMapping))
