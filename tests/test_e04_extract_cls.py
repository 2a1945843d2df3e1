"""Exercise 04, extract [CLS]: checked against bert-base-chinese's own outputs and a row-by-row reference."""

import re

import pytest
import torch
from hypothesis import given, settings

from bertkata.feedback import check, expect_close, expect_error, expect_tensor, fail, summary, type_name
from bertkata.strategies import chinese_batches, hidden_states, hidden_states_and_masks

SEED = ["我觉得不行", "我觉得其实还可以"]
CLS_ID = 101
HIDDEN = 768
# A sentence's real-token vectors differ by float rounding when padding is added to the
# batch (about 1e-6 measured, https://github.com/huggingface/transformers/issues/17463);
# every padding mistake moves the mean by more than 0.1.
PAD_ATOL = 1e-5
# A mean of float32 values in [-10, 10] over at most 6 tokens, against a float64 reference.
TENSOR_ATOL = 1e-5


def forward(model, batch):
    """The model's output for ``batch``, without a graph (the tests' own forward, not exercise 03)."""
    with torch.no_grad():
        return model(**batch)


def run(call, func, *args, mistakes=()):
    """Call the learner's function; an unexpected exception fails with what happened and why.

    ``mistakes`` is a list of (words in the error message, likely mistake).
    """
    try:
        return func(*args)
    except NotImplementedError:
        raise
    except Exception as exc:
        text = f"{type(exc).__name__}: {exc}"
        for words, mistake in mistakes:
            if words in str(exc):
                fail(call, f"raised {text}", "a tensor", mistake)
        fail(call, f"raised {text}", "a tensor", "the inputs are valid here; see the docstring for what they hold")


NO_UNSQUEEZE = ("must match the size", "attention_mask is [batch, seq_len] and last_hidden_state is "
                "[batch, seq_len, hidden]: give the mask a last axis with attention_mask.unsqueeze(-1) "
                "so it broadcasts over hidden")


def diagnose_cls(got, hs, mask=None):
    """Name the indexing mistake behind a wrong [CLS] vector."""
    batch, seq_len, hidden = hs.shape
    if list(got.shape) == [seq_len, hidden]:
        return ("last_hidden_state[0] is every token of sentence 0 ([seq_len, hidden]); "
                "the [CLS] vectors of all sentences are last_hidden_state[:, 0, :]")
    if list(got.shape) != [batch, hidden]:
        return "index the sequence dimension (dim 1) at 0 for every sentence: last_hidden_state[:, 0, :]"
    got, hs = got.double(), hs.double()
    if torch.equal(got, hs[:, -1, :]):
        return "you took the last token ([SEP] or a [PAD]); position 0 holds [CLS]: last_hidden_state[:, 0, :]"
    if torch.allclose(got, hs.mean(1), atol=1e-6):
        return "you averaged over all tokens; the [CLS] vector is the one at position 0"
    if mask is not None:
        m = mask.unsqueeze(-1).double()
        if torch.allclose(got, (hs * m).sum(1) / m.sum(1), atol=1e-6):
            return "you took the mean of the real tokens; the [CLS] vector is the one at position 0"
    return "the [CLS] vector is last_hidden_state[:, 0, :]"


def reference_mean(hs, mask):
    """The masked mean by explicit loops: for each row, average the vectors whose mask is 1 (in float64)."""
    rows = []
    for i in range(hs.shape[0]):
        keep = [j for j in range(hs.shape[1]) if mask[i, j].item()]
        total = torch.zeros(hs.shape[2], dtype=torch.float64)
        for j in keep:
            total += hs[i, j].double()
        rows.append(total / len(keep))
    return torch.stack(rows)


def diagnose_mean(got, hs, mask):
    """Name the pooling mistake behind a wrong masked mean."""
    if list(got.shape) != [hs.shape[0], hs.shape[2]]:
        if list(got.shape) == [hs.shape[0], 1] or got.dim() == 1:
            return "average over the sequence (dim=1) only, keeping the hidden axis: [batch, hidden]"
        return "average over the sequence dimension (dim=1): the result is [batch, hidden]"
    got, hs, m = got.double(), hs.double(), mask.unsqueeze(-1).double()
    if torch.allclose(got, hs.mean(1), atol=1e-6):
        return ("you averaged over every position, [PAD] included: multiply by the mask first so "
                "padding adds nothing, and divide by the number of real tokens")
    if torch.allclose(got, (hs * m).sum(1) / hs.shape[1], atol=1e-6):
        return ("you divided by the padded length (seq_len); divide by the number of real tokens "
                "of each row, attention_mask.sum(dim=1)")
    if torch.allclose(got, hs[:, 0, :], atol=1e-6):
        return "you returned the [CLS] vector; this function averages the real tokens"
    return "sum the vectors where attention_mask is 1 and divide by how many there are"


def expect_mean(call, got, hs, mask, atol):
    expect_tensor(call, got, shape=[hs.shape[0], hs.shape[2]], dtype=hs.dtype,
                  mistakes={"type": "return a torch.Tensor", "shape": diagnose_mean(got, hs, mask)
                            if isinstance(got, torch.Tensor) else None,
                            "dtype": "keep the dtype of last_hidden_state: convert the mask to it, "
                                     "not the hidden states to the mask's"})
    expect_close(call, got, reference_mean(hs, mask), atol=atol, mistake=diagnose_mean(got, hs, mask))


# ---------------------------------------------------------------- cls_embeddings


def test_cls_is_position_0_of_the_seed_batch(impl, tokenizer, model):
    """The seed pair gives last_hidden_state [2, 10, 768]; the [CLS] vectors are [2, 768], position 0."""
    batch = tokenizer(SEED, padding=True, return_tensors="pt")
    hs = forward(model, batch).last_hidden_state
    call = "cls_embeddings(last_hidden_state)  # seed batch, shape [2, 10, 768]"
    got = run(call, impl.cls_embeddings, hs)
    expect_tensor(call, got, shape=[2, HIDDEN], dtype=torch.float32,
                  mistakes={"type": "return a tensor: last_hidden_state[:, 0, :]",
                            "shape": diagnose_cls(got, hs) if isinstance(got, torch.Tensor) else None})
    expect_close(call, got, hs[:, 0, :], atol=0.0, mistake=diagnose_cls(got, hs, batch["attention_mask"]))


def test_the_vector_is_the_cls_tokens(impl, tokenizer, model):
    """Each returned vector is the output at the position whose input id is [CLS] (101)."""
    sentences = ["你好", "今天天气很好", "我觉得不行"]
    batch = tokenizer(sentences, padding=True, return_tensors="pt")
    ids = batch["input_ids"]
    check(tokenizer.cls_token_id == CLS_ID and bool((ids[:, 0] == CLS_ID).all()),
          "tokenizer(...)['input_ids'][:, 0]", summary(ids[:, 0]), f"[CLS] ({CLS_ID}) in every row",
          "the model source's tokenizer is not bert-base-chinese's")
    hs = forward(model, batch).last_hidden_state
    call = f"cls_embeddings(last_hidden_state)  # {sentences}"
    got = run(call, impl.cls_embeddings, hs)
    expect_tensor(call, got, shape=[len(sentences), HIDDEN],
                  mistakes={"shape": diagnose_cls(got, hs) if isinstance(got, torch.Tensor) else None})
    for i in range(len(sentences)):
        where = [j for j in range(hs.shape[1]) if torch.equal(got[i], hs[i, j])]
        if where != [0]:
            if where:
                j = where[0]
                token = tokenizer.convert_ids_to_tokens(int(ids[i, j]))
                said = f"the output at position {j}, token {token} (id {int(ids[i, j])})"
            else:
                said = "a vector that is no token's output"
            fail(f"{call}[{i}]", said, f"the output at position 0, token [CLS] (id {CLS_ID})",
                 diagnose_cls(got, hs, batch["attention_mask"]))


def test_cls_is_not_pooler_output(impl, tokenizer, model):
    """pooler_output is tanh(pooler.dense([CLS])), computed from the [CLS] vector but not equal to it.

    C09, https://github.com/huggingface/transformers/issues/7540: many posts call
    pooler_output "the [CLS] embedding". The model's own pooler turns your [CLS]
    vectors into exactly its pooler_output, so this checks them against the model.
    """
    batch = tokenizer(SEED, padding=True, return_tensors="pt")
    out = forward(model, batch)
    call = "cls_embeddings(out.last_hidden_state)"
    cls = run(call, impl.cls_embeddings, out.last_hidden_state)
    expect_tensor(call, cls, shape=[2, HIDDEN])
    with torch.no_grad():
        pooled = torch.tanh(model.pooler.dense(cls))
    mistake = ("BERT's pooler reads position 0 ([CLS]), so tanh(pooler.dense(x)) gives pooler_output only "
               "when x is last_hidden_state[:, 0, :]; " + diagnose_cls(cls, out.last_hidden_state))
    expect_close(f"torch.tanh(model.pooler.dense({call}))", pooled, out.pooler_output, atol=1e-6, mistake=mistake)
    check(not torch.allclose(cls, out.pooler_output, atol=1e-3), call, "the same values as out.pooler_output",
          "the [CLS] vectors, which differ from pooler_output",
          "pooler_output is tanh(pooler.dense([CLS])), not the [CLS] vector")


@given(hs=hidden_states())
def test_cls_matches_row_by_row(impl, hs):
    """For any [batch, seq_len, hidden] tensor: row i of the result is hs[i][0], exactly, same dtype."""
    call = f"cls_embeddings(tensor of shape {list(hs.shape)}, {hs.dtype})"
    got = run(call, impl.cls_embeddings, hs)
    expect_tensor(call, got, shape=[hs.shape[0], hs.shape[2]], dtype=hs.dtype,
                  mistakes={"shape": diagnose_cls(got, hs) if isinstance(got, torch.Tensor) else None,
                            "dtype": "return the vectors as they are, without converting them"})
    expect_close(call, got, torch.stack([hs[i][0] for i in range(hs.shape[0])]), atol=0.0,
                 mistake=diagnose_cls(got, hs))


# ---------------------------------------------------------------- sentence_vector


def test_sentence_vector_is_cls_not_pooler_output(impl, tokenizer, model):
    """From the whole model output, the [CLS] vector is last_hidden_state[:, 0, :], not pooler_output (C09).

    https://github.com/huggingface/transformers/issues/7540
    """
    batch = tokenizer(SEED, padding=True, return_tensors="pt")
    out = forward(model, batch)
    call = "sentence_vector(model(**batch))  # seed batch"
    got = run(call, impl.sentence_vector, out)
    hs = out.last_hidden_state
    if isinstance(got, torch.Tensor) and got.shape == out.pooler_output.shape \
            and torch.allclose(got, out.pooler_output):
        fail(call, "out.pooler_output (out[1])", "out.last_hidden_state[:, 0, :]",
             "pooler_output is tanh(pooler.dense([CLS])), a layer trained for next-sentence prediction, "
             "not the [CLS] vector; take position 0 of last_hidden_state")
    expect_tensor(call, got, shape=[2, HIDDEN], dtype=torch.float32,
                  mistakes={"type": "return the [CLS] vectors as a tensor",
                            "shape": diagnose_cls(got, hs) if isinstance(got, torch.Tensor) else None})
    expect_close(call, got, hs[:, 0, :], atol=0.0, mistake=diagnose_cls(got, hs, batch["attention_mask"]))


# ---------------------------------------------------------------- masked_mean_pool


def test_mean_of_the_seed_batch_leaves_out_padding(impl, tokenizer, model):
    """Row 0 of the seed batch has 7 real tokens and 3 [PAD]; its mean is over the 7 only."""
    batch = tokenizer(SEED, padding=True, return_tensors="pt")
    hs, mask = forward(model, batch).last_hidden_state, batch["attention_mask"]
    call = "masked_mean_pool(last_hidden_state, attention_mask)  # seed batch, 7 and 10 real tokens of 10"
    got = run(call, impl.masked_mean_pool, hs, mask, mistakes=[NO_UNSQUEEZE])
    expect_mean(call, got, hs, mask, atol=1e-6)


def test_padding_does_not_change_the_mean(impl, tokenizer, model):
    """C10: "你好" padded to 8 in a batch gets the vector it gets alone (within 1e-5).

    https://github.com/huggingface/transformers/issues/17463: mean pooling over
    padding makes a sentence's vector depend on the other sentences in the batch.
    """
    batch = tokenizer(["你好", "今天天气很好"], padding=True, return_tensors="pt")
    alone = tokenizer(["你好"], return_tensors="pt")
    check(batch["attention_mask"].sum(1).tolist() == [4, 8], "attention_mask.sum(1)",
          batch["attention_mask"].sum(1).tolist(), [4, 8], "the tokenizer is not bert-base-chinese's")
    hs, hs_alone = forward(model, batch).last_hidden_state, forward(model, alone).last_hidden_state
    call = 'masked_mean_pool(...)[0]  # "你好" in ["你好", "今天天气很好"]'
    got = run(call, impl.masked_mean_pool, hs, batch["attention_mask"], mistakes=[NO_UNSQUEEZE])
    expect_tensor(call, got, shape=[2, HIDDEN],
                  mistakes={"shape": diagnose_mean(got, hs, batch["attention_mask"])
                            if isinstance(got, torch.Tensor) else None})
    expect_close(call, got[0], hs_alone.mean(1)[0], atol=PAD_ATOL,
                 mistake=diagnose_mean(got, hs, batch["attention_mask"]))


@settings(max_examples=5)  # each example runs the model once per sentence, plus once for the batch
@given(sentences=chinese_batches(min_size=2, max_size=3))
def test_a_sentence_gets_the_same_mean_alone_and_padded(impl, tokenizer, model, sentences):
    """For any batch of Chinese sentences, each row's mean equals the sentence's mean alone (within 1e-5)."""
    batch = tokenizer(sentences, padding=True, return_tensors="pt")
    hs = forward(model, batch).last_hidden_state
    call = f"masked_mean_pool(last_hidden_state, attention_mask)  # {sentences}"
    got = run(call, impl.masked_mean_pool, hs, batch["attention_mask"], mistakes=[NO_UNSQUEEZE])
    expect_tensor(call, got, shape=[len(sentences), HIDDEN],
                  mistakes={"shape": diagnose_mean(got, hs, batch["attention_mask"])
                            if isinstance(got, torch.Tensor) else None})
    for i, s in enumerate(sentences):
        alone = forward(model, tokenizer([s], return_tensors="pt")).last_hidden_state.mean(1)[0]
        expect_close(f"{call}[{i}]  vs  {s!r} alone", got[i], alone, atol=PAD_ATOL,
                     mistake=diagnose_mean(got, hs, batch["attention_mask"]))


@given(pair=hidden_states_and_masks())
def test_mean_matches_a_loop_over_real_tokens(impl, pair):
    """For any hidden states and 0/1 mask (right-padded or not; int64, int32, bool or float32):
    the mean of the vectors whose mask is 1, as an explicit loop computes it."""
    hs, mask = pair
    call = f"masked_mean_pool(tensor {list(hs.shape)} {hs.dtype}, mask {mask.int().tolist()} {mask.dtype})"
    got = run(call, impl.masked_mean_pool, hs, mask, mistakes=[NO_UNSQUEEZE])
    expect_mean(call, got, hs, mask, atol=TENSOR_ATOL)


@given(pair=hidden_states_and_masks())
def test_values_at_padding_do_not_matter(impl, pair):
    """Whatever sits at the masked-out positions (here 1000), the mean is the same."""
    hs, mask = pair
    other = hs.clone()
    other[mask.to(torch.bool).logical_not()] = 1000.0
    call = f"masked_mean_pool(tensor {list(hs.shape)}, mask {mask.int().tolist()})"
    first = run(call, impl.masked_mean_pool, hs, mask, mistakes=[NO_UNSQUEEZE])
    second = run(call + " with other values at the 0s", impl.masked_mean_pool, other, mask,
                 mistakes=[NO_UNSQUEEZE])
    expect_tensor(call, first, shape=[hs.shape[0], hs.shape[2]])
    expect_close(call + " with other values at the 0s", second, first, atol=TENSOR_ATOL,
                 mistake=diagnose_mean(second, other, mask))


@pytest.mark.parametrize("dtype", [torch.int64, torch.bool, torch.float32], ids=str)
def test_any_mask_dtype_works(impl, tokenizer, model, dtype):
    """The tokenizer's mask is int64; bool and float masks are common too, and give the same mean."""
    batch = tokenizer(SEED, padding=True, return_tensors="pt")
    hs = forward(model, batch).last_hidden_state
    mask = batch["attention_mask"].to(dtype)
    call = f"masked_mean_pool(last_hidden_state, attention_mask.to({dtype}))"
    got = run(call, impl.masked_mean_pool, hs, mask,
              mistakes=[NO_UNSQUEEZE, ("dtype", f"convert the mask to the hidden states' dtype first: "
                                                f"attention_mask.to(last_hidden_state.dtype)")])
    expect_mean(call, got, hs, mask, atol=1e-6)


def test_a_row_without_real_tokens_is_an_error_not_nan(impl):
    """A mask row of all zeros has no mean (0/0): raise ValueError instead of returning NaN."""
    hs = torch.randn(3, 4, 5, generator=torch.Generator().manual_seed(0))
    mask = torch.tensor([[1, 1, 0, 0], [0, 0, 0, 0], [1, 1, 1, 1]])
    call = f"masked_mean_pool(tensor [3, 4, 5], {mask.tolist()})"
    try:
        got = impl.masked_mean_pool(hs, mask)
    except ValueError as exc:
        check(len(str(exc)) >= 15, call, f"ValueError({str(exc)!r})", "a ValueError saying which row has no token",
              "say what was wrong, e.g. 'attention_mask row 1 has no real token'")
        return
    except NotImplementedError:
        raise
    except Exception as exc:
        fail(call, f"{type(exc).__name__}: {exc}", "ValueError",
             "check for rows with no real token and raise ValueError")
    if isinstance(got, torch.Tensor) and got.is_floating_point() and got.isnan().any():
        fail(call, f"{summary(got)} holding NaN", "ValueError",
             "row 1 has no real token, so its mean is 0/0 = NaN; check mask.sum(dim=1) and raise ValueError")
    fail(call, summary(got), "ValueError", "row 1 has no real token: there is nothing to average")


# ---------------------------------------------------------------- bad input


H3 = torch.zeros(3, 5, 4)  # [batch 3, seq_len 5, hidden 4]
BAD_INPUT = [
    ("cls_embeddings", (torch.zeros(5, 4),), ValueError, None, "a 2-D tensor (one sentence)"),
    ("cls_embeddings", (torch.zeros(3, 5, 4).tolist(),), TypeError, None, "a list instead of a tensor"),
    ("cls_embeddings", (torch.ones(3, 5, dtype=torch.long),), TypeError, None, "input_ids instead of hidden states"),
    ("masked_mean_pool", (torch.zeros(5, 4), torch.ones(5, dtype=torch.long)), ValueError, None,
     "2-D hidden states"),
    ("masked_mean_pool", (H3, torch.ones(3, 6, dtype=torch.long)), ValueError, (3, 5), "a mask one token too long"),
    ("masked_mean_pool", (H3, torch.ones(3, 5, 1, dtype=torch.long)), ValueError, (3, 5),
     "a mask already unsqueezed to [3, 5, 1]"),
    ("masked_mean_pool", (H3, torch.ones(5, 3, dtype=torch.long)), ValueError, (3, 5), "a transposed mask"),
    ("masked_mean_pool", (H3, [[1] * 5] * 3), TypeError, None, "a list as the mask"),
    ("sentence_vector", (H3,), TypeError, None, "last_hidden_state instead of the model output"),
]


@pytest.mark.parametrize("func,args,error,shape,what", BAD_INPUT, ids=[b[4] for b in BAD_INPUT])
def test_bad_input_gets_a_clear_error(impl, func, args, error, shape, what):
    """Bad input fails early with the right exception and a message saying what was expected
    (for a mask of the wrong shape: the shape it should have had)."""
    shown = ", ".join(f"tensor {list(a.shape)} {a.dtype}" if isinstance(a, torch.Tensor) else type_name(a)
                      for a in args)
    call = f"{func}({shown}) with {what}"
    exc = expect_error(call, lambda: getattr(impl, func)(*args), error,
                       "'attention_mask must have shape [3, 5]'")
    if shape:
        check(re.search(rf"\b{shape[0]}\D{{1,6}}{shape[1]}\b", str(exc)) is not None, call,
              f"{type(exc).__name__}({str(exc)!r})", f"a message naming the expected shape {list(shape)}",
              "say which shape the mask must have: [batch, seq_len] of last_hidden_state")
