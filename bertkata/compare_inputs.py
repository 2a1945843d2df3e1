"""How ``bert-kata compare`` calls each exercise's functions on the seed batch.

For every function, :data:`INPUTS` (keyed by exercise and function name) builds
one or more :class:`Call` from a :class:`Seed`: the arguments, made afresh for
each call from the seed sentences ``["我觉得不行", "我觉得其实还可以"]`` with
the reference tokenizer and model (never with the learner's code), so the
learner's function and the solution's get equal, independent inputs. A function
without an entry is called by the names of its parameters when every required
one is in :data:`BY_NAME` (``tokenizer``, ``model``, ``batch``, ...); otherwise
it is "not compared".

:func:`compare_function` calls both implementations and :func:`compare_values`
says whether the outputs agree: shapes, dtypes and the largest difference for
tensors; equality for ids, tokens and offsets.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from bertkata import seed

SEED = seed.SEED
# the seed sentences with "不" and "还可" masked: one [MASK] and two, in a padded batch
MASKED_SEED = ("我觉得[MASK]行", "我觉得其实[MASK][MASK]以")
# float32 forward passes of the same model on the same batch agree to rounding;
# dropout left on, a missing attention_mask or a wrong position moves values by > 1e-2.
RTOL, ATOL = 1e-4, 1e-5
MAX_TEXT = 160


class NotComparable(Exception):
    """The function cannot be called on the seed batch; ``str(self)`` says why."""


@dataclass
class Call:
    """One call of a function: a label for the report, its arguments, what to compare.

    ``observe(result, args)`` turns the call into the value compared (default:
    the return value); ``before(args)`` prepares shared state (e.g. ``model.train()``);
    ``context()`` is a context manager the call runs in (e.g. ``torch.no_grad``).
    """

    label: str
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)
    observe: Callable[[Any, tuple], Any] | None = None
    before: Callable[[tuple], None] | None = None
    context: Callable[[], Any] | None = None


# reference values built from the unchanged model, kept per process (a fork inherits them)
_MEMO: dict = {}


class Seed:
    """Inputs built from the seed sentences with the reference tokenizer and model.

    ``tokenizer`` and ``model`` come from the process's warm state (:mod:`bertkata.shared`,
    already loaded in a warm process); :meth:`guard` puts back whatever a call
    did to them. Every other value is built afresh on each access.
    """

    sentences = SEED

    @property
    def tokenizer(self):
        from bertkata import shared

        return shared.tokenizer()

    @property
    def model(self):
        from bertkata import shared

        shared.restore_model()
        return shared.model()

    @property
    def classifier(self):
        """The shared ``BertForSequenceClassification`` (2 labels), as loaded."""
        from bertkata import shared

        shared.restore_model("classifier")
        return shared.classifier()

    def classifier_logits(self):
        """The classifier's logits for :meth:`batch` (eval mode, no graph): a fresh copy each time."""
        import torch

        if "classifier_logits" not in _MEMO:
            with torch.no_grad():
                _MEMO["classifier_logits"] = self.classifier(**self.batch()).logits
        return _MEMO["classifier_logits"].clone()

    def guard(self, args: tuple = ()):
        """Undo a call's changes to the shared tokenizer, model and torch's global state."""
        return _Guard()

    def batch(self):
        """``tokenizer(SEED, padding=True, return_tensors="pt")``: a fresh ``BatchEncoding``."""
        return self.tokenizer(list(SEED), padding=True, return_tensors="pt")

    def id_lists(self):
        """Each seed sentence's ids, [CLS] and [SEP] included, unpadded (lists of int)."""
        return [self.tokenizer(s)["input_ids"] for s in SEED]

    def model_output(self):
        """The reference forward pass on :meth:`batch` (eval mode, no graph): a fresh copy each time."""
        import torch

        if "model_output" not in _MEMO:
            model = self.model
            with torch.no_grad():
                _MEMO["model_output"] = model(**self.batch())
        out = _MEMO["model_output"]
        return type(out)(**{k: v.clone() for k, v in out.items()})

    def embedding_grad(self):
        """The solution's ``embedding_gradient(model, batch)`` on the seed batch: a fresh copy each time."""
        if "embedding_grad" not in _MEMO:
            from bertkata.reference import solution

            with self.guard():
                _MEMO["embedding_grad"] = solution("e05_gradient_flow").embedding_gradient(self.model, self.batch())
        return _MEMO["embedding_grad"].clone()

    def last_hidden_state(self):
        return self.model_output().last_hidden_state

    @property
    def masked_lm(self):
        """The shared ``BertForMaskedLM``, as loaded."""
        from bertkata import shared

        shared.restore_model("masked_lm")
        return shared.masked_lm()

    def masked_batch(self):
        """The seed sentences with 1 and 2 characters masked (:data:`MASKED_SEED`), padded: a fresh ``BatchEncoding``."""
        return self.tokenizer(list(MASKED_SEED), padding=True, return_tensors="pt")

    def mask_logits(self):
        """The masked LM's logits at :meth:`masked_batch`'s [MASK]s (eval mode, no graph): a fresh copy each time."""
        import torch

        if "mask_logits" not in _MEMO:
            batch = self.masked_batch()
            where = (batch["input_ids"] == self.tokenizer.mask_token_id).nonzero()
            with torch.no_grad():
                logits = self.masked_lm(**batch).logits
            _MEMO["mask_logits"] = logits[where[:, 0], where[:, 1]]
        return _MEMO["mask_logits"].clone()


class _Guard:
    def __enter__(self):
        from bertkata import shared

        self.saved = shared.global_state()
        return self

    def __exit__(self, *exc):
        from bertkata import shared

        shared.restore(self.saved)
        return False


def _all(name):
    return lambda seed: getattr(seed, name)


# Values for parameters, by name: how a function without an INPUTS entry is called.
BY_NAME: dict[str, Callable[[Seed], Any]] = {
    "tokenizer": _all("tokenizer"),
    "model": _all("model"),
    "sentences": lambda s: list(SEED),
    "texts": lambda s: list(SEED),
    "batch": lambda s: s.batch(),
    "inputs": lambda s: s.batch(),
    "encodings": lambda s: s.batch(),
    "id_lists": lambda s: s.id_lists(),
    "pad_token_id": lambda s: s.tokenizer.pad_token_id,
    "input_ids": lambda s: s.batch()["input_ids"],
    "attention_mask": lambda s: s.batch()["attention_mask"],
    "last_hidden_state": lambda s: s.last_hidden_state(),
    "hidden_states": lambda s: s.last_hidden_state(),
    "model_output": lambda s: s.model_output(),
    "output": lambda s: s.model_output(),
    "outputs": lambda s: s.model_output(),
}

SEED_REPR = "SEED"  # how the seed sentences appear in call labels
LABELS = {"tokenizer": "tokenizer", "model": "model", "sentences": SEED_REPR, "texts": SEED_REPR,
          "batch": "seed batch", "inputs": "seed batch", "encodings": "seed batch", "id_lists": "seed ids",
          "pad_token_id": "0", "last_hidden_state": "seed last_hidden_state",
          "hidden_states": "seed last_hidden_state", "attention_mask": "seed attention_mask",
          "input_ids": "seed input_ids", "model_output": "seed model output",
          "output": "seed model output", "outputs": "seed model output"}


def by_name(function: Callable, name: str, seed: Seed) -> list[Call]:
    """One call with each required parameter taken from :data:`BY_NAME`."""
    try:
        params = inspect.signature(function).parameters.values()
    except (TypeError, ValueError):
        raise NotComparable(f"cannot read the signature of {name}") from None
    args, labels = [], []
    for p in params:
        if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            continue
        if p.name in BY_NAME:
            args.append(BY_NAME[p.name](seed))
            labels.append(LABELS.get(p.name, p.name))
        elif p.default is p.empty:
            raise NotComparable(f"no seed value for its parameter `{p.name}`")
        else:
            break  # keep defaults from here on (positional order)
    return [Call(f"{name}({', '.join(labels)})", tuple(args))]


# ---------------------------------------------------------------- per exercise


def _e02_each_position(name: str):
    def calls(seed: Seed) -> list[Call]:
        batch_len = seed.batch()["input_ids"].shape[1]
        return [Call(f"{name}(seed batch, {i}, {t})", (seed.batch(), i, t))
                for i in range(len(SEED)) for t in range(batch_len)]
    return calls


def _e02_each_char(seed: Seed) -> list[Call]:
    # one past the end too: the docstring says None there
    return [Call(f"token_for_char(seed batch, {i}, {c})", (seed.batch(), i, c))
            for i, s in enumerate(SEED) for c in range(len(s) + 1)]


def _e03_encode(seed: Seed) -> list[Call]:
    def in_train_mode(args):
        args[0].train()

    return [
        Call("encode(model, seed batch)", (seed.model, seed.batch())),
        Call("encode(model after model.train(), seed batch)", (seed.model, seed.batch()), before=in_train_mode),
    ]


def _e05_gradient(seed: Seed) -> list[Call]:
    import torch

    def stale_grad(args):
        weight = args[0].embeddings.word_embeddings.weight
        weight.grad = torch.ones_like(weight)

    # two backward passes per learner: the plain call, then both traps the docstring names at once
    return [
        Call("embedding_gradient(model, seed batch)", (seed.model, seed.batch())),
        Call("embedding_gradient(model holding a stale .grad of ones, seed batch) inside torch.no_grad()",
             (seed.model, seed.batch()), before=stale_grad, context=torch.no_grad),
    ]


def _e05_count(seed: Seed) -> list[Call]:
    def freeze(args):
        args[0].embeddings.requires_grad_(False)

    return [Call("count_trainable_parameters(model)", (seed.model,)),
            Call("count_trainable_parameters(model with frozen embeddings)", (seed.model,), before=freeze)]


def _e06_load(name: str):
    def calls(seed: Seed) -> list[Call]:
        from bertkata import shared

        return [Call(f"{name}(the kata's model folder)", (str(shared.source().path),), observe=_loaded)]
    return calls


def _loaded(result, args):
    """What was loaded, as the grader sees it: its class, and for a tokenizer the start of its repr (name,
    vocab_size, model_max_length). A tokenizer or a model comes back from the sandbox as a stand-in with
    its type's name and repr (:mod:`bertkata.wire`); the tests check the rest where the call ran."""
    import torch

    if isinstance(result, torch.nn.Module):
        return {"class": type(result).__name__}
    return {"class": type(result).__name__, "repr": _short(repr(result), 120)}


def _e07_pairs(seed: Seed):
    """The seed sentences paired with each other both ways, (SEED[0], SEED[1]) and (SEED[1], SEED[0]),
    tokenized by the reference tokenizer: a fresh padded pair ``BatchEncoding``."""
    return seed.tokenizer(list(SEED), list(SEED[::-1]), padding=True, truncation=True, return_tensors="pt")


def _e07_each_row(name: str):
    return lambda s: [Call(f"{name}(seed pair batch, {i})", (_e07_pairs(s), i)) for i in (0, 1, -1)]


def _e09_logits(seed: Seed) -> list[Call]:
    def in_train_mode(args):
        args[0].train()

    label = f"mask_logits(masked_lm, tokenizer, masked seed batch {list(MASKED_SEED)})"
    return [Call(label, (seed.masked_lm, seed.tokenizer, seed.masked_batch())),
            Call(label.replace("masked_lm,", "masked_lm after masked_lm.train(),", 1),
                 (seed.masked_lm, seed.tokenizer, seed.masked_batch()), before=in_train_mode)]


# e10: the seed sentences labelled 0 and 1; the encoder frozen (a step then costs a forward), as the tests do
E10_LABELS = [0, 1]
E10_TRAINABLE = ("bert.pooler.", "classifier.")


def _e10_loss(seed: Seed) -> list[Call]:
    import torch

    return [Call(f"classification_loss(classifier's logits for the seed batch, tensor({E10_LABELS}))",
                 (seed.classifier_logits(), torch.tensor(E10_LABELS)))]


def _e10_train(seed: Seed) -> list[Call]:
    import torch

    def freeze_encoder(args):
        for name, p in args[0].named_parameters():
            p.requires_grad_(name.startswith(E10_TRAINABLE))

    # dropout draws from torch's generator, seeded before each call (in the sandbox too): the losses are comparable;
    # three steps, as the third loss is the first that gradients left from step one would change
    return [Call(f"train_steps(classifier with the encoder frozen, seed batch, tensor({E10_LABELS}), 3, 1e-4)",
                 (seed.classifier, seed.batch(), torch.tensor(E10_LABELS), 3, 1e-4), before=freeze_encoder)]


# e08: a long text made of the seed sentences (572 tokens, past 512), and windows small enough to compare
_E08_LONG = (SEED[0] + SEED[1]) * 44
_E08_DOCS = [_E08_LONG, SEED[0], SEED[1]]


def _e08_windows(seed: Seed):
    """The windows of :data:`_E08_DOCS` (max_length 64, stride 16) as the reference tokenizer makes them."""
    return seed.tokenizer(list(_E08_DOCS), max_length=64, stride=16, truncation=True,
                          return_overflowing_tokens=True, padding=True, return_tensors="pt")


def _e08_sliding(seed: Seed) -> list[Call]:
    return [Call("sliding_windows(tokenizer, [(SEED[0] + SEED[1]) * 44, *SEED], 64, 16)",
                 (seed.tokenizer, list(_E08_DOCS), 64, 16)),
            Call("sliding_windows(tokenizer, [(SEED[0] + SEED[1]) * 44])  # max_length 512, stride 128",
                 (seed.tokenizer, [_E08_LONG]))]


def _e08_spans(seed: Seed) -> list[Call]:
    count = len(_e08_windows(seed)["input_ids"])
    return [Call(f"window_char_span(seed windows, {k})", (_e08_windows(seed), k)) for k in range(count)]


def _e08_chars(seed: Seed) -> list[Call]:
    # characters 46-61 of the long document are in its first two windows (the overlap), 40 in the first only
    return [Call(f"windows_of_char(seed windows, {d}, {c})", (_e08_windows(seed), d, c))
            for d, c in ((0, 0), (0, 40), (0, 50), (0, 61), (0, 500), (1, 2), (2, 7), (2, 8))]


def _frozen(result, args):
    """What freezing did: the names of the model's parameters that no longer require grad."""
    model = next(a for a in args if hasattr(a, "named_parameters"))
    return {"returned": result, "frozen": sorted(n for n, p in model.named_parameters() if not p.requires_grad)}


INPUTS: dict[str, dict[str, Callable[[Seed], list[Call]]]] = {
    "e01_pad_batch": {
        "tokenize_batch": lambda s: [Call("tokenize_batch(tokenizer, SEED)", (s.tokenizer, list(SEED)))],
        "pad_token_ids": lambda s: [Call("pad_token_ids(seed ids without padding, 0)", (s.id_lists(), 0))],
    },
    "e02_index_encodings": {
        "encoding_at": lambda s: [Call(f"encoding_at(seed batch, {i})", (s.batch(), i)) for i in (0, 1, -1)],
        "tokens_at": lambda s: [Call(f"tokens_at(seed batch, {i})", (s.batch(), i)) for i in (0, 1)],
        "token_char_span": _e02_each_position("token_char_span"),
        "token_for_char": _e02_each_char,
    },
    "e03_model_forward": {
        "encode": _e03_encode,
    },
    "e04_extract_cls": {
        "cls_embeddings": lambda s: [Call("cls_embeddings(seed last_hidden_state)", (s.last_hidden_state(),))],
        "sentence_vector": lambda s: [Call("sentence_vector(seed model output)", (s.model_output(),))],
        "masked_mean_pool": lambda s: [Call("masked_mean_pool(seed last_hidden_state, seed attention_mask)",
                                            (s.last_hidden_state(), s.batch()["attention_mask"]))],
    },
    "e05_gradient_flow": {
        "embedding_gradient": _e05_gradient,
        "rows_with_gradient": lambda s: [Call("rows_with_gradient(the seed batch's embedding gradient)",
                                              (s.embedding_grad(),))],
        "freeze_embeddings": lambda s: [Call("freeze_embeddings(model)", (s.model,))],
        "count_trainable_parameters": _e05_count,
    },
    "e06_load_offline": {
        "load_tokenizer": _e06_load("load_tokenizer"),
        "load_model": _e06_load("load_model"),
    },
    "e07_sentence_pairs": {
        "encode_pairs": lambda s: [Call("encode_pairs(tokenizer, SEED, SEED reversed)",
                                        (s.tokenizer, list(SEED), list(SEED[::-1])))],
        "sequence_ids_at": _e07_each_row("sequence_ids_at"),
        "sep_positions": _e07_each_row("sep_positions"),
        "token_type_effect": lambda s: [Call("token_type_effect(model, seed pair batch)", (s.model, _e07_pairs(s)))],
    },
    "e08_long_text": {
        "truncate": lambda s: [Call("truncate(tokenizer, SEED[0])", (s.tokenizer, SEED[0])),
                               Call("truncate(tokenizer, (SEED[0] + SEED[1]) * 44)", (s.tokenizer, _E08_LONG))],
        "sliding_windows": _e08_sliding,
        "window_char_span": _e08_spans,
        "windows_of_char": _e08_chars,
    },
    "e09_fill_mask": {
        "mask_positions": lambda s: [Call("mask_positions(tokenizer, masked seed batch['input_ids'])",
                                          (s.tokenizer, s.masked_batch()["input_ids"]))],
        "mask_logits": _e09_logits,
        "top_k_tokens": lambda s: [Call("top_k_tokens(tokenizer, the masked seed batch's logits, 5)",
                                        (s.tokenizer, s.mask_logits(), 5))],
        "decoder_is_tied": lambda s: [Call("decoder_is_tied(masked_lm)", (s.masked_lm,))],
    },
    "e10_fine_tune_step": {
        "classification_loss": _e10_loss,
        "train_steps": _e10_train,
    },
    # later exercises: called by parameter names (BY_NAME) until an entry is added here;
    # functions that freeze parameters are compared by what they froze.
}
OBSERVE: dict[str, Callable[[Any, tuple], Any]] = {"freeze_embeddings": _frozen}


def calls_for(exercise: str, function: str, reference: Callable, seed: Seed) -> list[Call]:
    """The calls that compare ``exercise.function``; :class:`NotComparable` if there are none."""
    build = INPUTS.get(exercise, {}).get(function)
    calls = build(seed) if build else by_name(reference, function, seed)
    if function in OBSERVE or function.startswith("freeze"):
        for c in calls:
            c.observe = c.observe or OBSERVE.get(function, _frozen)
    return calls


def function_names(exercise: str, listed: tuple[str, ...], reference) -> list[str]:
    """The catalog's functions, then any other public function of the solution with an INPUTS entry."""
    names = list(listed)
    for name in INPUTS.get(exercise, {}):
        if name not in names and callable(getattr(reference, name, None)):
            names.append(name)
    return names


# ---------------------------------------------------------------- describing and comparing values


def _short(text: str, limit: int = MAX_TEXT) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _is_tensor(x) -> bool:
    torch = _torch()
    return torch is not None and isinstance(x, torch.Tensor)


def _torch():
    import sys

    return sys.modules.get("torch")


def _is_encoding(x) -> bool:
    return type(x).__name__ == "Encoding" and hasattr(x, "ids") and hasattr(x, "offsets")


def _dtype(t) -> str:
    return str(t.dtype).removeprefix("torch.")


def describe(value) -> str:
    """A short, readable description: a tensor's dtype and shape, a list's items, a mapping's keys."""
    if isinstance(value, BaseException):
        return _short(f"raised {type(value).__name__}: {value}")
    if _is_tensor(value):
        grad = ", requires_grad" if value.requires_grad else ""
        return f"tensor {_dtype(value)} {list(value.shape)}{grad}"
    if _is_encoding(value):
        return _short(f"Encoding tokens={list(value.tokens)}")
    if isinstance(value, Mapping):
        inner = ", ".join(f"{k}: {describe(v)}" for k, v in value.items())
        return _short(f"{type(value).__name__}{{{inner}}}", 2 * MAX_TEXT)
    if isinstance(value, (list, tuple)) and value and any(_is_tensor(v) for v in value):
        return _short(f"{type(value).__name__} of {len(value)}: " + ", ".join(describe(v) for v in value))
    return _short(repr(value))


def _tensor_diff(a, b) -> tuple[bool, str]:
    torch = _torch()
    if list(a.shape) != list(b.shape):
        return False, f"shape {list(a.shape)}, expected {list(b.shape)}"
    notes = []
    same = True
    if a.dtype != b.dtype:
        same = False
        notes.append(f"dtype {_dtype(a)}, expected {_dtype(b)}")
    if a.requires_grad != b.requires_grad:
        same = False
        notes.append("requires_grad (an autograd graph was built)" if a.requires_grad
                     else "does not require grad, the solution's does")
    if a.numel() == 0:
        return same, "; ".join(notes) or "equal (empty)"
    x, y = a.detach(), b.detach()
    if x.is_floating_point() or y.is_floating_point() or x.is_complex():
        x, y = x.double(), y.double()
        diff = (x - y).abs()
        nan = torch.isnan(x) != torch.isnan(y)
        largest = float("nan") if nan.any() else diff.nan_to_num(0.0).max().item()
        close = not nan.any() and torch.allclose(x, y, rtol=RTOL, atol=ATOL, equal_nan=True)
        same = same and close
        notes.insert(0, f"max |Δ| {largest:.3g}" + ("" if close else f" (beyond rtol {RTOL:g}, atol {ATOL:g})"))
    else:
        x, y = x.long(), y.long()
        differ = (x != y)
        count = int(differ.sum().item())
        if count:
            same = False
            first = [int(i) for i in differ.nonzero()[0].tolist()]
            notes.insert(0, f"{count} of {x.numel()} values differ, first at {first}: "
                            f"{x[tuple(first)].item()} vs {y[tuple(first)].item()} "
                            f"(max |Δ| {(x - y).abs().max().item()})")
        else:
            notes.insert(0, "equal")
    return same, "; ".join(notes)


def compare_values(learner, reference, where: str = "") -> tuple[bool, str]:
    """``(same, detail)``: whether ``learner`` matches ``reference``, and a one-line difference."""
    prefix = f"{where}: " if where else ""
    if _is_tensor(reference) or _is_tensor(learner):
        if not (_is_tensor(reference) and _is_tensor(learner)):
            return False, f"{prefix}{describe(learner)}, expected {describe(reference)}"
        same, detail = _tensor_diff(learner, reference)
        return same, prefix + detail
    if _is_encoding(reference):
        if not _is_encoding(learner):
            return False, f"{prefix}a {type(learner).__name__}, expected a tokenizers.Encoding"
        for attr in ("ids", "tokens", "offsets", "attention_mask", "special_tokens_mask", "word_ids"):
            if list(getattr(learner, attr)) != list(getattr(reference, attr)):
                return False, f"{prefix}{attr} {_short(list(getattr(learner, attr)), 80)}, " \
                              f"expected {_short(list(getattr(reference, attr)), 80)}"
        return True, f"{prefix}equal Encoding ({len(reference.ids)} positions)"
    if isinstance(reference, Mapping):
        if not isinstance(learner, Mapping):
            return False, f"{prefix}a {type(learner).__name__}, expected a {type(reference).__name__}"
        missing = [k for k in reference if k not in learner]
        extra = [k for k in learner if k not in reference]
        notes, same = [], not missing and not extra
        if missing:
            notes.append(f"missing keys {missing}")
        if extra:
            notes.append(f"extra keys {extra}")
        for k in reference:
            if k in learner:
                ok, detail = compare_values(learner[k], reference[k], str(k))
                same = same and ok
                notes.append(detail)
        return same, prefix + "; ".join(notes)
    if isinstance(reference, (list, tuple)) and not isinstance(reference, str):
        if not isinstance(learner, (list, tuple)):
            return False, f"{prefix}a {type(learner).__name__}, expected a {type(reference).__name__}"
        if len(learner) != len(reference):
            return False, f"{prefix}{len(learner)} items, expected {len(reference)}"
        if any(_is_tensor(v) or isinstance(v, Mapping) for v in reference):
            for i, (a, b) in enumerate(zip(learner, reference)):
                ok, detail = compare_values(a, b, f"[{i}]")
                if not ok:
                    return False, prefix + detail
            return True, f"{prefix}equal ({len(reference)} items)"
        for i, (a, b) in enumerate(zip(learner, reference)):
            if not _equal(a, b):
                return False, f"{prefix}item {i} is {_short(repr(a), 60)}, expected {_short(repr(b), 60)}"
        return True, f"{prefix}equal"
    return (True, f"{prefix}equal") if _equal(learner, reference) else \
        (False, f"{prefix}{_short(repr(learner), 60)}, expected {_short(repr(reference), 60)}")


def _equal(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=RTOL, abs_tol=ATOL) or (math.isnan(a) and math.isnan(b))
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_equal(x, y) for x, y in zip(a, b))
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    try:
        return bool(a == b)
    except Exception:  # a learner's object may compare badly
        return False


# ---------------------------------------------------------------- one function


def _call(function, call: Call):
    import torch

    if call.before:
        call.before(call.args)
    torch.manual_seed(0)  # dropout left on still gives the same numbers on every run
    if call.context:
        with call.context():
            result = function(*call.args, **call.kwargs)
    else:
        result = function(*call.args, **call.kwargs)
    return call.observe(result, call.args) if call.observe else result


class _Failed:
    """The solution raised on a call (the registry's inputs are wrong for it): that call is not compared."""

    def __init__(self, exc: BaseException):
        self.text = _short(f"the solution raised {type(exc).__name__}: {exc}")


# (exercise, function) -> [(label, the solution's output)], filled by precompute() in the warm parent
_EXPECTED: dict[tuple[str, str], list] = {}


def expected_outputs(exercise: str, name: str, reference: Callable, seed: Seed) -> list:
    """The solution's output for each call, computed once per process (or inherited from the parent)."""
    key = (exercise, name)
    if key not in _EXPECTED:
        with seed.guard():
            calls = calls_for(exercise, name, reference, seed)
        out = []
        for call in calls:
            try:
                with seed.guard(call.args):
                    out.append((call.label, _call(reference, call)))
            except Exception as exc:
                out.append((call.label, _Failed(exc)))
        _EXPECTED[key] = out
    return _EXPECTED[key]


def precompute(exercise: str, names, reference_module, seed: Seed | None = None) -> None:
    """Compute the solution's outputs for ``names`` now, so that forked children share them."""
    seed = seed or Seed()
    for name in names:
        function = getattr(reference_module, name, None)
        if callable(function):
            try:
                expected_outputs(exercise, name, function, seed)
            except Exception:  # NotComparable and the like: compare_function reports it in the child
                pass


def compare_function(exercise: str, name: str, learner_module, reference_module,
                     seed: Seed | None = None) -> dict:
    """Call ``name`` of both modules on the seed batch; a JSON-ready record.

    ``status`` is ``same``, ``differs``, ``raises`` (the learner's call raised),
    ``stub`` (still ``NotImplementedError``), ``missing`` (no such function) or
    ``not compared`` (no known inputs, or the solution itself failed).
    """
    seed = seed or Seed()
    record = {"function": name, "status": "not compared", "call": "", "learner": "", "reference": "",
              "detail": "", "calls": 0, "same_calls": 0}
    reference = getattr(reference_module, name, None)
    if not callable(reference):
        record["detail"] = f"the solution has no function {name}"
        return record
    learner = getattr(learner_module, name, None)
    if not callable(learner):
        record.update(status="missing", detail=f"the submission has no function {name}")
        return record
    try:
        expected = expected_outputs(exercise, name, reference, seed)
        with seed.guard():  # the learner gets inputs of its own: nothing it changes reaches the solution's
            calls = calls_for(exercise, name, reference, seed)
    except NotComparable as exc:
        record["detail"] = str(exc)
        return record
    except Exception as exc:  # building inputs uses only reference code; report, do not crash
        record["detail"] = _short(f"could not build the seed inputs: {type(exc).__name__}: {exc}")
        return record
    if not calls:
        record["detail"] = "no calls on the seed batch"
        return record
    record["calls"] = len(calls)
    shown = None
    for call, (_, want) in zip(calls, expected):
        if isinstance(want, _Failed):
            record.update(status="not compared", call=call.label, detail=f"{want.text} on {call.label}")
            return record
        try:
            with seed.guard(call.args):
                got = _call(learner, call)
        except BaseException as exc:  # SystemExit and KeyboardInterrupt from a learner are results too
            if isinstance(exc, GeneratorExit):
                raise
            status = "stub" if isinstance(exc, NotImplementedError) else "raises"
            record.update(status=status, call=call.label, learner=describe(exc), reference=describe(want),
                          detail=f"{type(exc).__name__} on the seed batch")
            return record
        same, detail = compare_values(got, want)
        if same:
            record["same_calls"] += 1
            if shown is None:
                shown = (call, got, want, detail)
        elif record["status"] != "differs":
            record["status"] = "differs"
            shown = (call, got, want, detail)
    if record["status"] != "differs":
        record["status"] = "same"
    call, got, want, detail = shown
    record.update(call=call.label, learner=describe(got), reference=describe(want), detail=_short(detail, 300))
    if record["calls"] > 1:
        record["detail"] = f"{record['same_calls']}/{record['calls']} calls agree; " + record["detail"]
    return record
