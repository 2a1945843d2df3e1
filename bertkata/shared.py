"""The warm state of a process: one tokenizer, one ``BertModel``, and the guard that keeps them pristine.

Everything that needs them — the pytest fixtures, ``watch``, ``check``, ``compare`` — goes through
:func:`tokenizer`, :func:`model` and :func:`restore`; nothing else holds them. The other models an
exercise needs (:data:`MODELS`: ``masked_lm``, a ``BertForMaskedLM``; ``classifier``, a
``BertForSequenceClassification``) are shared, guarded and restored the same way, each loaded on first
use (:func:`masked_lm`, :func:`classifier`, :func:`get`). A grading sandbox's worker holds its own, and
the grader's stand for them by name.

:func:`restore` puts back, or reloads, whatever a test or a learner's code changed:

- the model's train/eval flag on every submodule, ``requires_grad``, ``.grad``;
- its weights and buffers, every element, against a copy taken at load (writes through ``.data``
  included, which no version counter sees);
- its structure: hooks of every sort, attributes set on a module (``LayerNorm.eps``, a ``forward``
  set on the instance), replaced parameters or buffers, config fields (``return_dict``,
  ``output_hidden_states``, ...): the model is reloaded from disk;
- the tokenizer's settings, vocabulary and special tokens (reloaded when they changed);
- torch's global state: grad mode, default dtype, deterministic algorithms, thread count, anomaly
  detection, global module hooks.
"""

from __future__ import annotations

from typing import Any

_STATE: dict[str, Any] = {}
TOKENIZER_SETTINGS = ("padding_side", "truncation_side", "model_max_length")
_HOOKS = ("_forward_hooks", "_forward_pre_hooks", "_backward_hooks", "_backward_pre_hooks",
          "_state_dict_hooks", "_state_dict_pre_hooks", "_load_state_dict_pre_hooks",
          "_load_state_dict_post_hooks")
_SIMPLE = (bool, int, float, str, bytes, type(None))
# Every shared model, by the name it is referred to across the sandbox: its loader in bertkata.source.
MODELS = {"model": "load_model", "masked_lm": "load_masked_lm", "classifier": "load_classifier"}


def source():
    """The resolved :class:`bertkata.source.ModelSource` (resolved once per process)."""
    if "source" not in _STATE:
        from bertkata.source import resolve

        _STATE["source"] = resolve()
    return _STATE["source"]


def tokenizer():
    """bert-base-chinese's tokenizer, loaded once per process."""
    if "tokenizer" not in _STATE:
        from bertkata.source import load_tokenizer

        tok = load_tokenizer(source())
        _STATE["tokenizer"] = tok
        _STATE["tokenizer_state"] = _tokenizer_state(tok)
        _STATE["tokenizer_settings"] = {k: getattr(tok, k) for k in TOKENIZER_SETTINGS}
    return _STATE["tokenizer"]


def model():
    """``BertModel`` in eval mode, loaded once per process (with a copy of its weights to restore from)."""
    if "model" not in _STATE:
        _load_model()
    return _STATE["model"]


def masked_lm():
    """``BertForMaskedLM`` in eval mode (its decoder tied to the word embeddings), loaded once per process
    on first use, guarded like :func:`model`."""
    return get("masked_lm")


def classifier():
    """``BertForSequenceClassification`` (2 labels, its head drawn from a fixed seed) in eval mode, loaded
    once per process on first use, guarded like :func:`model`."""
    return get("classifier")


def get(name: str):
    """The shared object called ``name``: ``"tokenizer"`` or one of :data:`MODELS` (loaded on first use)."""
    if name == "tokenizer":
        return tokenizer()
    if name not in MODELS:
        raise KeyError(f"no shared object called {name!r}")
    if name not in _STATE:
        _load_model(name)
    return _STATE[name]


def name_of(x) -> str | None:
    """The name of ``x`` if it is one of this process's shared objects (without loading any)."""
    for name in ("tokenizer", *MODELS):
        if name in _STATE and x is _STATE[name]:
            return name
    return None


def is_shared(x) -> bool:
    """Whether ``x`` is this process's tokenizer or one of its shared models (without loading any)."""
    return name_of(x) is not None


def loaded(name: str) -> bool:
    """Whether ``"tokenizer"`` or a model of :data:`MODELS` is loaded in this process (without loading it)."""
    return name in _STATE


def _weights_key(name: str) -> str:
    return "weights" if name == "model" else f"{name}:weights"


def _structure_key(name: str) -> str:
    return "structure" if name == "model" else f"{name}:structure"


def pristine(name: str = "model") -> dict:
    """The weights and buffers of shared model ``name`` as loaded, by name (load it first)."""
    return _STATE[_weights_key(name)]


def _load_model(name: str = "model") -> None:
    import torch

    from bertkata import source as sources

    m = getattr(sources, MODELS[name])(source())
    _STATE[name] = m
    if _weights_key(name) not in _STATE:  # the same files on every reload: one copy serves
        with torch.no_grad():
            _STATE[_weights_key(name)] = {k: v.detach().clone() for k, v in _tensors(m)}
    _STATE[_structure_key(name)] = _structure(m)


# ---------------------------------------------------------------- torch's global state


def global_state() -> dict:
    """torch's process-wide settings a test or learner can change."""
    import torch
    from torch.nn.modules import module as nn_module

    hooks = {n: len(getattr(nn_module, n)) for n in dir(nn_module) if n.startswith("_global_") and n.endswith("hooks")}
    return {"grad": torch.is_grad_enabled(), "dtype": torch.get_default_dtype(),
            "deterministic": torch.are_deterministic_algorithms_enabled(),
            "deterministic_warn_only": torch.is_deterministic_algorithms_warn_only_enabled(),
            "threads": torch.get_num_threads(), "anomaly": torch.is_anomaly_enabled(), "hooks": hooks}


def restore_globals(saved: dict) -> list[str]:
    """Put torch's global settings back to ``saved`` (from :func:`global_state`); returns what had changed."""
    import torch
    from torch.nn.modules import module as nn_module

    now = global_state()
    changed = [k for k in saved if now[k] != saved[k]]
    torch.set_grad_enabled(saved["grad"])
    if now["dtype"] != saved["dtype"]:
        torch.set_default_dtype(saved["dtype"])
    if (now["deterministic"], now["deterministic_warn_only"]) != (saved["deterministic"],
                                                                  saved["deterministic_warn_only"]):
        torch.use_deterministic_algorithms(saved["deterministic"], warn_only=saved["deterministic_warn_only"])
    if now["threads"] != saved["threads"]:
        torch.set_num_threads(saved["threads"])
    if now["anomaly"] != saved["anomaly"]:
        torch.autograd.set_detect_anomaly(saved["anomaly"])
    for name, count in saved["hooks"].items():
        hooks = getattr(nn_module, name)
        for key in list(hooks)[count:]:  # hooks added since; OrderedDicts keep insertion order
            del hooks[key]
    return changed


# ---------------------------------------------------------------- the model


def _structure(m) -> tuple:
    """Everything about the model but its tensors' values: modules, their attributes and hooks,
    which tensor objects are its parameters and buffers, and its config."""
    import json

    modules = []
    for name, mod in m.named_modules():
        attrs = tuple(sorted(
            (k, v if isinstance(v, _SIMPLE) else ("object", id(v)))
            for k, v in vars(mod).items()
            if not k.startswith("_") and k != "training"))
        hooks = tuple(len(getattr(mod, h, ())) for h in _HOOKS)
        tensors = tuple((k, id(v)) for k, v in (*mod._parameters.items(), *mod._buffers.items()))
        modules.append((name, type(mod), attrs, hooks, tensors, tuple(mod._modules)))
    config = json.dumps(m.config.to_dict(), sort_keys=True, default=str)
    return tuple(modules), config


def _same_bytes(a, b) -> bool:
    """Bit-for-bit equality (NaN equals itself). numpy compares 8-byte words about 20x faster here than
    torch.equal compares floats: 30 ms for bert-base's 102 M numbers."""
    import numpy as np
    import torch

    x, y = a.detach().reshape(-1).view(torch.uint8).numpy(), b.reshape(-1).view(torch.uint8).numpy()
    if x.size % 8 == 0 and y.size == x.size:
        x, y = x.view(np.int64), y.view(np.int64)
    return np.array_equal(x, y)


def _tensors(m):
    """Parameters and every buffer, non-persistent ones (position_ids) included: state_dict() skips those."""
    return [*m.named_parameters(), *m.named_buffers()]


def _restore_modes_and_grads(m) -> None:
    m.eval()
    for p in m.parameters():
        p.requires_grad_(True)
    m.zero_grad(set_to_none=True)


def changed_weights(name: str = "model") -> list[str]:
    """The names of shared model ``name``'s parameters and buffers whose bytes differ from the pristine copy."""
    m, weights = _STATE[name], _STATE[_weights_key(name)]
    return [k for k, v in _tensors(m) if k not in weights or not _same_bytes(v, weights[k])]


def restore_model(name: str = "model") -> list[str]:
    """Put shared model ``name`` back as it was loaded; returns what had changed ("reloaded" when its
    structure or config changed and it was loaded afresh). A no-op when it is not loaded."""
    import torch

    if name not in _STATE:
        return []
    m = _STATE[name]
    changed = []
    if any(p.requires_grad is False for p in m.parameters()):
        changed.append("requires_grad")
    _restore_modes_and_grads(m)
    if _structure(m) != _STATE[_structure_key(name)]:
        _load_model(name)
        return changed + ["reloaded"]
    with torch.no_grad():
        for k, v in _tensors(m):
            want = _STATE[_weights_key(name)].get(k)
            if want is None:
                _load_model(name)
                return changed + ["reloaded"]
            if v.shape != want.shape or v.dtype != want.dtype:
                _load_model(name)
                return changed + ["reloaded"]
            if not _same_bytes(v, want):
                v.data.copy_(want)
                changed.append(k)
    return changed


def restore_models() -> list[str]:
    """Every loaded shared model back as it was loaded (see :func:`restore_model`)."""
    return [c for name in MODELS for c in restore_model(name)]


# ---------------------------------------------------------------- the tokenizer


def _tokenizer_state(tok) -> tuple:
    special = tuple(sorted(tok.special_tokens_map.items(), key=str))
    return len(tok), special, tuple(sorted(tok.added_tokens_encoder.items()))


def restore_tokenizer() -> list[str]:
    """Put the shared tokenizer's settings back (reloading it if its vocabulary or special tokens
    changed); returns what had changed."""
    if "tokenizer" not in _STATE:
        return []
    tok = _STATE["tokenizer"]
    changed = []
    if _tokenizer_state(tok) != _STATE["tokenizer_state"]:
        del _STATE["tokenizer"]
        tokenizer()
        return ["reloaded"]
    for k, v in _STATE["tokenizer_settings"].items():
        if getattr(tok, k) != v:
            setattr(tok, k, v)
            changed.append(k)
    tok.backend_tokenizer.no_padding()
    tok.backend_tokenizer.no_truncation()
    return changed


def restore(saved_globals: dict | None = None) -> list[str]:
    """Everything back: torch's global state (to ``saved_globals``), the tokenizer, the model."""
    changed = restore_globals(saved_globals) if saved_globals is not None else []
    return changed + restore_tokenizer() + restore_models()
