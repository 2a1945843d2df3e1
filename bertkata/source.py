"""Where the kata's bert-base-chinese comes from.

Resolution order (DESIGN.md, "The model source"):

1. ``KATA_MODEL``: a folder, or a hub id already in the local Hugging Face cache.
2. ``bert-base-chinese`` / ``google-bert/bert-base-chinese`` in the local
   Hugging Face cache (``local_files_only=True``): real pretrained weights.
3. The replica: the real vocabulary (21128 lines, taken from the ``cn-clip``
   1.6.0 wheel), the real tokenizer settings and the real architecture, with
   weights drawn from a fixed seed. Built once into :func:`cache_dir`.

Nothing here touches the network except the replica's one-off
``pip download`` of the ``cn-clip`` wheel (a package registry, not the hub).
This module imports neither torch nor transformers at import time: the
tokenizer-only exercises must stay cheap to start.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

VOCAB_SHA256 = "45bbac6b341c319adc98a532532882e91a9cefc0329aa57bac9ae761c27b291c"
VOCAB_LINES = 21128
VOCAB_WHEEL = "cn-clip==1.6.0"
VOCAB_IN_WHEEL = "cn_clip/clip/vocab.txt"
HUB_IDS = ("google-bert/bert-base-chinese", "bert-base-chinese")
REPLICA_SEED = 20201118
REPLICA_FORMAT = 2  # 2: trained-like weights and the pre-training heads (bert.*, cls.*)
CLASSIFIER_SEED = 20201119  # load_classifier's new head

# bert-base-chinese's config.json on the hub, minus the unused pooler_* keys.
BERT_BASE_CHINESE_CONFIG = {
    "architectures": ["BertForMaskedLM"],
    "model_type": "bert",
    "vocab_size": 21128,
    "hidden_size": 768,
    "num_hidden_layers": 12,
    "num_attention_heads": 12,
    "intermediate_size": 3072,
    "hidden_act": "gelu",
    "hidden_dropout_prob": 0.1,
    "attention_probs_dropout_prob": 0.1,
    "max_position_embeddings": 512,
    "type_vocab_size": 2,
    "initializer_range": 0.02,
    "layer_norm_eps": 1e-12,
    "pad_token_id": 0,
}

# bert-base-chinese's tokenizer_config.json; tokenizer_class makes AutoTokenizer
# read vocab.txt (transformers 5.x BertTokenizerFast(vocab_file=...) ignores it).
TOKENIZER_CONFIG = {
    "tokenizer_class": "BertTokenizer",
    "do_lower_case": False,
    "tokenize_chinese_chars": True,
    "strip_accents": None,
    "model_max_length": 512,
    "unk_token": "[UNK]",
    "sep_token": "[SEP]",
    "pad_token": "[PAD]",
    "cls_token": "[CLS]",
    "mask_token": "[MASK]",
}

MARKER = "kata-replica.json"
# keys every replica checkpoint holds, as bert-base-chinese's does: the encoder and both pre-training heads
CHECKPOINT_KEYS = ("bert.embeddings.word_embeddings.weight", "bert.pooler.dense.weight", "cls.predictions.bias",
                   "cls.predictions.transform.dense.weight", "cls.seq_relationship.weight")
REPLICA_FILES = ("vocab.txt", "tokenizer_config.json", "config.json", "model.safetensors", MARKER)


class ModelSourceError(RuntimeError):
    """The model source cannot be used; the message says what to do."""


@dataclass(frozen=True)
class ModelSource:
    """A resolved model folder.

    ``kind`` is ``"KATA_MODEL"``, ``"hf-cache"`` or ``"replica"``; ``pretrained``
    tells whether the weights are the real pretrained ones.
    """

    kind: str
    path: Path
    pretrained: bool

    def describe(self) -> str:
        weights = "pretrained weights" if self.pretrained else "replica weights (fixed seed, not pretrained)"
        return f"{self.kind}: {self.path} [{weights}]"


def cache_dir() -> Path:
    """The kata's cache folder: ``KATA_CACHE_DIR``, else the user's cache folder."""
    env = os.environ.get("KATA_CACHE_DIR")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("bert-kata", appauthor=False))


def replica_dir() -> Path:
    return cache_dir() / "bert-base-chinese-replica"


def _log(msg: str) -> None:
    print(f"bert-kata: {msg}", file=sys.stderr, flush=True)


def _is_replica(folder: Path) -> bool:
    return (folder / MARKER).is_file()


def _has_model_files(folder: Path) -> bool:
    weights = any((folder / n).is_file() for n in ("model.safetensors", "pytorch_model.bin"))
    return (folder / "config.json").is_file() and (folder / "vocab.txt").is_file() and weights


def _from_hf_cache(repo_id: str) -> Path | None:
    try:
        from huggingface_hub import snapshot_download

        folder = Path(snapshot_download(repo_id, local_files_only=True))
    except Exception:  # not cached, or a half-written cache entry
        return None
    return folder if _has_model_files(folder) else None


def resolve(build: bool = True) -> ModelSource:
    """Resolve the model source in the documented order.

    Raises :class:`ModelSourceError` when ``KATA_MODEL`` names nothing usable
    or the replica cannot be built. With ``build=False`` the replica is
    located but not built or verified.
    """
    env = os.environ.get("KATA_MODEL")
    if env:
        folder = Path(env).expanduser()
        if not folder.exists():
            cached = _from_hf_cache(env)
            if cached is None:
                raise ModelSourceError(
                    f"KATA_MODEL={env!r} is neither a folder nor a model in the local Hugging Face cache. "
                    "Point it at a folder holding config.json, vocab.txt and model.safetensors, or unset it "
                    "to use the replica."
                )
            folder = cached
        elif not _has_model_files(folder):
            raise ModelSourceError(
                f"KATA_MODEL={env!r} lacks config.json, vocab.txt or model weights. "
                "Point it at a bert-base-chinese folder, or unset it to use the replica."
            )
        return ModelSource("KATA_MODEL", folder.resolve(), pretrained=not _is_replica(folder))
    for repo_id in HUB_IDS:
        folder = _from_hf_cache(repo_id)
        if folder is not None:
            return ModelSource("hf-cache", folder, pretrained=True)
    folder = ensure_replica() if build else replica_dir()
    return ModelSource("replica", folder, pretrained=False)


# ---------------------------------------------------------------- the replica


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _safetensors_problem(path: Path) -> str | None:
    """Check a safetensors file's header against its size, without reading the tensors."""
    try:
        size = path.stat().st_size
        with open(path, "rb") as f:
            raw = f.read(8)
            if len(raw) < 8:
                return "model.safetensors is truncated"
            (n,) = struct.unpack("<Q", raw)
            if n > size - 8:
                return "model.safetensors is truncated"
            header = json.loads(f.read(n))
    except (OSError, ValueError) as exc:
        return f"model.safetensors is unreadable ({exc})"
    ends = [v["data_offsets"][1] for k, v in header.items() if k != "__metadata__"]
    if not ends or 8 + n + max(ends) != size:
        return "model.safetensors is truncated or padded"
    for key in CHECKPOINT_KEYS:
        if key not in header:
            return f"model.safetensors lacks {key}"
    return None


def replica_problem(folder: Path) -> str | None:
    """What is wrong with a replica folder, or ``None`` when it is sound."""
    for name in REPLICA_FILES:
        if not (folder / name).is_file():
            return f"{name} is missing"
    if _sha256(folder / "vocab.txt") != VOCAB_SHA256:
        return "vocab.txt does not match bert-base-chinese's (sha256 differs)"
    try:
        marker = json.loads((folder / MARKER).read_text())
        config = json.loads((folder / "config.json").read_text())
        tok_config = json.loads((folder / "tokenizer_config.json").read_text())
    except ValueError:
        return "a JSON file is corrupt"
    if marker.get("format") != REPLICA_FORMAT:
        return "it was built by another version of bert-kata"
    if any(config.get(k) != v for k, v in BERT_BASE_CHINESE_CONFIG.items()):
        return "config.json differs from bert-base-chinese's"
    if any(tok_config.get(k) != v for k, v in TOKENIZER_CONFIG.items()):
        return "tokenizer_config.json differs from bert-base-chinese's"
    return _safetensors_problem(folder / "model.safetensors")


def _vocab_problem(path: Path) -> str | None:
    if _sha256(path) != VOCAB_SHA256:
        return f"{path} is not bert-base-chinese's vocab.txt (sha256 differs)"
    return None


def _vocab_unavailable(reason: str) -> ModelSourceError:
    return ModelSourceError(
        "cannot get bert-base-chinese's vocabulary: "
        f"{reason}\n"
        "Fix it one of these ways:\n"
        f"  - connect to PyPI once, so `{sys.executable} -m pip download --no-deps {VOCAB_WHEEL}` works;\n"
        f"  - copy bert-base-chinese's vocab.txt (21128 lines) to {cache_dir() / 'vocab.txt'} "
        "or point KATA_VOCAB at it;\n"
        "  - set KATA_MODEL=/path/to/bert-base-chinese (a folder with config.json, vocab.txt, model.safetensors)."
    )


def _fetch_vocab(dest: Path) -> None:
    """Put the real vocab.txt at ``dest``: from KATA_VOCAB, the cache folder, or the cn-clip wheel."""
    for candidate in (os.environ.get("KATA_VOCAB"), cache_dir() / "vocab.txt"):
        if candidate and Path(candidate).is_file():
            problem = _vocab_problem(Path(candidate))
            if problem:
                raise _vocab_unavailable(problem)
            shutil.copyfile(candidate, dest)
            return
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--disable-pip-version-check",
               "--quiet", VOCAB_WHEEL, "-d", tmp]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise _vocab_unavailable(f"pip could not run ({exc})") from None
        wheels = list(Path(tmp).glob("*.whl"))
        if proc.returncode != 0 or not wheels:
            last = (proc.stderr.strip().splitlines() or ["no output"])[-1]
            raise _vocab_unavailable(f"`pip download {VOCAB_WHEEL}` failed ({last})")
        try:
            with zipfile.ZipFile(wheels[0]) as wheel:
                data = wheel.read(VOCAB_IN_WHEEL)
        except (KeyError, zipfile.BadZipFile) as exc:
            raise _vocab_unavailable(f"the wheel has no usable {VOCAB_IN_WHEEL} ({exc})") from None
    dest.write_bytes(data)
    problem = _vocab_problem(dest)
    if problem:
        raise _vocab_unavailable(problem)


# The spread of each kind of parameter, chosen to be of the order a trained bert-base shows (no published
# table of bert-base-chinese's statistics was found): LayerNorm weights near 1 but not 1 and different per
# channel, small non-zero biases, word embeddings a little wider than position and token type ones. The
# matrices keep BERT's initialiser, N(0, initializer_range = 0.02): random matrices twice as wide (0.04)
# make the 12 layers map every token to nearly one vector (cosine 1.0 between tokens), which a trained
# model does not, and a plain mean over a padded batch would then look like the masked one.
# (mean, std) of a normal draw, by the end of the parameter's name.
_SPREAD = (
    ("LayerNorm.weight", (0.9, 0.1)),
    ("LayerNorm.bias", (0.0, 0.05)),
    ("word_embeddings.weight", (0.0, 0.04)),
    ("position_embeddings.weight", (0.0, 0.02)),
    ("token_type_embeddings.weight", (0.0, 0.02)),
    ("cls.predictions.bias", (-1.0, 0.5)),  # the masked-LM head's per-token output bias
    ("bias", (0.0, 0.02)),
    ("weight", (0.0, 0.02)),
)


def _spread(name: str) -> tuple[float, float]:
    return next(s for end, s in _SPREAD if name.endswith(end))


def _write_weights(folder: Path) -> None:
    """model.safetensors with the keys and shapes of bert-base-chinese's checkpoint: ``bert.*`` (the
    pooler included) and the pre-training heads ``cls.predictions.*`` (its decoder is tied to the word
    embeddings, so not stored) and ``cls.seq_relationship.*``, each drawn from the fixed seed."""
    import torch
    from safetensors.torch import save_file
    from transformers import BertConfig, BertForPreTraining

    config = BertConfig(**{k: v for k, v in BERT_BASE_CHINESE_CONFIG.items() if k != "architectures"})
    with torch.device("meta"):  # only the names and shapes; no memory, no init cost
        names = BertForPreTraining(config).state_dict()
    gen = torch.Generator().manual_seed(REPLICA_SEED)
    tensors = {}
    for name, meta in names.items():
        if name.startswith("cls.predictions.decoder."):
            continue  # tied: the decoder's weight is the word embeddings, its bias cls.predictions.bias
        mean, std = _spread(name)
        tensors[name] = torch.randn(meta.shape, generator=gen).mul_(std).add_(mean).contiguous()
    tensors["bert.embeddings.word_embeddings.weight"][config.pad_token_id].zero_()  # padding_idx row
    save_file(tensors, str(folder / "model.safetensors"), metadata={"format": "pt"})


def build_replica(dest: Path) -> None:
    """Build the replica into ``dest`` atomically (a temporary folder, then a rename)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".building-", dir=dest.parent))
    try:
        _fetch_vocab(tmp / "vocab.txt")
        (tmp / "tokenizer_config.json").write_text(json.dumps(TOKENIZER_CONFIG, indent=2))
        (tmp / "special_tokens_map.json").write_text(json.dumps(
            {k: TOKENIZER_CONFIG[k] for k in ("unk_token", "sep_token", "pad_token", "cls_token", "mask_token")},
            indent=2))
        (tmp / "config.json").write_text(json.dumps(BERT_BASE_CHINESE_CONFIG, indent=2))
        _write_weights(tmp)
        (tmp / MARKER).write_text(json.dumps(
            {"format": REPLICA_FORMAT, "seed": REPLICA_SEED, "vocab_sha256": VOCAB_SHA256,
             "pretrained": False, "built": time.strftime("%Y-%m-%dT%H:%M:%S")}, indent=2))
        if dest.exists():
            old = dest.with_name(dest.name + f".old-{os.getpid()}")
            os.replace(dest, old)
            shutil.rmtree(old, ignore_errors=True)
        os.replace(tmp, dest)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def ensure_replica() -> Path:
    """Return a sound replica folder, building or rebuilding it under a file lock."""
    from filelock import FileLock

    dest = replica_dir()
    if dest.is_dir() and replica_problem(dest) is None:
        return dest
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ModelSourceError(
            f"cannot use {dest.parent} as the kata's cache folder ({exc.strerror}); "
            "point KATA_CACHE_DIR at a writable folder") from None
    with FileLock(str(dest.parent / ".replica.lock"), timeout=900):
        # holding the lock, any half-built folder is left over from a killed build
        for stale in [*dest.parent.glob(".building-*"), *dest.parent.glob(dest.name + ".old-*")]:
            shutil.rmtree(stale, ignore_errors=True)
        problem = replica_problem(dest) if dest.exists() else None
        if not dest.exists():
            _log(f"building the bert-base-chinese replica in {dest} (once; about 10 s) ...")
        elif problem is None:
            return dest  # another process built it while we waited
        else:
            _log(f"the cached replica is damaged ({problem}); rebuilding it in {dest} ...")
        build_replica(dest)
        problem = replica_problem(dest)
        if problem:
            raise ModelSourceError(f"the replica built in {dest} is unusable: {problem}")
    return dest


# ---------------------------------------------------------------- loading


def load_tokenizer(source: ModelSource | None = None):
    """The bert-base-chinese tokenizer (tokenizers-backed ``BertTokenizer``)."""
    from transformers import AutoTokenizer
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    source = source or resolve()
    return AutoTokenizer.from_pretrained(str(source.path))


def load_model(source: ModelSource | None = None):
    """``BertModel`` in eval mode. Imports ``transformers.BertModel`` (about 9 s cold)."""
    from transformers import BertModel
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    source = source or resolve()
    model = BertModel.from_pretrained(str(source.path))
    return model.eval()


def load_masked_lm(source: ModelSource | None = None):
    """``BertForMaskedLM`` in eval mode: ``BertModel`` without its pooler, plus the masked-LM head
    ``cls.predictions`` whose decoder weight is (``is``) ``bert.embeddings.word_embeddings.weight``
    (``tie_word_embeddings``). Its logits are ``[batch, seq_len, 21128]`` float32. The checkpoint's
    ``cls.seq_relationship.*`` (next-sentence head) and ``bert.pooler.*`` go unused, as with the real
    bert-base-chinese."""
    from transformers import BertForMaskedLM
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    source = source or resolve()
    return BertForMaskedLM.from_pretrained(str(source.path)).eval()


def load_classifier(source: ModelSource | None = None, num_labels: int = 2):
    """``BertForSequenceClassification`` in eval mode, ``num_labels`` classes (logits ``[batch, num_labels]``).

    The checkpoint has no classifier: ``classifier.weight`` ``[num_labels, 768]`` is drawn from
    N(0, ``initializer_range`` = 0.02) and ``classifier.bias`` is zero, as transformers initialises them,
    but from :data:`CLASSIFIER_SEED`: bit-identical on every call and machine. torch's global random
    state is the same after the call as before.

    Raises:
        ValueError: ``num_labels`` is not a positive int.
    """
    import torch
    from transformers import BertForSequenceClassification
    from transformers.utils import logging as hf_logging

    if isinstance(num_labels, bool) or not isinstance(num_labels, int) or num_labels < 1:
        raise ValueError(f"num_labels must be a positive int (2 for a binary task), got {num_labels!r}")
    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    source = source or resolve()
    with torch.random.fork_rng(devices=[]):  # from_pretrained draws the new head from the global generator
        model = BertForSequenceClassification.from_pretrained(str(source.path), num_labels=num_labels)
    gen = torch.Generator().manual_seed(CLASSIFIER_SEED)
    head = model.classifier
    with torch.no_grad():
        head.weight.copy_(torch.randn(head.weight.shape, generator=gen).mul_(model.config.initializer_range))
        head.bias.zero_()
    return model.eval()


def download_real_weights() -> Path:
    """Fetch the real bert-base-chinese from the hub into the Hugging Face cache (online only)."""
    from huggingface_hub import snapshot_download

    return Path(snapshot_download(
        HUB_IDS[0],
        allow_patterns=["config.json", "vocab.txt", "tokenizer_config.json", "tokenizer.json", "model.safetensors"],
    ))
