"""The sandboxed worker: the only process that imports a learner's modules when grading.

``main([FD, FOLDER, MEMORY_MB, TIMEOUT, "model"?])`` (see :data:`bertkata.sandbox.BOOT`) runs inside the sandbox
(:mod:`bertkata.sandbox`) with the learner's folder, the kata's package and the model read-only, and
nothing else of the project. It loads the tokenizer and the model once, then waits on ``FD`` (a
``SOCK_SEQPACKET`` socket): each message asks for one exercise and carries two sockets. For each, it forks
a child that imports ``FOLDER/<exercise>.py`` under hard limits and answers calls on the first socket;
the second tells the grader how the child ended, and lets it kill the child.

A call is run by :func:`bertkata.calls.observe`, as in an ungraded run; what comes back is data
(:mod:`bertkata.wire`). The tests' checks run in the grader, where no learner code was imported.
"""

from __future__ import annotations

import io
import os
import pickle
import resource
import selectors
import signal
import socket
import sys
import traceback
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

PRINTED = 64 * 1024  # characters of a call's printed output sent back
NPROC = 256  # processes (enforced by Linux for users other than root)
LOG_BYTES = 16 * 2**20  # any one file this process or its children write: the log, a file in /tmp


class _Args(pickle.Unpickler):
    """The grader's arguments, with its tokenizer and model standing for this process's own."""

    def persistent_load(self, pid):
        from bertkata import shared

        if pid == "tokenizer" or pid in shared.MODELS:
            return shared.get(pid)
        raise pickle.UnpicklingError(f"unknown reference {pid!r}")


def main(argv: list[str]) -> None:
    fd, folder, memory_mb, timeout = int(argv[0]), Path(argv[1]), int(argv[2]), float(argv[3])
    preload = argv[4:] == ["model"]  # load the model early: at once, or while the first exercise's child runs
    os.environ["OMP_WAIT_POLICY"] = "PASSIVE"
    os.environ["TOKENIZERS_PARALLELISM"] = "false"
    sys.dont_write_bytecode = True
    from bertkata import forked

    # what this process may write to its log (the grader's file) is capped like everything else here
    forked._limit(resource.RLIMIT_FSIZE, LOG_BYTES)
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    forked.prepare_parent()  # one torch thread, so forking is safe; adopts what children abandon
    import bertkata.calls  # noqa: F401 — loaded once, before any fork
    from bertkata import shared

    listen = socket.socket(fileno=fd)
    sel = selectors.DefaultSelector()
    sel.register(listen, selectors.EVENT_READ, None)
    children: dict[int, socket.socket] = {}
    shared.tokenizer()
    if preload and not sel.select(timeout=0):  # no grader waiting yet (it is warming up too): load it now
        shared.model()
    while True:
        for key, _ in sel.select(timeout=0.2):
            if key.data is None:  # a request for an exercise
                try:
                    msg, fds, _, _ = socket.recv_fds(listen, 65536, 2)
                except OSError:
                    msg, fds = b"", []
                if not msg:  # every grader has gone
                    for pid in children:
                        _kill(pid)
                    return
                if len(fds) != 2:
                    for f in fds:
                        os.close(f)
                    continue
                name, needs_tokenizer, needs_model = pickle.loads(msg)
                calls, control = socket.socket(fileno=fds[0]), socket.socket(fileno=fds[1])
                if needs_tokenizer or needs_model:
                    shared.tokenizer()
                if needs_model:
                    shared.model()
                pid = os.fork()
                if pid == 0:
                    code = 70
                    try:
                        listen.close()
                        control.close()
                        for other in children.values():
                            other.close()
                        _serve(calls, folder, name, memory_mb, timeout)
                        code = 0
                    finally:
                        os._exit(code)
                calls.close()
                children[pid] = control
                sel.register(control, selectors.EVENT_READ, pid)
                if preload and not shared.loaded("model"):
                    shared.model()
            else:  # the grader asks to kill a child, or has gone
                pid, control = key.data, key.fileobj
                try:
                    msg = control.recv(64)
                except OSError:
                    msg = b""
                if pid in children and (not msg or msg == b"kill"):
                    _kill(pid)
                if not msg:
                    sel.unregister(control)
        _reap(children, sel)


def _kill(pid: int) -> None:
    for target in (-pid, pid):
        try:
            os.kill(target, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


def _reap(children: dict[int, socket.socket], sel) -> None:
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        control = children.pop(pid, None)
        if control is None:
            continue  # something a child left behind, adopted and ended
        try:
            control.sendall(pickle.dumps(("ended", status)))
        except OSError:
            pass
        try:
            sel.unregister(control)
        except (KeyError, ValueError):
            pass
        control.close()


# ---------------------------------------------------------------- the child: one exercise


def _serve(sock: socket.socket, folder: Path, name: str, memory_mb: int, timeout: float) -> None:
    from bertkata import forked, wire
    from bertkata.i18n import say
    from bertkata.impl import ImplError, load

    os.setpgid(0, 0)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    null = os.open(os.devnull, os.O_RDWR)
    for target in (0, 1, 2):
        os.dup2(null, target)
    vm = forked._vm_size()
    if vm is not None:
        forked._limit(resource.RLIMIT_AS, vm + memory_mb * 2**20)
    forked._limit(resource.RLIMIT_FSIZE, LOG_BYTES)
    forked._limit(resource.RLIMIT_CORE, 0)
    forked._limit(resource.RLIMIT_NPROC, NPROC)
    forked.learner_process()
    try:
        with _captured() as printed:
            module = load(folder, name, fresh=True)
    except ImplError as exc:
        wire.send(sock, ("broken", str(exc), printed.getvalue()[-PRINTED:]))
        return
    except MemoryError:
        wire.send(sock, ("broken", say("importing {file} ran out of memory (MemoryError)",
                                       "导入 {file} 时内存不足（MemoryError）").format(file=f"{folder / name}.py"), ""))
        return
    names = sorted(n for n in dir(module) if not n.startswith("__") and callable(getattr(module, n, None)))
    wire.send(sock, ("loaded", names))
    while True:
        try:
            request = pickle.loads(wire.recv_bytes(sock))
        except EOFError:
            return
        if request[0] != "call":
            return
        wire.send(sock, _call(module, *request[1:], timeout=timeout))


class _captured:
    """What the learner's code prints during a call (its print() is its first debugger)."""

    def __enter__(self) -> io.StringIO:
        self.buffer = io.StringIO()
        self._out, self._err = redirect_stdout(self.buffer), redirect_stderr(self.buffer)
        self._out.__enter__(), self._err.__enter__()
        return self.buffer

    def __exit__(self, *exc) -> None:
        self._err.__exit__(*exc)
        self._out.__exit__(*exc)


def model_state(m) -> dict:
    """The model's train/eval mode of every module and ``requires_grad`` of every parameter, in order."""
    return {"modes": [x.training for _, x in m.named_modules()],
            "flags": [p.requires_grad for _, p in m.named_parameters()]}


def _apply_state(m, state: dict) -> None:
    import torch

    if "weights" in state:
        values = dict(m.named_parameters()) | dict(m.named_buffers())
        with torch.no_grad():
            for n, v in state["weights"].items():
                values[n].copy_(v)
    for (_, x), mode in zip(m.named_modules(), state["modes"]):
        x.training = mode
    params = dict(m.named_parameters())
    for (_, p), flag in zip(m.named_parameters(), state["flags"]):
        p.requires_grad_(flag)
    for n, g in state["grads"].items():
        params[n].grad = g


def _call(module, fn_name: str, label: str, payload: bytes, opts: dict, timeout: float) -> tuple:
    import torch

    from bertkata import shared, wire
    from bertkata.calls import _argument_names, _grad_key, observe
    from bertkata.feedback import KataFailure
    from bertkata.feedback import KataTimeout
    from bertkata.i18n import say

    synced_name = opts.get("synced") or "model"
    if opts["model_state"] is not None:
        shared.restore_model(synced_name)
        _apply_state(shared.get(synced_name), opts["model_state"])
    if shared.loaded("tokenizer"):
        shared.restore_tokenizer()
    try:
        args, kwargs = _Args(io.BytesIO(payload)).load()
    except Exception as exc:  # noqa: BLE001 — e.g. an object of a class only the tests define
        return ("harness", f"the call's arguments cannot be rebuilt in the sandbox: {type(exc).__name__}: {exc}", "")
    fn = getattr(module, fn_name, None)
    if not callable(fn):
        return ("missing", fn_name)
    model = shared.get(opts["model"]) if opts["model"] else None
    synced = shared.get(synced_name) if opts["model_state"] is not None else None
    before = [_grad_key(p) for _, p in synced.named_parameters()] if synced is not None else None
    attributes_before = _plain_attributes(synced, None) if synced is not None else None
    torch.set_grad_enabled(opts["grad_enabled"])
    if opts.get("rng") is not None:
        torch.set_rng_state(opts["rng"])  # the grader's global generator: dropout draws as it would there

    def on_cpu(signum, frame):
        raise KataTimeout(say("this call used more than {t:g} s of processor time: is there an endless loop (a `while` "
                              "that never ends, a recursion without end) in your code?",
                              "这次调用用掉了超过 {t:g} 秒的处理器时间：代码里是不是有死循环（永不结束的 `while`，"
                              "或没有终点的递归）？").format(t=timeout))

    signal.signal(signal.SIGPROF, on_cpu)
    signal.setitimer(signal.ITIMER_PROF, timeout, 1.0)
    printed = io.StringIO()
    try:
        with _captured() as printed:
            rec = observe(label, fn, *args, model=model, tokenizer=shared.tokenizer() if opts["tokenizer"] else None,
                          grads=opts["grads"], backward=opts["backward"], within=opts.get("within"),
                          facts=opts.get("facts"), **kwargs)
    except NotImplementedError as exc:
        return ("stub", str(exc), printed.getvalue()[-PRINTED:])
    except KataTimeout as exc:
        return ("timeout", str(exc), printed.getvalue()[-PRINTED:])
    except SystemExit as exc:
        return ("exit", repr(exc.code), printed.getvalue()[-PRINTED:])
    except MemoryError as exc:
        return ("memory", str(exc)[:200], printed.getvalue()[-PRINTED:])
    except KataFailure as exc:
        return ("failure", str(exc)[:4000], printed.getvalue()[-PRINTED:])
    except BaseException:  # noqa: BLE001 — the harness broke on this call: say where
        return ("harness", traceback.format_exc()[-3000:], printed.getvalue()[-PRINTED:])
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, signal.SIG_DFL)
    try:
        record = {
            "call": label, "value": wire.to_wire(rec.value),
            "error": wire.error_to_wire(rec.error, rec.where) if rec.error is not None else None,
            "forwards": [(f.training, f.modules_training, f.modules, f.grad_enabled, f.positional, list(f.keys),
                          f.requiring_grad, list(f.in_train)) for f in rec.forwards],
            "grad_mode": list(rec.grad_mode), "modes": [list(m) for m in rec.modes], "modules": rec.modules,
            "flags": [list(f) for f in rec.flags], "grads": list(rec.grads), "inputs": list(rec.inputs),
            "tokenizer": list(rec.tokenizer), "shares": list(rec.shares),
            "input_grads": [wire.to_wire(g) for g in rec.input_grads],
            "facts": wire.to_wire(rec.facts),
            "labels": [n for n, a in _argument_names(fn, args, kwargs) if not shared.is_shared(a)],
            "rng": wire.to_wire(torch.get_rng_state())}
        after = None
        if synced is not None:
            after = model_state(synced)
            after["attributes"] = _plain_attributes(synced, attributes_before)
            after["grads"] = [(n, wire.to_wire(p.grad) if p.grad is not None else None)
                              for (n, p), b in zip(synced.named_parameters(), before) if _grad_key(p) != b]
            if opts.get("weights"):  # the values that differ from the pristine copy
                values = dict(shared._tensors(synced))
                after["weights"] = [(n, wire.to_wire(values[n])) for n in shared.changed_weights(synced_name)]
        args_after = None
        if rec.inputs:  # the caller sees its arguments as the learner's code left them
            args_after = ([wire.to_wire(a) if not shared.is_shared(a) else None for a in args],
                          [(k, wire.to_wire(v)) for k, v in kwargs.items() if not shared.is_shared(v)])
        return ("record", record, after, args_after, printed.getvalue()[-PRINTED:])
    except BaseException:  # noqa: BLE001
        return ("harness", traceback.format_exc()[-3000:], printed.getvalue()[-PRINTED:])


PLAIN = (bool, int, float, str, type(None))


def _plain_attributes(m, before: list | None) -> list:
    """(module, attribute, value) of plain values set on the model's modules (``model.embeddings.
    requires_grad = False`` sets one, and freezes nothing); with ``before``, only those that changed."""
    now = [(name, attr, value) for name, module in m.named_modules() for attr, value in vars(module).items()
           if not attr.startswith("_") and type(value) in PLAIN]
    return now if before is None else [x for x in now if x not in before]


if __name__ == "__main__":
    main(sys.argv[1:])
