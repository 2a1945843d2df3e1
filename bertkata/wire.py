"""What crosses from the sandboxed worker to the grader: plain data only, read without running any of it.

The worker runs learner code, so everything it sends is untrusted. :func:`to_wire` turns a value into a
tree of Python's own containers and scalars (tensors become dtype, shape and bytes); :func:`loads` reads
a frame with an unpickler that resolves no global at all, so a frame cannot name a function to call;
:func:`from_wire` rebuilds tensors, ``BatchEncoding``, ``Encoding`` and model outputs from that tree,
checking every field. Anything else comes back as an :class:`Opaque` stand-in that keeps its type's name
and ``repr``, so a failure message still says what the learner returned.

The grader's requests to the worker are ordinary pickles: the worker trusts the grader, not the reverse.
"""

from __future__ import annotations

import builtins
import io
import pickle
import socket
import struct
from typing import Any

MAX_FRAME = 2**30  # bytes: a reply past this is refused (all of BERT's gradients are 0.4 GB)
MAX_DEPTH = 12
MAX_ITEMS = 200_000  # values in one tree
REPR = 300  # characters of an opaque value's repr
_HEADER = struct.Struct("<Q")
SCALARS = (type(None), bool, int, float, str, bytes)
NUMPY_KINDS = "biufc"  # numpy dtypes that cross: bool, signed and unsigned ints, floats, complex


class WireError(Exception):
    """A frame that is not what the protocol allows (a garbled or forged reply)."""


# ---------------------------------------------------------------- frames


def send(sock: socket.socket, obj: Any) -> None:
    data = pickle.dumps(obj, protocol=5)
    sock.sendall(_HEADER.pack(len(data)) + data)


def recv_bytes(sock: socket.socket, limit: int = MAX_FRAME) -> bytes:
    """One frame's payload; ``EOFError`` when the other end closed."""
    (size,) = _HEADER.unpack(_read(sock, _HEADER.size))
    if size > limit:
        raise WireError(f"a reply of {size} bytes (more than {limit})")
    return _read(sock, size)


def _read(sock: socket.socket, n: int) -> bytes:
    buf = bytearray(n)
    view, got = memoryview(buf), 0
    while got < n:
        k = sock.recv_into(view[got:], n - got)
        if k == 0:
            raise EOFError("the other end closed the connection")
        got += k
    return bytes(buf)


class _NoGlobals(pickle.Unpickler):
    def find_class(self, module, name):
        raise WireError(f"a reply naming {module}.{name}")

    def persistent_load(self, pid):
        raise WireError("a reply with a persistent id")


def loads(data: bytes) -> Any:
    """Unpickle a reply made only of None, bool, int, float, str, bytes, tuple, list, dict, set."""
    try:
        return _NoGlobals(io.BytesIO(data)).load()
    except WireError:
        raise
    except Exception as exc:  # a truncated or malformed frame
        raise WireError(f"an unreadable reply ({type(exc).__name__}: {exc})") from None


# ---------------------------------------------------------------- the worker's side


def _qualname(x: Any) -> tuple[str, str]:
    t = type(x)
    return str(getattr(t, "__module__", "?")), str(getattr(t, "__qualname__", t.__name__))


def _safe_repr(x: Any) -> str:
    try:
        text = repr(x)
    except BaseException as exc:  # noqa: BLE001 — a learner's __repr__ may do anything
        text = f"<{type(x).__name__} whose repr raised {type(exc).__name__}>"
    return text if len(text) <= REPR else text[:REPR - 3] + "..."


def to_wire(x: Any, depth: int = 0, budget: list | None = None) -> Any:
    """``x`` as a tree of builtins (see the module docstring)."""
    import torch
    from tokenizers import Encoding
    from transformers import BatchEncoding
    from transformers.utils import ModelOutput

    budget = budget if budget is not None else [MAX_ITEMS]
    budget[0] -= 1
    if budget[0] < 0 or depth > MAX_DEPTH:
        return ("opaque", *_qualname(x), "<too deep or too large to send>")
    t = type(x)
    if t in SCALARS:
        return ("v", x)
    if isinstance(x, torch.Tensor):
        return _tensor(x)
    if isinstance(x, (torch.Size,)):
        return ("size", [int(v) for v in x])
    if t is torch.dtype:
        return ("dtype", str(x).removeprefix("torch."))
    if t is torch.device:
        return ("device", str(x))
    if t is Encoding:
        return ("encoding", x.__getstate__())
    if t is BatchEncoding:  # read its fields directly: an unpickled one lacks n_sequences
        encodings, n_sequences = x.__dict__.get("_encodings"), x.__dict__.get("_n_sequences")
        return ("batch", [(to_wire(k, depth + 1, budget), to_wire(v, depth + 1, budget)) for k, v in x.data.items()],
                None if encodings is None else [e.__getstate__() for e in encodings],
                n_sequences if type(n_sequences) is int else None)
    if isinstance(x, ModelOutput):
        return ("output", t.__name__, [(str(k), to_wire(v, depth + 1, budget)) for k, v in x.items()])
    if getattr(t, "__module__", "") == "numpy":
        numeric = _numpy(x)
        if numeric is not None:
            return numeric
    if isinstance(x, torch.nn.Module):  # a module came back where a value was due: its class is what matters
        return ("module", *_qualname(x))
    if t in (list, tuple, set, frozenset):
        return (t.__name__, [to_wire(v, depth + 1, budget) for v in x])
    if t is dict:
        return ("dict", [(to_wire(k, depth + 1, budget), to_wire(v, depth + 1, budget)) for k, v in x.items()])
    return ("opaque", *_qualname(x), _safe_repr(x))


def _numpy(x) -> tuple | None:
    """A numpy array or scalar of numbers (learners return them where an int or a tensor is due)."""
    import numpy as np

    if isinstance(x, (np.ndarray, np.generic)) and x.dtype.kind in NUMPY_KINDS and x.dtype.itemsize <= 16:
        array = np.ascontiguousarray(x) if isinstance(x, np.ndarray) and x.ndim else np.asarray(x)
        tag = "ndarray" if isinstance(x, np.ndarray) else "npscalar"
        return (tag, array.dtype.str, [int(s) for s in array.shape], array.tobytes())
    return None


def _tensor(x) -> tuple:
    import torch

    if x.layout != torch.strided or x.is_quantized or x.is_complex() or x.device.type != "cpu":
        return ("opaque", *_qualname(x), _safe_repr(x))
    data = x.detach().contiguous().reshape(-1)
    raw = data.view(torch.uint8).numpy().tobytes() if data.numel() else b""
    return ("tensor", type(x).__name__, str(x.dtype).removeprefix("torch."), [int(s) for s in x.shape], raw,
            bool(x.requires_grad), type(x.grad_fn).__name__ if x.grad_fn is not None else None)


def error_to_wire(exc: BaseException, where: str = "") -> tuple:
    """A learner's exception: its type's name, the builtin exceptions it derives from, its text."""
    bases = [c.__name__ for c in type(exc).__mro__
             if getattr(builtins, c.__name__, None) is c and issubclass(c, BaseException)]
    try:
        text = str(exc)
    except BaseException:  # noqa: BLE001
        text = "<its message could not be turned into text>"
    return ("error", *_qualname(exc), bases, text[:4000], where)


# ---------------------------------------------------------------- the grader's side


class Opaque:
    """Stands in for a value of a type the wire does not carry (its class takes the learner's type's name)."""

    def __init__(self, text: str):
        self._text = text

    def __repr__(self) -> str:
        return self._text


_OPAQUE: dict[tuple[str, str], type] = {}
_ERRORS: dict[tuple, type] = {}


def _opaque_class(module: str, qualname: str) -> type:
    key = (module, qualname)
    if key not in _OPAQUE:
        _OPAQUE[key] = type(qualname.rsplit(".", 1)[-1], (Opaque,), {"__module__": module, "__qualname__": qualname})
    return _OPAQUE[key]


_MODULES: dict[tuple[str, str], type] = {}


def _module_class(module: str, qualname: str) -> type:
    """An empty ``torch.nn.Module`` class named as the learner's module was (its weights do not cross)."""
    import torch

    key = (module, qualname)
    if key not in _MODULES:
        _MODULES[key] = type(qualname.rsplit(".", 1)[-1], (torch.nn.Module,),
                             {"__module__": module, "__qualname__": qualname})
    return _MODULES[key]


def _str(x: Any, what: str) -> str:
    if type(x) is not str:
        raise WireError(f"{what} is not text")
    return x


def from_wire(tree: Any, depth: int = 0) -> Any:
    """The value a tree from :func:`to_wire` stands for; :class:`WireError` for anything else."""
    if depth > MAX_DEPTH + 1 or type(tree) is not tuple or not tree or type(tree[0]) is not str:
        raise WireError("a value that is not a tagged tuple")
    tag, rest = tree[0], tree[1:]
    try:
        if tag == "v":
            (value,) = rest
            if type(value) not in SCALARS:
                raise WireError("a scalar of another type")
            return value
        if tag == "tensor":
            return _tensor_from(*rest)
        if tag in ("list", "tuple", "set", "frozenset"):
            (items,) = rest
            return {"list": list, "tuple": tuple, "set": set, "frozenset": frozenset}[tag](
                from_wire(v, depth + 1) for v in _list(items))
        if tag == "dict":
            (items,) = rest
            return {from_wire(k, depth + 1): from_wire(v, depth + 1) for k, v in _pairs(items)}
        if tag == "size":
            import torch

            return torch.Size([_int(v) for v in _list(rest[0])])
        if tag == "dtype":
            return _dtype(rest[0])
        if tag == "device":
            import torch

            return torch.device(_str(rest[0], "a device"))
        if tag == "encoding":
            return _encoding(rest[0])
        if tag in ("ndarray", "npscalar"):
            return _numpy_from(tag, *rest)
        if tag == "batch":
            from transformers import BatchEncoding

            items, encodings, n_sequences = rest
            data = {from_wire(k, depth + 1): from_wire(v, depth + 1) for k, v in _pairs(items)}
            encs = None if encodings is None else [_encoding(e) for e in _list(encodings)]
            return BatchEncoding(data, encoding=encs, n_sequences=None if n_sequences is None else _int(n_sequences))
        if tag == "output":
            return _output(rest[0], rest[1], depth)
        if tag == "module":
            return _module_class(*(_str(v, "a module's class") for v in rest))()
        if tag == "opaque":
            module, qualname, text = (_str(v, "an opaque value") for v in rest)
            return _opaque_class(module, qualname)(text)
        if tag == "error":
            return error_from_wire(tree)
    except WireError:
        raise
    except (ValueError, TypeError, RuntimeError, OverflowError, KeyError, AttributeError) as exc:
        raise WireError(f"a malformed {tag!r} value ({type(exc).__name__}: {exc})") from None
    raise WireError(f"an unknown tag {tag!r}")


def _list(x) -> list:
    if type(x) is not list:
        raise WireError("a list expected")
    return x


def _pairs(x) -> list:
    items = _list(x)
    if any(type(p) is not tuple or len(p) != 2 for p in items):
        raise WireError("pairs expected")
    return items


def _int(x) -> int:
    if type(x) is not int:
        raise WireError("an int expected")
    return x


def _dtype(name):
    import torch

    value = getattr(torch, _str(name, "a dtype"), None)
    if type(value) is not torch.dtype:
        raise WireError(f"no dtype {name!r}")
    return value


def rebuild_tensor(*fields) -> Any:
    """A tensor from :func:`to_wire`'s fields (how the grader's arguments reach the worker)."""
    return _tensor_from(*fields)


def _tensor_from(cls: str, dtype: str, shape: list, raw: bytes, requires_grad: bool, grad_fn) -> Any:
    import torch

    dt = _dtype(dtype)
    shape = [_int(s) for s in _list(shape)]
    if any(s < 0 for s in shape) or type(raw) is not bytes or type(requires_grad) is not bool:
        raise WireError("a malformed tensor")
    numel = 1
    for s in shape:
        numel *= s
    itemsize = torch.empty((), dtype=dt).element_size()
    if len(raw) != numel * itemsize:
        raise WireError(f"a tensor of shape {shape} with {len(raw)} bytes")
    if numel == 0:
        t = torch.empty(shape, dtype=dt)
    else:
        t = torch.frombuffer(bytearray(raw), dtype=torch.uint8).view(dt).reshape(shape)
    if requires_grad and (t.is_floating_point() or t.is_complex()):
        t.requires_grad_(True)
    if cls == "Parameter":
        t = torch.nn.Parameter(t, requires_grad=requires_grad and t.is_floating_point())
    return t


def _numpy_from(tag: str, dtype: str, shape: list, raw: bytes) -> Any:
    import numpy as np

    dt = np.dtype(_str(dtype, "a numpy dtype"))
    shape = [_int(s) for s in _list(shape)]
    if dt.kind not in NUMPY_KINDS or dt.hasobject or dt.itemsize > 16 or any(s < 0 for s in shape) \
            or type(raw) is not bytes or (tag == "npscalar" and shape):
        raise WireError(f"a numpy value of dtype {dtype!r} and shape {shape}")
    count = 1
    for s in shape:
        count *= s
    if len(raw) != count * dt.itemsize:
        raise WireError(f"a numpy value of shape {shape} with {len(raw)} bytes")
    array = np.frombuffer(raw, dtype=dt).reshape(shape).copy()
    return array[()] if tag == "npscalar" else array


def _encoding(state):
    from tokenizers import Encoding

    if type(state) is not bytes:
        raise WireError("an Encoding's state is not bytes")
    enc = Encoding.__new__(Encoding)
    try:
        enc.__setstate__(state)
    except Exception as exc:
        raise WireError(f"an unreadable Encoding ({exc})") from None
    return enc


def _output(name, items, depth):
    from transformers import modeling_outputs
    from transformers.utils import ModelOutput

    cls = getattr(modeling_outputs, _str(name, "an output's class"), None)
    if not (isinstance(cls, type) and issubclass(cls, ModelOutput)):
        raise WireError(f"no model output class {name!r}")
    return cls(**{_str(k, "a field"): from_wire(v, depth + 1) for k, v in _pairs(items)})


def error_from_wire(tree) -> BaseException:
    """An exception standing in for the learner's: same type name, a builtin base, the same text."""
    if type(tree) is not tuple or len(tree) != 6 or tree[0] != "error":
        raise WireError("a malformed error")
    _, module, qualname, bases, text, where = tree
    module, qualname, text, where = (_str(v, "an error field") for v in (module, qualname, text, where))
    base = Exception
    for name in _list(bases):
        candidate = getattr(builtins, _str(name, "a base"), None)
        if isinstance(candidate, type) and issubclass(candidate, Exception):
            try:
                candidate(text)
            except Exception:  # e.g. UnicodeDecodeError needs five arguments
                continue
            base = candidate
            break
    key = (module, qualname, base)
    if key not in _ERRORS:
        _ERRORS[key] = type(qualname.rsplit(".", 1)[-1], (base,), {
            "__module__": module, "__qualname__": qualname, "__str__": lambda self: self.args[0] if self.args else ""})
    exc = _ERRORS[key](text)
    exc.where = where
    return exc
