"""Exercise 01, pad a batch: checked against bert-base-chinese's own tokenizer and padding.

Every call goes through :func:`call`, which observes it (bertkata.calls) and first checks that the
caller's sentences / id lists and tokenizer settings come back unchanged.
"""

import copy

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from transformers import BatchEncoding

from bertkata.calls import observe
from bertkata.feedback import check, expect_ids, expect_tensor, fail, summary, type_name
from bertkata.strategies import mixed_sentences, sentence_batches

SEED = ["我觉得不行", "我觉得其实还可以"]
SEED_IDS = [[101, 2769, 6230, 2533, 679, 6121, 102, 0, 0, 0],
            [101, 2769, 6230, 2533, 1071, 2141, 6820, 1377, 809, 102]]
SEED_MASK = [[1, 1, 1, 1, 1, 1, 1, 0, 0, 0], [1] * 10]
KEYS = ("input_ids", "token_type_ids", "attention_mask")
MAX_POSITIONS = 512  # bert-base-chinese: tokenizer.model_max_length == config.max_position_embeddings
WO = 2769  # "我"


# ---------------------------------------------------------------- tokenize_batch


def test_seed_batch_is_padded_to_the_longest(impl, tokenizer):
    """The seed pair: 7 and 10 tokens, so the shorter row ends in three [PAD] (0); a BatchEncoding."""
    batch = tokenize(impl, tokenizer, list(SEED))  # a copy: a learner's in-place change must not outlive the test
    expect_padded(f"tokenize_batch(tokenizer, {SEED})", batch, SEED_IDS, SEED_MASK, tokenizer.convert_ids_to_tokens)


def test_long_sentences_are_cut_to_512_positions(impl, tokenizer):
    """A sentence past the model's 512 positions is cut to 512, still ending in [SEP] (truncation=True);
    510 characters are exactly 512 positions and stay whole. The batch then fits BertModel, whose
    position embeddings stop at 512 (https://github.com/huggingface/transformers/issues/1791)."""
    sentences = ["我" * 600, "你好", "我" * 510, "我" * 511]
    label = 'tokenize_batch(tokenizer, ["我" * 600, "你好", "我" * 510, "我" * 511])'
    full = [101] + [WO] * 510 + [102]
    want = [full, [101, 872, 1962, 102] + [0] * 508, full, full]
    mask = [[1] * 512, [1] * 4 + [0] * 508, [1] * 512, [1] * 512]
    expect_padded(label, tokenize(impl, tokenizer, sentences, label), want, mask, tokenizer.convert_ids_to_tokens)


def test_uppercase_latin_is_one_unk(impl, tokenizer):
    """bert-base-chinese does not lower-case, so 'Apple' and 'Hello' are one [UNK] (100) each.

    Reported in https://github.com/huggingface/transformers/issues/9286 and
    https://github.com/huggingface/transformers/issues/14990.
    """
    sentences = ["我用Apple手机", "我用apple手机", "Hello世界"]
    want = [[101, 2769, 4500, 100, 2797, 3322, 102], [101, 2769, 4500, 8350, 2797, 3322, 102],
            [101, 100, 686, 4518, 102, 0, 0]]
    mask = [[1] * 7, [1] * 7, [1] * 5 + [0, 0]]
    expect_padded(f"tokenize_batch(tokenizer, {sentences})", tokenize(impl, tokenizer, sentences),
                  want, mask, tokenizer.convert_ids_to_tokens)


def test_whole_word_unk_and_full_width(impl, tokenizer):
    """'A', 'B' and 'AAA' all become one [UNK]; full-width forms keep their own ids (no NFKC).

    Reported in https://github.com/huggingface/transformers/issues/14990 and
    https://github.com/huggingface/tokenizers/issues/404.
    """
    sentences = ["A", "B", "AAA", "我在北京，ＡＢＣ ａｂｃ😀 test\t好"]
    long_ids = [101, 2769, 1762, 1266, 776, 8024, 100, 100, 10060, 1962, 102]
    want = [[101, 100, 102] + [0] * 8] * 3 + [long_ids]
    mask = [[1, 1, 1] + [0] * 8] * 3 + [[1] * 11]
    expect_padded(f"tokenize_batch(tokenizer, {sentences})", tokenize(impl, tokenizer, sentences),
                  want, mask, tokenizer.convert_ids_to_tokens)


@given(batch=sentence_batches(sentences=mixed_sentences(typed_special_tokens=True)))
def test_matches_the_tokenizers_own_padding(impl, tokenizer, batch):
    """For any batch (Chinese, English in both cases, digits, punctuation, emoji, [UNK]s,
    whitespace, empty strings), the result equals the tokenizer's own padding."""
    ref = tokenizer(batch, padding=True, return_tensors="pt")
    expect_padded(f"tokenize_batch(tokenizer, {batch})", tokenize(impl, tokenizer, batch),
                  ref["input_ids"].tolist(), ref["attention_mask"].tolist(), tokenizer.convert_ids_to_tokens)


# ---------------------------------------------------------------- pad_token_ids


def test_pad_by_hand_gives_the_seed_batch(impl, tokenizer):
    """The seed pair's ids without padding: the same batch as the tokenizer's, a BatchEncoding."""
    rows = [[101, 2769, 6230, 2533, 679, 6121, 102], [101, 2769, 6230, 2533, 1071, 2141, 6820, 1377, 809, 102]]
    expect_padded(f"pad_token_ids({rows}, 0)", pad(impl, rows, 0), SEED_IDS, SEED_MASK,
                  tokenizer.convert_ids_to_tokens)


def test_a_real_token_with_the_pad_id_is_marked_real(impl, tokenizer):
    """"[PAD]" typed into a sentence is a real token with id 0 (the pad id): the mask marks positions
    by the rows' lengths, not by the ids' values."""
    rows = tokenizer(["我[PAD]好", "你"])["input_ids"]
    assert rows == [[101, 2769, 0, 1962, 102], [101, 872, 102]]
    expect_padded(f"pad_token_ids({rows}, 0)", pad(impl, rows, 0), [rows[0], rows[1] + [0, 0]],
                  [[1] * 5, [1, 1, 1, 0, 0]], tokenizer.convert_ids_to_tokens)


def test_pad_by_hand_never_cuts_a_row(impl, tokenizer):
    """A row of 602 ids (a 600-character sentence tokenized without truncation) stays whole: the
    batch is 602 wide and the short row gets 598 [PAD]."""
    rows = [[101] + [WO] * 600 + [102], [101, 872, 1962, 102]]
    label = "pad_token_ids([[101] + [2769] * 600 + [102], [101, 872, 1962, 102]], 0)"
    want = [rows[0], rows[1] + [0] * 598]
    mask = [[1] * 602, [1] * 4 + [0] * 598]
    expect_padded(label, pad(impl, rows, 0, label), want, mask, tokenizer.convert_ids_to_tokens)


@given(batch=sentence_batches(sentences=mixed_sentences(typed_special_tokens=True)))
def test_pad_by_hand_matches_the_tokenizer(impl, tokenizer, batch):
    """Padding the unpadded ids by hand gives exactly what the tokenizer's padding gives."""
    rows = [tokenizer(s)["input_ids"] for s in batch]
    ref = tokenizer(batch, padding=True, return_tensors="pt")
    expect_padded(f"pad_token_ids({rows}, {tokenizer.pad_token_id})", pad(impl, rows, tokenizer.pad_token_id),
                  ref["input_ids"].tolist(), ref["attention_mask"].tolist(), tokenizer.convert_ids_to_tokens)


@given(rows=st.lists(st.lists(st.integers(1, 21127), min_size=1, max_size=12), min_size=1, max_size=8),
       pad_id=st.integers(0, 21127))
def test_pad_by_hand_uses_the_given_pad_id(impl, rows, pad_id):
    """Whatever pad id is asked for, padding positions hold it and the mask marks real tokens."""
    longest = max(map(len, rows))
    want = [r + [pad_id] * (longest - len(r)) for r in rows]
    mask = [[1] * len(r) + [0] * (longest - len(r)) for r in rows]
    expect_padded(f"pad_token_ids({rows}, {pad_id})", pad(impl, rows, pad_id), want, mask, None, pad_id)


# ---------------------------------------------------------------- long batches, both functions


def long_sentences():
    """Sentences of about 100 to 5000 tokens: a mixed piece and '我', repeated."""
    return st.tuples(mixed_sentences(4), st.integers(100, 700)).map(lambda p: (p[0] + "我") * p[1])


@settings(max_examples=6)  # each example tokenizes a few thousand characters
@given(batch=st.lists(st.one_of(long_sentences(), mixed_sentences()), min_size=1, max_size=3))
def test_long_batches(impl, tokenizer, batch):
    """For any batch with sentences up to and past 512 tokens: tokenize_batch equals the tokenizer's
    padding with truncation=True (at most 512 wide); pad_token_ids pads the untruncated ids whole."""
    label = f"tokenize_batch(tokenizer, {shown(batch)})"
    ref = tokenizer(batch, padding=True, truncation=True, return_tensors="pt")
    expect_padded(label, tokenize(impl, tokenizer, batch, label), ref["input_ids"].tolist(),
                  ref["attention_mask"].tolist(), tokenizer.convert_ids_to_tokens)
    rows = [tokenizer(s, verbose=False)["input_ids"] for s in batch]
    longest = max(map(len, rows))
    want = [r + [0] * (longest - len(r)) for r in rows]
    mask = [[1] * len(r) + [0] * (longest - len(r)) for r in rows]
    label = f"pad_token_ids(<the ids of {shown(batch)}, rows of {[len(r) for r in rows]}>, 0)"
    expect_padded(label, pad(impl, rows, 0, label), want, mask, tokenizer.convert_ids_to_tokens)


# ---------------------------------------------------------------- bad input


BAD_INPUT = [
    ("tokenize_batch", ([],), ValueError, "an empty batch", "'sentences is empty: pass at least one sentence'"),
    ("tokenize_batch", ("我觉得不行",), TypeError, "a single str instead of a list",
     "'sentences must be a list of str, not a single str: wrap it as [sentence]'"),
    ("tokenize_batch", (["我觉得不行", 3],), TypeError, "a sentence that is not a str",
     "'sentences[1] is an int, expected a str'"),
    ("tokenize_batch", (["我觉得不行", None],), TypeError, "a sentence that is None",
     "'sentences[1] is a NoneType, expected a str'"),
    ("pad_token_ids", ([], 0), ValueError, "an empty batch", "'id_lists is empty: pass at least one list of ids'"),
    ("pad_token_ids", ([[]], 0), ValueError, "an empty row",
     "'id_lists[0] is empty: each row holds at least [CLS] and [SEP]'"),
    ("pad_token_ids", ([[101, 102], []], 0), ValueError, "an empty second row",
     "'id_lists[1] is empty: each row holds at least [CLS] and [SEP]'"),
    ("pad_token_ids", ([101, 102], 0), TypeError, "a flat list instead of a list of lists",
     "'id_lists[0] is an int, expected a list of int: pass [[101, ..., 102]]'"),
    ("pad_token_ids", ([[101, "我", 102]], 0), TypeError, "a token id that is a str",
     "\"id_lists[0][1] is '我' (str), expected an int token id\""),
    ("pad_token_ids", ([[101, 102], [101, 1.5, 102]], 0), TypeError, "a ragged batch with a float id",
     "'id_lists[1][1] is 1.5 (float), expected an int token id'"),
    ("pad_token_ids", ([[101, True, 102]], 0), TypeError, "a token id that is a bool",
     "'id_lists[0][1] is True: a bool is not a token id'"),
    ("pad_token_ids", ([[101, -5, 102]], 0), ValueError, "a negative token id",
     "'id_lists[0][1] is -5: a token id is from 0 to 2**63 - 1'"),
    ("pad_token_ids", ([[101, 2**63, 102]], 0), ValueError, "a token id too large for int64",
     "'id_lists[0][1] is 9223372036854775808, too large for int64'"),
    ("pad_token_ids", ([[101, 102]], -1), ValueError, "a negative pad_token_id",
     "'pad_token_id is -1: a token id is from 0 to 2**63 - 1'"),
    ("pad_token_ids", ([[101, 102]], "[PAD]"), TypeError, "a pad_token_id that is a str",
     "\"pad_token_id is '[PAD]', expected an int id such as tokenizer.pad_token_id\""),
]


@pytest.mark.parametrize("func,args,error,what,example", BAD_INPUT, ids=[b[3] for b in BAD_INPUT])
def test_bad_input_gets_a_clear_error(impl, tokenizer, func, args, error, what, example):
    """Bad input fails early with the documented exception and a message saying what was expected."""
    shown_args = ", ".join(repr(a) for a in args)
    if func == "tokenize_batch":
        record = tokenize(impl, tokenizer, args[0], f"tokenize_batch(tokenizer, {shown_args})  # {what}", bad=True)
    else:
        record = pad(impl, *args, label=f"pad_token_ids({shown_args})  # {what}", bad=True)
    record.expect_error(error, example)


# ---------------------------------------------------------------- calling, and what a call may change


def tokenize(impl, tokenizer, sentences, label=None, bad=False):
    """tokenize_batch(tokenizer, sentences), observed: the caller's list and tokenizer must come back as
    they were. Returns the batch, or (``bad=True``) the record, whose error the caller checks."""
    label = label or f"tokenize_batch(tokenizer, {sentences!r})"
    kept = copy.deepcopy(sentences)
    record = observe(label, impl.tokenize_batch, tokenizer, sentences, tokenizer=tokenizer)
    record.expect_inputs_unchanged(changed_input_mistake("sentences", kept, sentences))
    record.expect_tokenizer_kept(tokenizer_mistake(record.tokenizer))
    return record if bad else record.result()


def pad(impl, id_lists, pad_token_id, label=None, bad=False):
    """pad_token_ids(id_lists, pad_token_id), observed: the caller's lists must come back as they were."""
    label = label or f"pad_token_ids({id_lists!r}, {pad_token_id!r})"
    kept = copy.deepcopy(id_lists)
    record = observe(label, impl.pad_token_ids, id_lists, pad_token_id)
    record.expect_inputs_unchanged(changed_input_mistake("id_lists", kept, id_lists))
    return record if bad else record.result()


def changed_input_mistake(name, before, after):
    """Name how the caller's list was changed in place, from a copy taken before the call."""
    if not isinstance(before, list) or not isinstance(after, list):
        return None
    if any(isinstance(r, torch.Tensor) for r in after):
        return (f"replaced the caller's rows with tensors ({name}[i] = torch.tensor(row)): put the tensors in a "
                "new list (for pad_sequence, say) and leave the caller's lists alone")
    if len(before) == len(after) and all(isinstance(r, list) and isinstance(b, list) and len(r) > len(b)
                                         and r[:len(b)] == b for r, b in zip(after, before) if r != b):
        return (f"padded the caller's rows in place (row += [pad] * n, row.extend): build new rows, "
                "row + [pad_token_id] * n, so the caller's ids keep their length")
    if sorted(map(repr, before)) == sorted(map(repr, after)):
        return (f"sorted the caller's list in place ({name}.sort()), so its order changed for the caller too; "
                "sorted() gives a new list, and the batch keeps the caller's order anyway")
    if len(before) == len(after) and before != after:
        return (f"changed the caller's sentences in place ({name}[i] = ...): shorten or clean a copy, or better "
                "let the tokenizer cut at 512 tokens (truncation=True); characters are not tokens")
    return None


def tokenizer_mistake(changes):
    """Name the tokenizer setting the call changed for the caller."""
    text = " ".join(changes)
    if "pad_token " in text or "len(tokenizer)" in text:
        return ("add_special_tokens / add_tokens changed the caller's vocabulary (len(tokenizer), pad_token): "
                "bert-base-chinese already has [PAD] (id 0), so there is nothing to add")
    if "padding_side" in text:
        return ("tokenizer.padding_side = ... changes how every later call of the caller's tokenizer pads; "
                "BERT pads on the right, which is the tokenizer's default: set nothing")
    if "model_max_length" in text:
        return ("tokenizer.model_max_length = ... changes where every later call of the caller's tokenizer cuts; "
                "leave it at 512 and pass truncation=True to this call")
    return None


def shown(batch):
    """A batch as a short Python expression: long sentences by their start and length."""
    parts = [repr(s) if len(s) <= 30 else f"{s[:12]!r} + ... ({len(s)} characters)" for s in batch]
    return f"[{', '.join(parts)}]"


# ---------------------------------------------------------------- checking a padded batch


def expect_padded(call, batch, want_ids, want_mask, decode, pad_id=0):
    """Check one padded batch: type, keys, tensors, dtype, ids, mask, token_type_ids."""
    if isinstance(batch, dict) and not isinstance(batch, BatchEncoding):
        fail(call, f"a plain {type_name(batch)} with keys {list(batch)}", "a transformers.BatchEncoding",
             "tokenize_batch: return the tokenizer's BatchEncoding itself (dict(batch) drops its Encodings)"
             if call.startswith("tokenize_batch") else
             "wrap the three tensors in transformers.BatchEncoding({...}), as the tokenizer returns them")
    check(isinstance(batch, BatchEncoding), call, f"a {type_name(batch)}", "a transformers.BatchEncoding",
          "return a transformers.BatchEncoding holding input_ids, token_type_ids and attention_mask")
    missing = [k for k in KEYS if k not in batch.keys()]
    check(not missing, call, f"keys {list(batch.keys())}", f"keys {list(KEYS)}",
          f"missing {missing}: bert-base-chinese's tokenizer returns all three")
    for k in KEYS:
        expect_tensor(f"{call}[{k!r}]", batch[k], dtype=torch.long,
                      mistakes={"type": 'ask for PyTorch tensors with return_tensors="pt" (a list is not a tensor)',
                                "dtype": "token ids and masks are integer (torch.long) tensors"})
    ids, mask = batch["input_ids"], batch["attention_mask"]
    shape = [len(want_ids), len(want_ids[0])]
    if list(ids.shape) != shape:
        fail(f"{call}['input_ids']", summary(ids), f"shape {shape}",
             diagnose(ids, mask, want_ids, want_mask, pad_id))
    expect_ids(f"{call}['input_ids']", ids.tolist(), want_ids, decode,
               diagnose(ids, mask, want_ids, want_mask, pad_id))
    check(mask.tolist() == [list(r) for r in want_mask], f"{call}['attention_mask']", summary(mask),
          f"{list(want_mask)}" if mask.numel() < 100 else f"1 for each real token, 0 for each [PAD] ({shape})",
          diagnose(ids, mask, want_ids, want_mask, pad_id) or "attention_mask is 1 for each real token and 0 for "
                                                             "each [PAD]")
    tt = batch["token_type_ids"]
    check(list(tt.shape) == shape and not tt.any(), f"{call}['token_type_ids']", summary(tt),
          f"zeros of shape {shape}", "one sentence per row is segment 0 everywhere, padding included")


def diagnose(ids, mask, want_ids, want_mask, pad_id=0):
    """Name the padding mistake behind a mismatch, in a learner's words (most specific first)."""
    width, want = ids.shape[1], len(want_ids[0])
    if want > MAX_POSITIONS and width == MAX_POSITIONS:
        return ("pad_token_ids never cuts a row: rows longer than 512 ids are padded whole (cutting to the "
                "model's length is the tokenizer's job, truncation=True in tokenize_batch)")
    if want == MAX_POSITIONS and width > MAX_POSITIONS:
        return (f"no truncation: a row of {width} positions is longer than BertModel's 512 position embeddings; "
                "pass truncation=True so the tokenizer cuts at 512 and keeps [SEP] last")
    if want == MAX_POSITIONS and width < MAX_POSITIONS:
        return (f"cut at {width} positions, a limit made up: bert-base-chinese takes 512 (tokenizer."
                "model_max_length); truncation=True without max_length cuts exactly there")
    if width == MAX_POSITIONS and want < MAX_POSITIONS:
        return ('every row was padded to 512 (padding="max_length" pads to model_max_length); '
                "use padding=True to pad to the longest sentence")
    if width < want <= MAX_POSITIONS:
        return (f"{width} positions instead of {want}: a sentence that fits in 512 tokens was cut; cutting "
                "the text (characters are not tokens) or a max_length of your own loses tokens the model can take: "
                "let the tokenizer cut tokens, truncation=True")
    if width != want:
        return "the batch must be exactly as long as its longest sentence, [CLS] and [SEP] included"
    rows = ids.tolist()
    if want == MAX_POSITIONS and any(w[-1] == 102 and r[-1] != 102 for r, w in zip(rows, want_ids)):
        return ("the cut row does not end in [SEP]: slicing input_ids[:, :512] after tokenizing drops it; "
                "let the tokenizer cut (truncation=True), which keeps [CLS] first and [SEP] last")
    pads = [v for r, w in zip(rows, want_mask) for v, m in zip(r, w) if m == 0]
    if pads and all(v == 100 for v in pads) and pad_id != 100:
        return "padded with [UNK] (100) instead of [PAD]: use the tokenizer's pad_token_id"
    if pads and all(v == -1 for v in pads):
        return "padded with -1: -1 is not a token id; pad with [PAD] (the tokenizer's pad_token_id)"
    if pads and any(v != pad_id for v in pads) and any(r[0] == pad_id for r in rows):
        return "padding went on the left; BERT's tokenizer pads on the right (padding_side='right')"
    flipped = [[1 - m for m in r] for r in want_mask]
    if mask.tolist() == flipped:
        return "the attention_mask is inverted: 1 marks a real token, 0 marks [PAD]"
    if all(v == 1 for r in mask.tolist() for v in r) and any(0 in r for r in want_mask):
        return "the attention_mask is all ones: [PAD] positions must get 0 so attention ignores them"
    if pads and any(v != pad_id for v in pads):
        return f"padding positions must hold pad_token_id ({pad_id})"
    from_values = [[int(v != pad_id) for v in r] for r in rows]
    if mask.tolist() == from_values and from_values != [list(r) for r in want_mask]:
        return (f"the mask was computed from the ids (input_ids != {pad_id}): a real token whose id is the pad id "
                "(a [PAD] typed into the text, a 0 in a row) got 0; mark real tokens by the rows' lengths")
    return None
