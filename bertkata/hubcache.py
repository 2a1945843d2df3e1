"""A Hugging Face cache made on the spot, a network that is not there, and what a loaded model is.

For exercise 06 (loading offline). Everything here runs where the learner's call runs (in the test
process, or in the grading sandbox's worker, see :func:`bertkata.calls.observe`'s ``within`` and
``facts``), so it lives in this package, which the worker imports.

- :func:`unplugged`: a context manager that points ``huggingface_hub``'s default cache
  (``constants.HF_HUB_CACHE``, read at each call) at a fresh temporary folder laid out as the hub's
  cache is (``models--google-bert--bert-base-chinese/snapshots/<commit>/``, ``refs/main``; see
  https://huggingface.co/docs/huggingface_hub/guides/manage-cache), holding links to the kata's model
  files, or nothing; switches offline mode off and unsets ``HF_HUB_OFFLINE`` and ``TRANSFORMERS_OFFLINE``,
  as on a learner's machine that never set them; and makes every connection fail, noting the host it was for. Everything is put back on exit.
- :func:`loaded_facts`: plain facts about a tokenizer or a model (class, ``is_fast``, vocabulary,
  train/eval mode, config, a fingerprint of the weights), which cross the sandbox as data.
"""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Any

COMMIT = "0123456789abcdef0123456789abcdef01234567"  # a snapshot's folder is named by a 40-hex commit
REPOS = ("google-bert/bert-base-chinese", "bert-base-chinese")
HF_KEYS = ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_HOME", "HF_HUB_CACHE", "HF_ENDPOINT")
OFFLINE_KEYS = ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")
PROBE = ["我觉得不行", "我用Apple手机，ＯＫ"]  # uppercase English is [UNK] with do_lower_case false


class NetworkBlocked(RuntimeError):
    """A connection was attempted while the network is unplugged (not an OSError: not retried)."""


def repo_folder(repo_id: str) -> str:
    """The cache's folder name for a model: ``models--google-bert--bert-base-chinese``."""
    return "models--" + repo_id.replace("/", "--")


def lay_out(cache: Path, source: Path, repos: tuple[str, ...] = REPOS) -> None:
    """``cache`` as the hub's cache holding ``source``'s files under each of ``repos``."""
    for repo in repos:
        top = cache / repo_folder(repo)
        snapshot = top / "snapshots" / COMMIT
        snapshot.mkdir(parents=True, exist_ok=True)
        for f in Path(source).iterdir():
            if f.is_file():
                (snapshot / f.name).symlink_to(f.resolve())
        (top / "refs").mkdir(exist_ok=True)
        (top / "refs" / "main").write_text(COMMIT)


@contextmanager
def unplugged(source: str | None = None):
    """Run a call on a machine with no network and a Hugging Face cache holding ``source`` (a model
    folder; None: an empty cache). Yields a dict that gets, on exit, ``network`` (the hosts a
    connection was attempted to) and ``environment`` ([name, before, after] of each ``HF_*`` variable the
    call changed)."""
    from huggingface_hub import constants
    from huggingface_hub.utils import build_hf_headers

    notes: dict[str, Any] = {"network": [], "environment": []}
    saved_env = {k: os.environ.get(k) for k in HF_KEYS}
    for k in OFFLINE_KEYS:  # as on a machine where they were never set
        os.environ.pop(k, None)
    env_before = {k: os.environ.get(k) for k in HF_KEYS}
    saved = (constants.HF_HUB_CACHE, constants.HF_HUB_OFFLINE)
    folder = Path(tempfile.mkdtemp(prefix="kata-hf-cache-"))
    if source is not None:
        lay_out(folder, Path(source))
    # huggingface_hub looks up an agent registry once per process (offline: it does not); do it now,
    # so that what is noted below is the call's own
    constants.HF_HUB_OFFLINE = True
    try:
        build_hf_headers()
    except Exception:  # noqa: BLE001 — only a warm-up
        pass
    real = socket.getaddrinfo, socket.socket.connect

    def getaddrinfo(host, *args, **kwargs):
        notes["network"].append(str(host))
        raise NetworkBlocked(f"no network here: a connection to {host} was attempted")

    def connect(self, address):
        notes["network"].append(str(address[0]) if isinstance(address, tuple) else str(address))
        raise NetworkBlocked(f"no network here: a connection to {address} was attempted")

    constants.HF_HUB_CACHE, constants.HF_HUB_OFFLINE = str(folder), False
    socket.getaddrinfo, socket.socket.connect = getaddrinfo, connect
    try:
        yield notes
    finally:
        socket.getaddrinfo, socket.socket.connect = real
        constants.HF_HUB_CACHE, constants.HF_HUB_OFFLINE = saved
        notes["environment"] = [[k, v, os.environ.get(k)] for k, v in env_before.items() if os.environ.get(k) != v]
        for k, v in saved_env.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        shutil.rmtree(folder, ignore_errors=True)


def loaded_facts(value: Any, probe: list[str] | None = None) -> dict[str, Any]:
    """What a loaded tokenizer or model is, as plain data (``{}`` for anything else); a tokenizer's
    ``probe`` holds the ``input_ids`` it gives the sentences ``probe`` (default :data:`PROBE`)."""
    import torch
    from transformers import PreTrainedModel, PreTrainedTokenizerBase

    if isinstance(value, PreTrainedTokenizerBase):
        try:
            ids = value(list(probe or PROBE))["input_ids"]
        except Exception as exc:  # noqa: BLE001 — a tokenizer that cannot encode says so
            ids = f"{type(exc).__name__}: {exc}"[:300]
        return {"kind": "tokenizer", "class": type(value).__name__, "is_fast": bool(value.is_fast),
                "len": len(value), "cls_token_id": value.cls_token_id, "pad_token_id": value.pad_token_id,
                "model_max_length": value.model_max_length, "name_or_path": str(value.name_or_path),
                "probe": ids}
    if isinstance(value, torch.nn.Module):
        modules = list(value.modules())
        config = getattr(value, "config", None)
        plain = (bool, int, float, str, type(None))
        params = dict(value.named_parameters())
        with torch.no_grad():
            fingerprint = {n: [p.sum(dtype=torch.float64).item(), p.abs().sum(dtype=torch.float64).item()]
                           for n, p in params.items()}
        return {"kind": "model", "class": type(value).__name__,
                "is_pretrained_model": isinstance(value, PreTrainedModel),
                "training": bool(value.training), "modules_training": sum(m.training for m in modules),
                "modules": len(modules),
                "config": {k: v for k, v in config.to_dict().items() if type(v) in plain}
                if config is not None else None,
                "dtypes": sorted({str(p.dtype).removeprefix("torch.") for p in params.values()}),
                "requiring_grad": sum(p.requires_grad for p in params.values()), "parameters": len(params),
                "fingerprint": fingerprint}
    return {}
