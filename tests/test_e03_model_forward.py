"""Exercise 03, model forward: checked against BertModel's own forward on bert-base-chinese.

The replica's weights are random, so these tests check properties (types,
shapes, masking, determinism, no autograd graph), never numbers from the model.
"""

import pytest
import torch
from hypothesis import given, settings

from bertkata.feedback import KataFailure, check, expect_close, expect_tensor, fail, summary, type_name
from bertkata.strategies import chinese_batches

PAIR = ["你好", "今天天气很好"]
SEED = ["我觉得不行", "我觉得其实还可以"]
# The padded sentence's real positions must match the sentence encoded alone within this
# (float32 rounding; C04 measured 2e-6). Without the mask they differ by about 1.
ATOL = 1e-4

OUTPUT_CLASS = "BaseModelOutputWithPoolingAndCrossAttentions"
WHOLE_OUTPUT = (f"return the whole output object ({OUTPUT_CLASS}), not one of its tensors: "
                "it holds last_hidden_state and pooler_output")
POSITIONAL = ("model(batch) passes the whole BatchEncoding as input_ids (BertModel then asks it for .size() "
              "and fails with a bare AttributeError); unpack it into keyword arguments: model(**batch)")
DROPOUT = ("dropout was on during the forward (the model was in train mode): call model.eval() before it; "
           "torch.no_grad() does not switch dropout off")
MASK = ("the padded sentence changed: the attention_mask was not passed, so its [PAD] tokens were "
        "attended to; pass every key of the batch with model(**batch)")
NO_GRAD = ("the forward built an autograd graph: run it under torch.no_grad() (or torch.inference_mode()); "
           "these features are never backpropagated")
PUT_BACK = ("encode left a model that was in train mode in eval mode: remember model.training first and "
            "put it back afterwards (model.train(was_training)); otherwise a training loop that calls "
            "encode silently loses its dropout")


def forward(model, batch):
    """The reference: BertModel's own forward on ``batch``, in eval mode, without a graph."""
    was = model.training
    model.eval()
    with torch.no_grad():
        out = model(**batch)
    model.train(was)
    return out


def run(impl, model, batch, call):
    """Call the learner's encode, recording how the model's forward was called.

    Returns ``(output, calls)``; each call records the mode, grad mode and keyword
    names the model saw (empty if ``model.forward`` was called directly, bypassing hooks).
    """
    calls = []

    def hook(module, args, kwargs):
        calls.append({"training": module.training, "grad": torch.is_grad_enabled(),
                      "positional": len(args), "keys": sorted(kwargs)})

    handle = model.register_forward_pre_hook(hook, with_kwargs=True)
    try:
        out = impl.encode(model, batch)
    except (NotImplementedError, KataFailure):
        raise
    except AttributeError as exc:
        context = exc.__context__
        if (calls and calls[0]["positional"]) or (isinstance(context, KeyError) and "size" in str(context)):
            fail(call, f"AttributeError: {exc}", "the model's output", POSITIONAL)
        raise
    except KeyError as exc:
        if "token_type_ids" in str(exc):
            fail(call, f"KeyError: {exc}", "the model's output",
                 "not every batch has token_type_ids (return_token_type_ids=False, other tokenizers): "
                 "pass whatever keys the batch has, with model(**batch)")
        raise
    finally:
        handle.remove()
    return out, calls


def value_mistake(calls, default):
    """The likeliest reason values differ, from how the model was called."""
    if any(c["training"] for c in calls):
        return DROPOUT
    if calls and "attention_mask" not in calls[0]["keys"]:
        return MASK
    return default


def expect_output(call, out, batch_size, seq_len, hidden):
    """The output object, with its two tensors in the right shapes."""
    from transformers.modeling_outputs import BaseModelOutputWithPoolingAndCrossAttentions

    if isinstance(out, torch.Tensor):
        fail(call, summary(out), f"a {OUTPUT_CLASS}", WHOLE_OUTPUT)
    if isinstance(out, tuple):
        fail(call, f"a tuple of {len(out)}", f"a {OUTPUT_CLASS}",
             "call the model with its default return_dict and return what it gives")
    check(isinstance(out, BaseModelOutputWithPoolingAndCrossAttentions), call, f"a {type_name(out)}",
          f"a {OUTPUT_CLASS}", WHOLE_OUTPUT)
    check(list(out.keys()) == ["last_hidden_state", "pooler_output"], f"{call}.keys()", list(out.keys()),
          ["last_hidden_state", "pooler_output"],
          "call the model with the batch only, without output_hidden_states or output_attentions")
    expect_tensor(f"{call}.last_hidden_state", out.last_hidden_state, shape=[batch_size, seq_len, hidden],
                  dtype=torch.float32, mistakes={"shape": "[batch, seq_len, hidden_size]: one vector per token"})
    expect_tensor(f"{call}.pooler_output", out.pooler_output, shape=[batch_size, hidden], dtype=torch.float32,
                  mistakes={"shape": "[batch, hidden_size]: one vector per sentence"})


def test_returns_the_model_output(impl, model, tokenizer):
    """The output of model(**batch): last_hidden_state [2, 8, 768] and pooler_output [2, 768].

    Cases C04 (https://github.com/huggingface/transformers/issues/278) and
    C09 (https://github.com/huggingface/transformers/issues/7540).
    """
    batch = tokenizer(PAIR, padding=True, return_tensors="pt")
    call = f"encode(model, tokenizer({PAIR}, padding=True, return_tensors='pt'))"
    out, _ = run(impl, model, batch, call)
    hidden = model.config.hidden_size
    assert hidden == 768  # bert-base-chinese's config
    expect_output(call, out, 2, 8, hidden)


def test_padding_does_not_change_the_short_sentence(impl, model, tokenizer):
    """'你好' padded to 8 positions gives the same 4 vectors as '你好' alone, because the
    attention_mask hides the [PAD]s; forgetting the mask changes them by about 1.

    Case C04: https://github.com/huggingface/transformers/issues/278
    """
    batch = tokenizer(PAIR, padding=True, return_tensors="pt")
    alone = forward(model, tokenizer(PAIR[:1], return_tensors="pt")).last_hidden_state[0]
    unmasked = forward(model, {"input_ids": batch["input_ids"]}).last_hidden_state[0, :4]
    assert (unmasked - alone).abs().max() > 100 * ATOL  # this test would notice a forgotten mask

    call = f"encode(model, tokenizer({PAIR}, padding=True, return_tensors='pt'))"
    out, calls = run(impl, model, batch, call)
    expect_output(call, out, 2, 8, model.config.hidden_size)
    expect_close(f"{call}.last_hidden_state[0, :4]  # '你好' without its [PAD]s", out.last_hidden_state[0, :4],
                 alone, atol=ATOL, mistake=value_mistake(calls, MASK))
    want = forward(model, batch)
    for name in ("last_hidden_state", "pooler_output"):
        expect_close(f"{call}.{name}", getattr(out, name), getattr(want, name), atol=ATOL,
                     mistake=value_mistake(calls, "return model(**batch) itself"))


def test_no_autograd_graph(impl, model, tokenizer):
    """Nothing in the output requires grad, so backward() on it fails and no gradient reaches the model.

    Case C14: https://github.com/nianticlabs/monodepth2/issues/24
    """
    batch = tokenizer(SEED, padding=True, return_tensors="pt")
    call = f"encode(model, tokenizer({SEED}, padding=True, return_tensors='pt'))"
    out, calls = run(impl, model, batch, call)
    expect_output(call, out, 2, 10, model.config.hidden_size)
    for name in ("last_hidden_state", "pooler_output"):
        t = getattr(out, name)
        check(not t.requires_grad and t.grad_fn is None, f"{call}.{name}.requires_grad", t.requires_grad,
              False, NO_GRAD)
    graph = [c for c in calls if c["grad"]]
    check(not graph, f"{call}: grad mode during the model's forward", "enabled (then detached?)",
          "disabled", NO_GRAD)
    with pytest.raises(RuntimeError):
        out.last_hidden_state[:, 0].sum().backward()
    grad = model.embeddings.word_embeddings.weight.grad
    check(grad is None, "model.embeddings.word_embeddings.weight.grad after encode", summary(grad), None, NO_GRAD)


def test_dropout_is_off_even_after_model_train(impl, model, tokenizer):
    """With the model left in train mode, two calls still give identical tensors (dropout off),
    and the model is back in train mode afterwards.

    Case C12: https://github.com/huggingface/transformers/issues/9039
    """
    batch = tokenizer(["我爱北京天安门"], return_tensors="pt")
    want = forward(model, batch).last_hidden_state
    call = "model.train(); encode(model, tokenizer(['我爱北京天安门'], return_tensors='pt'))"
    model.train()
    first, calls = run(impl, model, batch, call)
    expect_output(call, first, 1, 9, model.config.hidden_size)
    check(not any(c["training"] for c in calls), f"{call}: model.training during the forward", True, False,
          DROPOUT)
    second, _ = run(impl, model, batch, call + " (again)")
    expect_close(f"{call}.last_hidden_state, called twice", second.last_hidden_state, first.last_hidden_state,
                 atol=0.0, mistake=DROPOUT)
    expect_close(f"{call}.last_hidden_state", first.last_hidden_state, want, atol=ATOL, mistake=DROPOUT)
    check(model.training, f"{call}; model.training afterwards", model.training, True, PUT_BACK)


def test_batch_without_token_type_ids(impl, model, tokenizer):
    """A batch may hold only input_ids and attention_mask; model(**batch) passes what is there.

    Case C04: https://github.com/huggingface/transformers/issues/278
    """
    batch = tokenizer(SEED, padding=True, return_tensors="pt", return_token_type_ids=False)
    assert sorted(batch.keys()) == ["attention_mask", "input_ids"]
    call = f"encode(model, tokenizer({SEED}, padding=True, return_tensors='pt', return_token_type_ids=False))"
    out, calls = run(impl, model, batch, call)
    expect_output(call, out, 2, 10, model.config.hidden_size)
    want = forward(model, batch)
    expect_close(f"{call}.last_hidden_state", out.last_hidden_state, want.last_hidden_state, atol=ATOL,
                 mistake=value_mistake(calls, "return model(**batch) itself"))


# Each example runs the model up to 3 times (the batch, then each padded sentence alone):
# at most 12 examples keep this file fast on 2 cores.
@settings(max_examples=min(settings.default.max_examples, 12))
@given(sentences=chinese_batches(max_size=3))
def test_each_sentence_as_if_alone(impl, model, tokenizer, sentences):
    """For any small batch: the shapes follow the batch, and each padded sentence's real positions
    (and its pooler_output) equal those of the sentence encoded alone, within 1e-4."""
    batch = tokenizer(sentences, padding=True, return_tensors="pt")
    width = batch["input_ids"].shape[1]
    call = f"encode(model, tokenizer({sentences}, padding=True, return_tensors='pt'))"
    out, calls = run(impl, model, batch, call)
    expect_output(call, out, len(sentences), width, model.config.hidden_size)
    for i, s in enumerate(sentences):
        n = int(batch["attention_mask"][i].sum())
        if n == width:
            continue  # not padded: nothing for the mask to hide
        alone = forward(model, tokenizer([s], return_tensors="pt"))
        expect_close(f"{call}.last_hidden_state[{i}, :{n}]  # {s!r} without its [PAD]s",
                     out.last_hidden_state[i, :n], alone.last_hidden_state[0], atol=ATOL,
                     mistake=value_mistake(calls, MASK))
        expect_close(f"{call}.pooler_output[{i}]  # {s!r}", out.pooler_output[i], alone.pooler_output[0],
                     atol=ATOL, mistake=value_mistake(calls, MASK))


BAD_INPUT = [
    (["你好", "今天天气很好"], "a list of sentences instead of a tokenized batch"),
    (torch.tensor([[101, 872, 1962, 102]]), "a bare tensor of input_ids"),
    ({"attention_mask": torch.tensor([[1, 1, 1, 1]])}, "a mapping without input_ids"),
]


def test_bad_input_gets_a_clear_error(impl, model):
    """Anything but a mapping holding input_ids raises TypeError saying to pass the tokenizer's BatchEncoding."""
    mistake = ("check the batch first (a mapping with input_ids) and raise TypeError saying to pass the "
               "BatchEncoding the tokenizer returns")
    for batch, what in BAD_INPUT:
        call = f"encode(model, {summary(batch)})  # {what}"
        try:
            got = impl.encode(model, batch)
        except TypeError as exc:
            check("batchencoding" in str(exc).lower(), call, f"TypeError({str(exc)!r})",
                  "TypeError whose message says to pass the tokenizer's BatchEncoding", mistake)
            continue
        except (NotImplementedError, KataFailure):
            raise
        except Exception as exc:
            fail(call, f"{type(exc).__name__}: {exc}", "TypeError", mistake)
        fail(call, summary(got), "TypeError", mistake)
