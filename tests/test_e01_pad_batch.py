"""Exercise 01, pad a batch: checked against bert-base-chinese's own tokenizer and padding.

Every call goes through :func:`tokenize` or :func:`pad`, which observe it (bertkata.calls) and first
check that the caller's sentences / id lists and tokenizer settings come back unchanged.
"""

import copy

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from transformers import BatchEncoding

from bertkata.calls import observing
from bertkata.feedback import check, expect_ids, expect_tensor, fail, summary, type_name
from bertkata.i18n import T, pick, say
from bertkata.strategies import long_sentences, mixed_sentences, sentence_batches
from bertkata import seed

SEED = list(seed.SEED)
SEED_IDS = [list(row) for row in seed.SEED_IDS]
SEED_MASK = [[1, 1, 1, 1, 1, 1, 1, 0, 0, 0], [1] * 10]
KEYS = ("input_ids", "token_type_ids", "attention_mask")
MAX_POSITIONS = 512  # bert-base-chinese: tokenizer.model_max_length == config.max_position_embeddings
WO = 2769  # "我"


# ---------------------------------------------------------------- tokenize_batch


def test_seed_batch_is_padded_to_the_longest(impl, tokenizer):
    """The seed pair: 7 and 10 tokens, so the shorter row ends in three [PAD] (0); a BatchEncoding."""
    tokenize_batch = observing(impl.tokenize_batch, tokenizer, tokenizer=tokenizer)
    batch = tokenize(tokenize_batch, list(SEED))  # a copy: a learner's in-place change must not outlive the test
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
    tokenize_batch = observing(impl.tokenize_batch, tokenizer, tokenizer=tokenizer)
    expect_padded(label, tokenize(tokenize_batch, sentences, label), want, mask, tokenizer.convert_ids_to_tokens)


def test_uppercase_latin_is_one_unk(impl, tokenizer):
    """bert-base-chinese does not lower-case, so 'Apple' and 'Hello' are one [UNK] (100) each.

    Reported in https://github.com/huggingface/transformers/issues/9286 and
    https://github.com/huggingface/transformers/issues/14990.
    """
    sentences = ["我用Apple手机", "我用apple手机", "Hello世界"]
    want = [[101, 2769, 4500, 100, 2797, 3322, 102], [101, 2769, 4500, 8350, 2797, 3322, 102],
            [101, 100, 686, 4518, 102, 0, 0]]
    mask = [[1] * 7, [1] * 7, [1] * 5 + [0, 0]]
    tokenize_batch = observing(impl.tokenize_batch, tokenizer, tokenizer=tokenizer)
    expect_padded(f"tokenize_batch(tokenizer, {sentences})", tokenize(tokenize_batch, sentences),
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
    tokenize_batch = observing(impl.tokenize_batch, tokenizer, tokenizer=tokenizer)
    expect_padded(f"tokenize_batch(tokenizer, {sentences})", tokenize(tokenize_batch, sentences),
                  want, mask, tokenizer.convert_ids_to_tokens)


@given(batch=sentence_batches(sentences=mixed_sentences(typed_special_tokens=True)))
def test_matches_the_tokenizers_own_padding(impl, tokenizer, batch):
    """For any batch (Chinese, English in both cases, digits, punctuation, emoji, [UNK]s,
    whitespace, empty strings), the result equals the tokenizer's own padding."""
    ref = tokenizer(batch, padding=True, return_tensors="pt")
    tokenize_batch = observing(impl.tokenize_batch, tokenizer, tokenizer=tokenizer)
    expect_padded(f"tokenize_batch(tokenizer, {batch})", tokenize(tokenize_batch, batch),
                  ref["input_ids"].tolist(), ref["attention_mask"].tolist(), tokenizer.convert_ids_to_tokens)


# ---------------------------------------------------------------- pad_token_ids


def test_pad_by_hand_gives_the_seed_batch(impl, tokenizer):
    """The seed pair's ids without padding: the same batch as the tokenizer's, a BatchEncoding."""
    rows = [list(row) for row in seed.SEED_ROWS]
    pad_token_ids = observing(impl.pad_token_ids)
    expect_padded(f"pad_token_ids({rows}, 0)", pad(pad_token_ids, rows, 0), SEED_IDS, SEED_MASK,
                  tokenizer.convert_ids_to_tokens)


def test_a_real_token_with_the_pad_id_is_marked_real(impl, tokenizer):
    """"[PAD]" typed into a sentence is a real token with id 0 (the pad id): the mask marks positions
    by the rows' lengths, not by the ids' values."""
    rows = tokenizer(["我[PAD]好", "你"])["input_ids"]
    assert rows == [[101, 2769, 0, 1962, 102], [101, 872, 102]]
    pad_token_ids = observing(impl.pad_token_ids)
    expect_padded(f"pad_token_ids({rows}, 0)", pad(pad_token_ids, rows, 0), [rows[0], rows[1] + [0, 0]],
                  [[1] * 5, [1, 1, 1, 0, 0]], tokenizer.convert_ids_to_tokens)


def test_pad_by_hand_never_cuts_a_row(impl, tokenizer):
    """A row of 602 ids (a 600-character sentence tokenized without truncation) stays whole: the
    batch is 602 wide and the short row gets 598 [PAD]."""
    rows = [[101] + [WO] * 600 + [102], [101, 872, 1962, 102]]
    label = "pad_token_ids([[101] + [2769] * 600 + [102], [101, 872, 1962, 102]], 0)"
    want = [rows[0], rows[1] + [0] * 598]
    mask = [[1] * 602, [1] * 4 + [0] * 598]
    pad_token_ids = observing(impl.pad_token_ids)
    expect_padded(label, pad(pad_token_ids, rows, 0, label), want, mask, tokenizer.convert_ids_to_tokens)


@given(batch=sentence_batches(sentences=mixed_sentences(typed_special_tokens=True)))
def test_pad_by_hand_matches_the_tokenizer(impl, tokenizer, batch):
    """Padding the unpadded ids by hand gives exactly what the tokenizer's padding gives."""
    rows = [tokenizer(s)["input_ids"] for s in batch]
    ref = tokenizer(batch, padding=True, return_tensors="pt")
    pad_token_ids = observing(impl.pad_token_ids)
    expect_padded(f"pad_token_ids({rows}, {tokenizer.pad_token_id})", pad(pad_token_ids, rows, tokenizer.pad_token_id),
                  ref["input_ids"].tolist(), ref["attention_mask"].tolist(), tokenizer.convert_ids_to_tokens)


@given(rows=st.lists(st.lists(st.integers(1, 21127), min_size=1, max_size=12), min_size=1, max_size=8),
       pad_id=st.integers(0, 21127))
def test_pad_by_hand_uses_the_given_pad_id(impl, rows, pad_id):
    """Whatever pad id is asked for, padding positions hold it and the mask marks real tokens."""
    longest = max(map(len, rows))
    want = [r + [pad_id] * (longest - len(r)) for r in rows]
    mask = [[1] * len(r) + [0] * (longest - len(r)) for r in rows]
    pad_token_ids = observing(impl.pad_token_ids)
    expect_padded(f"pad_token_ids({rows}, {pad_id})", pad(pad_token_ids, rows, pad_id), want, mask, None, pad_id)


# ---------------------------------------------------------------- long batches, both functions


@settings(max_examples=6)  # each example tokenizes a few thousand characters
@given(batch=st.lists(st.one_of(long_sentences(), mixed_sentences()), min_size=1, max_size=3))
def test_long_batches(impl, tokenizer, batch):
    """For any batch with sentences up to and past 512 tokens: tokenize_batch equals the tokenizer's
    padding with truncation=True (at most 512 wide); pad_token_ids pads the untruncated ids whole."""
    label = f"tokenize_batch(tokenizer, {shown(batch)})"
    ref = tokenizer(batch, padding=True, truncation=True, return_tensors="pt")
    tokenize_batch = observing(impl.tokenize_batch, tokenizer, tokenizer=tokenizer)
    expect_padded(label, tokenize(tokenize_batch, batch, label), ref["input_ids"].tolist(),
                  ref["attention_mask"].tolist(), tokenizer.convert_ids_to_tokens)
    rows = [tokenizer(s, verbose=False)["input_ids"] for s in batch]
    longest = max(map(len, rows))
    want = [r + [0] * (longest - len(r)) for r in rows]
    mask = [[1] * len(r) + [0] * (longest - len(r)) for r in rows]
    label = say(f"pad_token_ids(<the ids of {shown(batch)}, rows of {[len(r) for r in rows]}>, 0)",
                f"pad_token_ids(<{shown(batch)} 的 id，各行长度 {[len(r) for r in rows]}>, 0)")
    pad_token_ids = observing(impl.pad_token_ids)
    expect_padded(label, pad(pad_token_ids, rows, 0, label), want, mask, tokenizer.convert_ids_to_tokens)


# ---------------------------------------------------------------- bad input


BAD_INPUT = [
    ("tokenize_batch", ([],), ValueError, T("an empty batch", "空批次"),
     T("'sentences is empty: pass at least one sentence'", "'sentences 为空：至少传入一个句子'")),
    ("tokenize_batch", ("我觉得不行",), TypeError, T("a single str instead of a list", "单个 str 而不是列表"),
     T("'sentences must be a list of str, not a single str: wrap it as [sentence]'",
       "'sentences 必须是 str 的列表，不能是单个 str：请写成 [sentence]'")),
    ("tokenize_batch", (["我觉得不行", 3],), TypeError, T("a sentence that is not a str", "不是 str 的句子"),
     T("'sentences[1] is an int, expected a str'", "'sentences[1] 是 int，应为 str'")),
    ("tokenize_batch", (["我觉得不行", None],), TypeError, T("a sentence that is None", "为 None 的句子"),
     T("'sentences[1] is a NoneType, expected a str'", "'sentences[1] 是 NoneType，应为 str'")),
    ("pad_token_ids", ([], 0), ValueError, T("an empty batch", "空批次"),
     T("'id_lists is empty: pass at least one list of ids'", "'id_lists 为空：至少传入一个 id 列表'")),
    ("pad_token_ids", ([[]], 0), ValueError, T("an empty row", "空行"),
     T("'id_lists[0] is empty: each row holds at least [CLS] and [SEP]'",
       "'id_lists[0] 为空：每一行至少包含 [CLS] 和 [SEP]'")),
    ("pad_token_ids", ([[101, 102], []], 0), ValueError, T("an empty second row", "第二行为空"),
     T("'id_lists[1] is empty: each row holds at least [CLS] and [SEP]'",
       "'id_lists[1] 为空：每一行至少包含 [CLS] 和 [SEP]'")),
    ("pad_token_ids", ([101, 102], 0), TypeError,
     T("a flat list instead of a list of lists", "一维列表而不是列表的列表"),
     T("'id_lists[0] is an int, expected a list of int: pass [[101, ..., 102]]'",
       "'id_lists[0] 是 int，应为 int 的列表：请传入 [[101, ..., 102]]'")),
    ("pad_token_ids", ([[101, "我", 102]], 0), TypeError, T("a token id that is a str", "为 str 的 token id"),
     T("\"id_lists[0][1] is '我' (str), expected an int token id\"",
       "\"id_lists[0][1] 是 '我'（str），应为 int 类型的 token id\"")),
    ("pad_token_ids", ([[101, 102], [101, 1.5, 102]], 0), TypeError,
     T("a ragged batch with a float id", "各行长短不一、含 float id 的批次"),
     T("'id_lists[1][1] is 1.5 (float), expected an int token id'",
       "'id_lists[1][1] 是 1.5（float），应为 int 类型的 token id'")),
    ("pad_token_ids", ([[101, True, 102]], 0), TypeError, T("a token id that is a bool", "为 bool 的 token id"),
     T("'id_lists[0][1] is True: a bool is not a token id'", "'id_lists[0][1] 是 True：bool 不是 token id'")),
    ("pad_token_ids", ([[101, -5, 102]], 0), ValueError, T("a negative token id", "负的 token id"),
     T("'id_lists[0][1] is -5: a token id is from 0 to 2**63 - 1'",
       "'id_lists[0][1] 是 -5：token id 的取值范围是 0 到 2**63 - 1'")),
    ("pad_token_ids", ([[101, 2**63, 102]], 0), ValueError,
     T("a token id too large for int64", "超出 int64 范围的 token id"),
     T("'id_lists[0][1] is 9223372036854775808, too large for int64'",
       "'id_lists[0][1] 是 9223372036854775808，超出了 int64 的范围'")),
    ("pad_token_ids", ([[101, 102]], -1), ValueError, T("a negative pad_token_id", "负的 pad_token_id"),
     T("'pad_token_id is -1: a token id is from 0 to 2**63 - 1'",
       "'pad_token_id 是 -1：token id 的取值范围是 0 到 2**63 - 1'")),
    ("pad_token_ids", ([[101, 102]], "[PAD]"), TypeError, T("a pad_token_id that is a str", "为 str 的 pad_token_id"),
     T("\"pad_token_id is '[PAD]', expected an int id such as tokenizer.pad_token_id\"",
       "\"pad_token_id 是 '[PAD]'，应为 int 类型的 id，例如 tokenizer.pad_token_id\"")),
]


@pytest.mark.parametrize("func,args,error,what,example", BAD_INPUT, ids=[b[3].en for b in BAD_INPUT])
def test_bad_input_gets_a_clear_error(impl, tokenizer, func, args, error, what, example):
    """Bad input fails early with the documented exception and a message saying what was expected."""
    shown_args = ", ".join(repr(a) for a in args)
    if func == "tokenize_batch":
        tokenize_batch = observing(impl.tokenize_batch, tokenizer, tokenizer=tokenizer)
        record = tokenize(tokenize_batch, args[0], f"tokenize_batch(tokenizer, {shown_args})  # {what}", bad=True)
    else:
        pad_token_ids = observing(impl.pad_token_ids)
        record = pad(pad_token_ids, *args, label=f"pad_token_ids({shown_args})  # {what}", bad=True)
    record.expect_error(error, example)


# ---------------------------------------------------------------- calling, and what a call may change


def tokenize(run, sentences, label=None, bad=False):
    """tokenize_batch(tokenizer, sentences) by ``run``, the learner's function observed (the tokenizer
    and its settings bound in): the caller's list and tokenizer must come back as they were. Returns
    the batch, or (``bad=True``) the record, whose error the caller checks."""
    label = label or f"tokenize_batch(tokenizer, {sentences!r})"
    kept = copy.deepcopy(sentences)
    record = run(label, sentences)
    record.expect_kept(changed_input_mistake("sentences", kept, sentences),
                       tokenizer=tokenizer_mistake(record.tokenizer))
    return record if bad else record.result()


def pad(run, id_lists, pad_token_id, label=None, bad=False):
    """pad_token_ids(id_lists, pad_token_id) by ``run``, the learner's function observed: the caller's
    lists must come back as they were."""
    label = label or f"pad_token_ids({id_lists!r}, {pad_token_id!r})"
    kept = copy.deepcopy(id_lists)
    record = run(label, id_lists, pad_token_id)
    record.expect_kept(changed_input_mistake("id_lists", kept, id_lists))
    return record if bad else record.result()


def changed_input_mistake(name, before, after):
    """Name how the caller's list was changed in place, from a copy taken before the call."""
    if not isinstance(before, list) or not isinstance(after, list):
        return None
    if any(isinstance(r, torch.Tensor) for r in after):
        return T(f"replaced the caller's rows with tensors ({name}[i] = torch.tensor(row)): put the tensors in a "
                 "new list (for pad_sequence, say) and leave the caller's lists alone",
                 f"把调用者的行原地换成了张量（{name}[i] = torch.tensor(row)）：把张量放进一个新列表"
                 "（比如交给 pad_sequence），别动调用者的列表")
    if len(before) == len(after) and all(isinstance(r, list) and isinstance(b, list) and len(r) > len(b)
                                         and r[:len(b)] == b for r, b in zip(after, before) if r != b):
        return T("padded the caller's rows in place (row += [pad] * n, row.extend): build new rows, "
                 "row + [pad_token_id] * n, so the caller's ids keep their length",
                 "原地填充了调用者的行（row += [pad] * n、row.extend）：请构造新行 row + [pad_token_id] * n，"
                 "让调用者的 id 列表保持原来的长度")
    if sorted(map(repr, before)) == sorted(map(repr, after)):
        return T(f"sorted the caller's list in place ({name}.sort()), so its order changed for the caller too; "
                 "sorted() gives a new list, and the batch keeps the caller's order anyway",
                 f"原地排序了调用者的列表（{name}.sort()），调用者那边的顺序也跟着变了；"
                 "sorted() 会返回新列表，何况批次本来就要保持调用者给的顺序")
    if len(before) == len(after) and before != after:
        return T(f"changed the caller's sentences in place ({name}[i] = ...): shorten or clean a copy, or better "
                 "let the tokenizer cut at 512 tokens (truncation=True); characters are not tokens",
                 f"原地修改了调用者的句子（{name}[i] = ...）：要截短或清洗就改副本，更好的做法是"
                 "让分词器在 512 个 token 处截断（truncation=True）；字符不等于 token")
    return None


def tokenizer_mistake(changes):
    """Name the tokenizer setting the call changed for the caller."""
    text = " ".join(pick(c, "en") for c in changes)
    if "pad_token " in text or "len(tokenizer)" in text:
        return T("add_special_tokens / add_tokens changed the caller's vocabulary (len(tokenizer), pad_token): "
                 "bert-base-chinese already has [PAD] (id 0), so there is nothing to add",
                 "add_special_tokens / add_tokens 改动了调用者的词表（len(tokenizer)、pad_token）："
                 "bert-base-chinese 本来就有 [PAD]（id 0），无需添加")
    if "padding_side" in text:
        return T("tokenizer.padding_side = ... changes how every later call of the caller's tokenizer pads; "
                 "BERT pads on the right, which is the tokenizer's default: set nothing",
                 "tokenizer.padding_side = ... 会改变调用者的分词器此后每次调用的填充方式；"
                 "BERT 在右侧填充，这正是分词器的默认设置：什么都不用设")
    if "model_max_length" in text:
        return T("tokenizer.model_max_length = ... changes where every later call of the caller's tokenizer cuts; "
                 "leave it at 512 and pass truncation=True to this call",
                 "tokenizer.model_max_length = ... 会改变调用者的分词器此后每次调用的截断位置；"
                 "保持 512 不变，在这次调用里传入 truncation=True")
    return None


def shown(batch):
    """A batch as a short Python expression: long sentences by their start and length."""
    parts = [repr(s) if len(s) <= 30 else say(f"{s[:12]!r} + ... ({len(s)} characters)",
                                              f"{s[:12]!r} + ...（{len(s)} 个字符）") for s in batch]
    return f"[{', '.join(parts)}]"


# ---------------------------------------------------------------- checking a padded batch


A_BATCH_ENCODING = T("a transformers.BatchEncoding", "一个 transformers.BatchEncoding")


def expect_padded(call, batch, want_ids, want_mask, decode, pad_id=0):
    """Check one padded batch: type, keys, tensors, dtype, ids, mask, token_type_ids."""
    if isinstance(batch, dict) and not isinstance(batch, BatchEncoding):
        fail(call, T(f"a plain {type_name(batch)} with keys {list(batch)}",
                     f"一个普通的 {type_name(batch)}，键为 {list(batch)}"), A_BATCH_ENCODING,
             T("tokenize_batch: return the tokenizer's BatchEncoding itself (dict(batch) drops its Encodings)",
               "tokenize_batch：直接返回分词器给出的 BatchEncoding 本身（dict(batch) 会丢掉它的 Encodings）")
             if call.startswith("tokenize_batch") else
             T("wrap the three tensors in transformers.BatchEncoding({...}), as the tokenizer returns them",
               "像分词器的返回值那样，用 transformers.BatchEncoding({...}) 把三个张量包起来"))
    check(isinstance(batch, BatchEncoding), call, T(f"a {type_name(batch)}", f"一个 {type_name(batch)}"),
          A_BATCH_ENCODING,
          T("return a transformers.BatchEncoding holding input_ids, token_type_ids and attention_mask",
            "返回一个包含 input_ids、token_type_ids 和 attention_mask 的 transformers.BatchEncoding"))
    missing = [k for k in KEYS if k not in batch.keys()]
    check(not missing, call, T(f"keys {list(batch.keys())}", f"键 {list(batch.keys())}"),
          T(f"keys {list(KEYS)}", f"键 {list(KEYS)}"),
          T(f"missing {missing}: bert-base-chinese's tokenizer returns all three",
            f"缺少 {missing}：bert-base-chinese 的分词器三个都会返回"))
    for k in KEYS:
        expect_tensor(f"{call}[{k!r}]", batch[k], dtype=torch.long,
                      mistakes={"type": T('ask for PyTorch tensors with return_tensors="pt" (a list is not a tensor)',
                                          '用 return_tensors="pt" 要 PyTorch 张量（列表不是张量）'),
                                "dtype": T("token ids and masks are integer (torch.long) tensors",
                                           "token id 和掩码都是整数（torch.long）张量")})
    ids, mask = batch["input_ids"], batch["attention_mask"]
    shape = [len(want_ids), len(want_ids[0])]
    if list(ids.shape) != shape:
        fail(f"{call}['input_ids']", summary(ids), T(f"shape {shape}", f"形状 {shape}"),
             diagnose(ids, mask, want_ids, want_mask, pad_id))
    expect_ids(f"{call}['input_ids']", ids.tolist(), want_ids, decode,
               diagnose(ids, mask, want_ids, want_mask, pad_id))
    check(mask.tolist() == [list(r) for r in want_mask], f"{call}['attention_mask']", summary(mask),
          f"{list(want_mask)}" if mask.numel() < 100 else T(f"1 for each real token, 0 for each [PAD] ({shape})",
                                                            f"每个真实 token 为 1，每个 [PAD] 为 0（{shape}）"),
          diagnose(ids, mask, want_ids, want_mask, pad_id) or T("attention_mask is 1 for each real token and 0 for "
                                                               "each [PAD]",
                                                               "attention_mask（注意力掩码）对每个真实 token 为 1，"
                                                               "对每个 [PAD] 为 0"))
    tt = batch["token_type_ids"]
    check(list(tt.shape) == shape and not tt.any(), f"{call}['token_type_ids']", summary(tt),
          T(f"zeros of shape {shape}", f"形状为 {shape} 的全 0 张量"),
          T("one sentence per row is segment 0 everywhere, padding included",
            "每行只有一个句子，所以处处都是句段 0，填充位置也一样"))


def diagnose(ids, mask, want_ids, want_mask, pad_id=0):
    """Name the padding mistake behind a mismatch, in a learner's words (most specific first)."""
    width, want = ids.shape[1], len(want_ids[0])
    if want > MAX_POSITIONS and width == MAX_POSITIONS:
        return T("pad_token_ids never cuts a row: rows longer than 512 ids are padded whole (cutting to the "
                 "model's length is the tokenizer's job, truncation=True in tokenize_batch)",
                 "pad_token_ids 从不截断任何一行：超过 512 个 id 的行也要整行填充（截到模型的长度是"
                 "分词器的事，即 tokenize_batch 里的 truncation=True）")
    if want == MAX_POSITIONS and width > MAX_POSITIONS:
        return T(f"no truncation: a row of {width} positions is longer than BertModel's 512 position embeddings; "
                 "pass truncation=True so the tokenizer cuts at 512 and keeps [SEP] last",
                 f"没有截断：一行有 {width} 个位置，超出了 BertModel 的 512 个位置嵌入（position embeddings）；"
                 "传入 truncation=True，让分词器在 512 处截断，并保留末尾的 [SEP]")
    if want == MAX_POSITIONS and width < MAX_POSITIONS:
        return T(f"cut at {width} positions, a limit made up: bert-base-chinese takes 512 (tokenizer."
                 "model_max_length); truncation=True without max_length cuts exactly there",
                 f"截断在 {width} 个位置，这是自己编出来的上限：bert-base-chinese 能接收 512 个"
                 "（tokenizer.model_max_length）；不带 max_length 的 truncation=True 正好截在那里")
    if width == MAX_POSITIONS and want < MAX_POSITIONS:
        return T('every row was padded to 512 (padding="max_length" pads to model_max_length); '
                 "use padding=True to pad to the longest sentence",
                 '每一行都被填充到了 512（padding="max_length" 会填充到 model_max_length）；'
                 "请用 padding=True，填充到最长句子的长度")
    if width < want <= MAX_POSITIONS:
        return T(f"{width} positions instead of {want}: a sentence that fits in 512 tokens was cut; cutting "
                 "the text (characters are not tokens) or a max_length of your own loses tokens the model can take: "
                 "let the tokenizer cut tokens, truncation=True",
                 f"只有 {width} 个位置，而不是 {want}：一个放得进 512 个 token 的句子被截断了；截短文本"
                 "（字符不等于 token）或自己定的 max_length 都会丢掉模型本来能接收的 token："
                 "请让分词器按 token 截断，truncation=True")
    if width != want:
        return T("the batch must be exactly as long as its longest sentence, [CLS] and [SEP] included",
                 "批次的长度必须正好等于其中最长的句子（含 [CLS] 和 [SEP]）")
    rows = ids.tolist()
    if want == MAX_POSITIONS and any(w[-1] == 102 and r[-1] != 102 for r, w in zip(rows, want_ids)):
        return T("the cut row does not end in [SEP]: slicing input_ids[:, :512] after tokenizing drops it; "
                 "let the tokenizer cut (truncation=True), which keeps [CLS] first and [SEP] last",
                 "截断后的行不是以 [SEP] 结尾：分词之后再切 input_ids[:, :512] 会把它切掉；"
                 "请让分词器来截断（truncation=True），它会保证 [CLS] 在最前、[SEP] 在最后")
    pads = [v for r, w in zip(rows, want_mask) for v, m in zip(r, w) if m == 0]
    if pads and all(v == 100 for v in pads) and pad_id != 100:
        return T("padded with [UNK] (100) instead of [PAD]: use the tokenizer's pad_token_id",
                 "用 [UNK]（100）而不是 [PAD] 做了填充：请用分词器的 pad_token_id")
    if pads and all(v == -1 for v in pads):
        return T("padded with -1: -1 is not a token id; pad with [PAD] (the tokenizer's pad_token_id)",
                 "用 -1 做了填充：-1 不是 token id；请用 [PAD]（分词器的 pad_token_id）填充")
    if pads and any(v != pad_id for v in pads) and any(r[0] == pad_id for r in rows):
        return T("padding went on the left; BERT's tokenizer pads on the right (padding_side='right')",
                 "填充加在了左侧；BERT 的分词器在右侧填充（padding_side='right'）")
    flipped = [[1 - m for m in r] for r in want_mask]
    if mask.tolist() == flipped:
        return T("the attention_mask is inverted: 1 marks a real token, 0 marks [PAD]",
                 "attention_mask（注意力掩码）正好反了：1 标记真实 token，0 标记 [PAD]")
    if all(v == 1 for r in mask.tolist() for v in r) and any(0 in r for r in want_mask):
        return T("the attention_mask is all ones: [PAD] positions must get 0 so attention ignores them",
                 "attention_mask（注意力掩码）全是 1：[PAD] 位置必须为 0，注意力才会忽略它们")
    if pads and any(v != pad_id for v in pads):
        return T(f"padding positions must hold pad_token_id ({pad_id})", f"填充位置必须是 pad_token_id（{pad_id}）")
    from_values = [[int(v != pad_id) for v in r] for r in rows]
    if mask.tolist() == from_values and from_values != [list(r) for r in want_mask]:
        return T(f"the mask was computed from the ids (input_ids != {pad_id}): a real token whose id is the pad id "
                 "(a [PAD] typed into the text, a 0 in a row) got 0; mark real tokens by the rows' lengths",
                 f"掩码是由 id 算出来的（input_ids != {pad_id}）：id 恰好等于填充 id 的真实 token"
                 "（文本里直接写的 [PAD]，或某一行里的 0）得到了 0；请按各行的长度标记真实 token")
    return None
