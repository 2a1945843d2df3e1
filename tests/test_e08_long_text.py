"""Exercise 08, long text: checked against the tokenizers.Encoding of the whole document.

No model here: the tokenizer alone. The expected windows are built at test time from the document's
own Encoding, tokenized whole (:func:`expected_windows`): window j holds tokens
``j * (max_length - 2 - stride)`` to ``+ max_length - 2`` of the document, between [CLS] and [SEP].
That is what ``return_overflowing_tokens=True`` with ``stride`` does; the tests never compare
with the learner's own output. When a value is wrong the diagnosis reads the windows the learner
returned against :data:`DOC`, a document whose tokens are all different, so each token's place in
the document is known. Every call goes through :func:`bertkata.calls.observe`, directly or by
:func:`call` (a function wrapped by :func:`bertkata.calls.observing`): the caller's documents and the
tokenizer's settings must come back unchanged. The cheap, discriminating tests come
first: the meta tests stop at the first failure.
"""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bertkata.calls import observe, observing
from bertkata.feedback import check, fail, summary, type_name
from bertkata.i18n import T
from bertkata.strategies import documents, window_settings

CLS, SEP, PAD, UNK = 101, 102, 0, 100
MAX_POSITIONS = 512  # bert-base-chinese: tokenizer.model_max_length == config.max_position_embeddings
# 51 characters, 46 tokens, every one different: 盈亏 ... a space (character 29, no token) ... "Apple"
# (characters 34-39, one [UNK]) ... 丽水.
DOC = "天地玄黄宇宙洪荒日月盈亏辰宿列张寒来暑往，秋收冬藏闰余成岁 律吕调阳Apple云腾致雨露结为霜金生丽水"
SPACE, APPLE = 29, 34
LENGTH, STRIDE = 16, 4  # 14 tokens of DOC per window, the next one 10 tokens on: 5 windows
# 1200 characters, one token each: 3 windows of 512 with the defaults (510 tokens, 382 on, 128 shared)
LONG = ("我觉得不行" + "我觉得其实还可以") * 92 + "好" * 4
SEED_SHORT = "我觉得不行"
SEED_SHORT_IDS = [101, 2769, 6230, 2533, 679, 6121, 102]  # C04: tokenizer("我觉得不行")["input_ids"]
# 700 characters, 500 tokens: "Apple" is one [UNK] for 5 characters and the space has no token
MIXED = "我用Apple手机 " * 100

TRUNCATION = T("let the tokenizer cut: tokenizer(text, truncation=True, return_tensors=\"pt\") keeps [CLS] first and "
               "[SEP] last and cuts at model_max_length (512)",
               "让分词器来截断：tokenizer(text, truncation=True, return_tensors=\"pt\") 让 [CLS] 在最前、[SEP] 在最后，"
               "并截断在 model_max_length（512）")
WINDOWS = T("one tokenizer call makes the windows: tokenizer(documents, max_length=max_length, stride=stride, "
            "truncation=True, return_overflowing_tokens=True, padding=True, return_tensors=\"pt\")",
            "一次分词器调用就能切出窗口：tokenizer(documents, max_length=max_length, stride=stride, "
            "truncation=True, return_overflowing_tokens=True, padding=True, return_tensors=\"pt\")")
STRIDE_IS_OVERLAP = T("stride is the overlap, not the step: two consecutive windows share exactly stride tokens, "
                      "and the next window starts max_length - 2 - stride tokens on; pass stride to the tokenizer "
                      "as it is",
                      "stride 是重叠量，不是步长：相邻两个窗口恰好共享 stride 个 token，下一个窗口从 "
                      "max_length - 2 - stride 个 token 之后开始；把 stride 原样传给分词器")
SPAN_FROM_OFFSETS = T("read the span from the window's Encoding: the first real token's start and the last real "
                      "token's end in encoding.offsets (special_tokens_mask 0)",
                      "从这个窗口的 Encoding 读取 span：encoding.offsets 中第一个真实 token（special_tokens_mask 为 0）"
                      "的起点和最后一个真实 token 的终点")
ASK_CHAR_TO_TOKEN = T("for each window of the document (overflow_to_sample_mapping), ask its Encoding which token "
                      "covers the character: windows.encodings[window].char_to_token(c)",
                      "对这篇文档的每个窗口（看 overflow_to_sample_mapping），向它的 Encoding 查询哪个 token 覆盖了"
                      "这个字符：windows.encodings[window].char_to_token(c)")


# ---------------------------------------------------------------- truncate


def test_truncate_cuts_a_long_text_at_512_keeping_sep_last(impl, tokenizer):
    """600 characters (602 tokens with [CLS] and [SEP]) become [CLS], the first 510 characters, [SEP]:
    shape [1, 512]. Slicing input_ids[:, :512] drops [SEP], and without truncation the model fails
    (the warning "Token indices sequence length is longer than the specified maximum sequence length
    for this model (602 > 512)", then an error from the model: a RuntimeError about tensor sizes in
    transformers 5, IndexError in older versions, https://github.com/huggingface/transformers/issues/2446;
    [SEP] kept: https://github.com/huggingface/transformers/issues/1791)."""
    truncate = observing(impl.truncate)
    text = "我" * 300 + "好" * 300
    expect_truncated(truncate, tokenizer, text, 'truncate(tokenizer, "我" * 300 + "好" * 300)')


def test_truncate_cuts_tokens_not_characters(impl, tokenizer):
    """In "我用Apple手机 " * 100 (700 characters, 500 tokens: "Apple" is one [UNK] and the space has no
    token) the text fits whole, 502 positions; cutting it at 510 characters would leave out tokens.
    Repeated 3 times it is cut at 512 tokens, not 512 characters."""
    truncate = observing(impl.truncate)
    expect_truncated(truncate, tokenizer, MIXED, 'truncate(tokenizer, "我用Apple手机 " * 100)')
    expect_truncated(truncate, tokenizer, MIXED * 3, 'truncate(tokenizer, "我用Apple手机 " * 300)')


def test_truncate_leaves_a_short_text_whole_and_unpadded(impl, tokenizer):
    """"我觉得不行" is [1, 7], exactly its ids (case C04,
    https://github.com/huggingface/transformers/issues/278), with no [PAD]: one text needs no padding."""
    truncate = observing(impl.truncate)
    label = f"truncate(tokenizer, {SEED_SHORT!r})"
    got = call(label, truncate, tokenizer, SEED_SHORT, tokenizer=tokenizer)
    ids = input_ids_rows(label, got)
    check(ids == [SEED_SHORT_IDS], f"{label}['input_ids']", summary(got["input_ids"]),
          T(f"[{SEED_SHORT_IDS}] (shape [1, 7])", f"[{SEED_SHORT_IDS}]（形状 [1, 7]）"),
          T('one text fits as it is: padding="max_length" pads it to 512 with [PAD]; a single text needs no padding',
            '一个文本原样就放得下：padding="max_length" 会用 [PAD] 把它填充到 512；单个文本不需要填充')
          if len(ids[0]) == MAX_POSITIONS else TRUNCATION)
    expect_companions(label, got, [len(SEED_SHORT_IDS)])


@given(text=documents(max_pieces=60))
def test_truncate_is_cls_first_510_tokens_sep(impl, tokenizer, text):
    """For any text: [CLS], its first 510 tokens (all of them when fewer), [SEP]; no padding."""
    truncate = observing(impl.truncate)
    text = text * 12  # past 512 tokens for most draws
    expect_truncated(truncate, tokenizer, text, f"truncate(tokenizer, {short(text)})")


def test_truncate_rejects_a_list(impl, tokenizer):
    """truncate takes one str: a list of texts is a TypeError that says so (docstring)."""
    rec = observe("truncate(tokenizer, ['我觉得不行', '我觉得其实还可以'])", impl.truncate, tokenizer,
                  ["我觉得不行", "我觉得其实还可以"], tokenizer=tokenizer)
    rec.expect_error(TypeError, T("'text must be one str, got a list'", "'text 必须是单个 str，实际是 list'"))
    rec.expect_no_side_effects()


# ---------------------------------------------------------------- sliding_windows


def test_windows_of_one_document(impl, tokenizer):
    """DOC (46 tokens) with max_length=16, stride=4: 5 windows of [CLS], 14 tokens, [SEP]; each starts
    10 tokens after the previous one and shares 4 with it; the last holds 6 tokens and is padded.
    stride is the overlap (https://github.com/huggingface/transformers/issues/22391)."""
    sliding_windows = observing(impl.sliding_windows)
    expect_windows(sliding_windows, tokenizer, [DOC], LENGTH, STRIDE)


def test_windows_of_a_batch_of_documents(impl, tokenizer):
    """[DOC, "我觉得不行", "", DOC[::-1]]: the windows of document 0, then 1, 2, 3; overflow_to_sample_mapping
    is [0, 0, 0, 0, 0, 1, 2, 3, 3, 3, 3, 3] (https://github.com/huggingface/transformers/issues/9059).
    Two short documents give one window each, padded to the longer (10 positions), not to max_length.
    A tuple of documents is taken as the list."""
    sliding_windows = observing(impl.sliding_windows)
    expect_windows(sliding_windows, tokenizer, [DOC, SEED_SHORT, "", DOC[::-1]], LENGTH, STRIDE)
    expect_windows(sliding_windows, tokenizer, [SEED_SHORT, "我觉得其实还可以"], LENGTH, STRIDE)
    expect_windows(sliding_windows, tokenizer, (SEED_SHORT, DOC), LENGTH, STRIDE)


def test_default_windows_fill_the_model(impl, tokenizer):
    """With the defaults (max_length None: the model's 512; stride 128) a 1200-token document gives 3 windows
    of 512 positions: tokens 0-509, 382-891, 764-1199."""
    sliding_windows = observing(impl.sliding_windows)
    expect_windows(sliding_windows, tokenizer, [LONG], None, None)


def test_stride_0_and_the_largest_stride(impl, tokenizer):
    """stride=0: windows side by side, no token shared; stride=max_length - 3: each window one token on."""
    sliding_windows = observing(impl.sliding_windows)
    expect_windows(sliding_windows, tokenizer, [DOC], LENGTH, 0)
    expect_windows(sliding_windows, tokenizer, [DOC[:20]], 8, 5)


def test_each_window_keeps_its_encoding_and_offsets(impl, tokenizer):
    """The result keeps one tokenizers.Encoding per window; offsets are characters of the document."""
    sliding_windows = observing(impl.sliding_windows)
    label = f"sliding_windows(tokenizer, [DOC, {SEED_SHORT!r}], {LENGTH}, {STRIDE})"
    got = call(label, sliding_windows, tokenizer, [DOC, SEED_SHORT], LENGTH, STRIDE, tokenizer=tokenizer)
    want = expected_windows(tokenizer, [DOC, SEED_SHORT], LENGTH, STRIDE)
    encodings = getattr(got, "encodings", None)
    check(encodings is not None and len(encodings) == len(want.rows), f"{label}.encodings",
          summary(None if encodings is None else f"{len(encodings)} Encodings"),
          T(f"{len(want.rows)} Encodings, one per window", f"{len(want.rows)} 个 Encoding，每个窗口一个"),
          T("return the tokenizer's BatchEncoding itself: a BatchEncoding built by hand keeps no Encodings",
            "直接返回分词器给出的 BatchEncoding：手工构造的 BatchEncoding 不含 Encoding"))
    for k, (enc, spans) in enumerate(zip(encodings, want.spans)):
        real = [tuple(o) for o, sp in zip(enc.offsets, enc.special_tokens_mask) if not sp]
        check(real == spans, f"{label}.encodings[{k}].offsets", real, spans, WINDOWS)


@given(docs=st.lists(documents(), min_size=1, max_size=3), settings=window_settings())
def test_windows_overlap_by_stride_and_cover_every_token(impl, tokenizer, docs, settings):
    """For any documents, max_length and stride: each window is at most max_length positions, [CLS] first
    and [SEP] last; consecutive windows of a document share exactly stride tokens; together they hold
    every token of every document, and every character that has a token; overflow_to_sample_mapping
    numbers the documents."""
    sliding_windows = observing(impl.sliding_windows)
    max_length, stride = settings
    got, want, label = expect_windows(sliding_windows, tokenizer, docs, max_length, stride)
    encodings = getattr(got, "encodings", None) or []
    check(len(encodings) == len(want.rows), f"{label}.encodings", len(encodings), len(want.rows),
          T("return the tokenizer's BatchEncoding itself, with one Encoding per window",
            "直接返回分词器给出的 BatchEncoding，每个窗口一个 Encoding"))
    spans = [[tuple(o) for o, sp in zip(e.offsets, e.special_tokens_mask) if not sp] for e in encodings]
    for d, doc in enumerate(docs):
        mine = [k for k, owner in enumerate(want.mapping) if owner == d]
        for a, b in zip(mine, mine[1:]):
            shared_tokens = len(set(spans[a]) & set(spans[b]))
            check(shared_tokens == stride, T(f"{label}: tokens windows {a} and {b} share",
                                             f"{label}：窗口 {a} 与 {b} 共享的 token 数"),
                  shared_tokens, stride, STRIDE_IS_OVERLAP)
        covered = {c for k in mine for s, e in spans[k] for c in range(s, e)}
        every = {c for s, e in want.document_spans[d] for c in range(s, e)}
        missing = sorted(every - covered)
        check(not missing, T(f"{label}: characters of document {d} in no window",
                             f"{label}：第 {d} 篇文档中不在任何窗口里的字符"), missing[:5], "[]", WINDOWS)


def test_documents_and_tokenizer_are_left_alone(impl, tokenizer):
    """The caller's list of documents and the tokenizer's settings come back as they were."""
    docs = [DOC, SEED_SHORT]
    rec = observe(f"sliding_windows(tokenizer, [DOC, {SEED_SHORT!r}], {LENGTH}, {STRIDE})", impl.sliding_windows,
                  tokenizer, docs, LENGTH, STRIDE, tokenizer=tokenizer)
    rec.result()
    rec.expect_no_side_effects()


BAD_WINDOWS = [
    (([DOC], 16, 14), ValueError, T("stride = max_length - 2: the window would not move on",
                                    "stride = max_length - 2：窗口无法向前移动"), "stride"),
    (([DOC], 16, 20), ValueError, T("stride larger than a window", "stride 比窗口还大"), "stride"),
    (([DOC], 16, -1), ValueError, T("a negative stride", "负的 stride"), "stride"),
    (([DOC], 513, 128), ValueError, T("max_length past the model's 512 positions", "max_length 超过模型的 512 个位置"),
     "max_length"),
    (([DOC], 2, 0), ValueError, T("max_length 2: no room for a token between [CLS] and [SEP]",
                                  "max_length 为 2：[CLS] 和 [SEP] 之间放不下任何 token"), "max_length"),
    (([DOC], 16.0, 4), TypeError, T("a float max_length", "float 类型的 max_length"), "max_length"),
    (([DOC], 16, True), TypeError, T("stride=True (a bool is not an int here)", "stride=True（bool 在这里不算 int）"),
     "stride"),
    ((DOC, 16, 4), TypeError, T("a single str instead of a list", "传入单个 str 而不是列表"), "document"),
    (([], 16, 4), ValueError, T("no documents", "没有文档"), "document"),
    (([DOC, 7], 16, 4), TypeError, T("a document that is not a str", "某篇文档不是 str"), "document"),
]


@pytest.mark.parametrize("args,error,what,word", BAD_WINDOWS, ids=[w.en for _, _, w, _ in BAD_WINDOWS])
def test_bad_window_arguments_are_errors_that_say_what_to_do(impl, tokenizer, args, error, what, word):
    """Arguments the docstring rejects raise its error, the message naming the argument. A stride of max_length - 2 or
    more makes the tokenizer itself panic (pyo3_runtime.PanicException, a BaseException that
    `except Exception` does not catch: https://github.com/huggingface/tokenizers/issues/1269)."""
    docs, max_length, stride = args
    shown = "DOC" if docs == DOC else "[" + ", ".join("DOC" if d == DOC else repr(d) for d in docs) + "]" \
        if isinstance(docs, list) else repr(docs)
    label = f"sliding_windows(tokenizer, {shown}, {max_length!r}, {stride!r})  # {what}"
    rec = observe(label, impl.sliding_windows, tokenizer, docs, max_length, stride, tokenizer=tokenizer)
    value = {"document": docs, "max_length": max_length, "stride": stride}[word]
    rec.expect_error(error, T(f"'{word} must be ..., got ...'", f"'{word} 必须是……，实际是……'"), mention=word,
                     mistake=bad_window_mistake(rec, error, word, value))
    rec.expect_no_side_effects()


# ---------------------------------------------------------------- window_char_span


def test_char_span_of_each_window(impl, tokenizer):
    """The windows of DOC with max_length=16, stride=4 cover characters (0, 14), (10, 24), (20, 39),
    (31, 49) and (45, 51): the space at 29 has no token, one [UNK] covers "Apple" (34-39), and the
    last window is padded. Offsets are characters (code points): case C17,
    https://github.com/huggingface/tokenizers/issues/404."""
    window_char_span = observing(impl.window_char_span)
    windows = tokenizer([DOC], max_length=LENGTH, stride=STRIDE, truncation=True, return_overflowing_tokens=True,
                        padding=True, return_tensors="pt")
    want = expected_windows(tokenizer, [DOC], LENGTH, STRIDE)
    for k in range(len(want.rows)):
        expect_span(window_char_span, windows, k, want.char_spans[k], "windows(DOC, 16, 4)", want, [DOC])
    expect_span(window_char_span, windows, -1, want.char_spans[-1], "windows(DOC, 16, 4)", want, [DOC])


def test_char_span_in_a_batch_and_of_an_empty_document(impl, tokenizer):
    """Windows of [DOC, "我觉得不行", ""]: the short document's window (padded) covers (0, 5), the empty
    one's window has no real token: None."""
    window_char_span = observing(impl.window_char_span)
    docs = [DOC, SEED_SHORT, ""]
    windows = tokenizer(docs, max_length=LENGTH, stride=STRIDE, truncation=True, return_overflowing_tokens=True,
                        padding=True, return_tensors="pt")
    want = expected_windows(tokenizer, docs, LENGTH, STRIDE)
    label = f"windows([DOC, {SEED_SHORT!r}, ''], 16, 4)"
    for k in range(len(want.rows)):
        expect_span(window_char_span, windows, k, want.char_spans[k], label, want, docs)


@given(docs=st.lists(documents(), min_size=1, max_size=3), settings=window_settings())
def test_char_span_is_the_first_and_last_real_offset(impl, tokenizer, docs, settings):
    """For any windows: window k's span runs from its first real token's start to its last one's end."""
    window_char_span = observing(impl.window_char_span)
    max_length, stride = settings
    windows = tokenizer(docs, max_length=max_length, stride=stride, truncation=True, return_overflowing_tokens=True,
                        padding=True, return_tensors="pt")
    want = expected_windows(tokenizer, docs, max_length, stride)
    label = f"windows({short(docs)}, {max_length}, {stride})"
    for k in range(len(want.rows)):
        expect_span(window_char_span, windows, k, want.char_spans[k], label, want, docs)


BAD_SPAN = [
    ("dict", TypeError, T("a plain dict of the windows", "窗口的普通 dict"), "BatchEncoding"),
    ("no mapping", TypeError, T("a batch without overflow_to_sample_mapping", "没有 overflow_to_sample_mapping 的批次"),
     "overflow_to_sample_mapping"),
    (5, IndexError, T("window 5 of 5", "5 个窗口中的第 5 个"), "window"),
    (-6, IndexError, T("window -6 of 5", "5 个窗口中的第 -6 个"), "window"),
    (True, TypeError, T("window=True", "window=True"), "window"),
]


@pytest.mark.parametrize("case,error,what,word", BAD_SPAN, ids=[w.en for _, _, w, _ in BAD_SPAN])
def test_bad_span_arguments_are_errors(impl, tokenizer, case, error, what, word):
    """What the docstring rejects raises its error, saying what was expected."""
    windows = tokenizer([DOC], max_length=LENGTH, stride=STRIDE, truncation=True, return_overflowing_tokens=True,
                        padding=True, return_tensors="pt")
    args = (windows, 0)
    if case == "dict":
        args = (dict(windows), 0)
    elif case == "no mapping":
        args = (tokenizer([DOC], padding=True, return_tensors="pt"), 0)
    else:
        args = (windows, case)
    label = f"window_char_span({what}, {args[1]!r})"
    rec = observe(label, impl.window_char_span, *args)
    rec.expect_error(error, T(f"'{word} must be ..., got ...'", f"'{word} 必须是……，实际是……'"))
    rec.expect_no_side_effects()


# ---------------------------------------------------------------- windows_of_char


def test_a_character_in_the_overlap_is_in_two_windows(impl, tokenizer):
    """With max_length=16, stride=4: character 11 ('亏') is token 12 of window 0 and token 2 of window 1;
    character 5 is in window 0 only; the space (29) is in none; "Apple" (34-39) is one [UNK], token 14 of
    window 2 and token 4 of window 3; past the end nothing."""
    windows_of_char = observing(impl.windows_of_char)
    windows = tokenizer([DOC], max_length=LENGTH, stride=STRIDE, truncation=True, return_overflowing_tokens=True,
                        padding=True, return_tensors="pt")
    want = expected_windows(tokenizer, [DOC], LENGTH, STRIDE)
    for c in (11, 5, 0, SPACE, APPLE, APPLE + 3, 42, len(DOC) - 1, len(DOC), len(DOC) + 40):
        expect_char(windows_of_char, windows, 0, c, want, "windows(DOC, 16, 4)", [DOC])


def test_only_the_windows_of_that_document(impl, tokenizer):
    """In the windows of [DOC, "我觉得不行"], character 2 of document 1 ('得') is token 3 of window 5, though
    DOC's windows 0 also have a character 2."""
    windows_of_char = observing(impl.windows_of_char)
    docs = [DOC, SEED_SHORT]
    windows = tokenizer(docs, max_length=LENGTH, stride=STRIDE, truncation=True, return_overflowing_tokens=True,
                        padding=True, return_tensors="pt")
    want = expected_windows(tokenizer, docs, LENGTH, STRIDE)
    for d, c in ((1, 2), (1, 0), (0, 2), (-1, 4), (1, 5)):
        expect_char(windows_of_char, windows, d, c, want, f"windows([DOC, {SEED_SHORT!r}], 16, 4)", docs)


@given(docs=st.lists(documents(), min_size=1, max_size=3), settings=window_settings(), data=st.data())
def test_windows_of_char_match_the_document(impl, tokenizer, docs, settings, data):
    """For any windows and character: the (window, t) pairs are exactly the windows of that document holding
    the document's token for the character, at its place in each window."""
    windows_of_char = observing(impl.windows_of_char)
    max_length, stride = settings
    windows = tokenizer(docs, max_length=max_length, stride=stride, truncation=True, return_overflowing_tokens=True,
                        padding=True, return_tensors="pt")
    want = expected_windows(tokenizer, docs, max_length, stride)
    d = data.draw(st.integers(0, len(docs) - 1), label="document")
    c = data.draw(st.integers(0, len(docs[d]) + 1), label="c")
    expect_char(windows_of_char, windows, d, c, want, f"windows({short(docs)}, {max_length}, {stride})", docs)


BAD_CHAR = [
    (2, 0, IndexError, T("document 2 of 2", "2 篇文档中的第 2 篇"), "document"),
    (0, -1, IndexError, T("a negative character index", "负的字符下标"), "c"),
    (0, 1.0, TypeError, T("c=1.0", "c=1.0"), "c"),
    (False, 0, TypeError, T("document=False", "document=False"), "document"),
]


@pytest.mark.parametrize("document,c,error,what,word", BAD_CHAR, ids=[w.en for _, _, _, w, _ in BAD_CHAR])
def test_bad_char_arguments_are_errors(impl, tokenizer, document, c, error, what, word):
    """What the docstring rejects raises its error, saying what was expected."""
    windows = tokenizer([DOC, SEED_SHORT], max_length=LENGTH, stride=STRIDE, truncation=True,
                        return_overflowing_tokens=True, padding=True, return_tensors="pt")
    label = f"windows_of_char(windows([DOC, {SEED_SHORT!r}], 16, 4), {document!r}, {c!r})  # {what}"
    rec = observe(label, impl.windows_of_char, windows, document, c)
    rec.expect_error(error, T(f"'{word} ...: what was expected'", f"'{word} ……：期望的是什么'"))
    rec.expect_no_side_effects()


# ---------------------------------------------------------------- calling the learner's code


def call(text, run, *args, tokenizer=None, mistakes=()):
    """The learner's function by ``run`` (:func:`bertkata.calls.observing`) on ``args``: fails on an unexpected
    error and on any change to the caller's arguments or the tokenizer's settings."""
    rec = run(text, *args, tokenizer=tokenizer)
    value = rec.result(mistakes=[("Unable to create tensor", T(
        "the windows differ in length (the last one is shorter): padding=True pads them to the longest so that "
        "return_tensors=\"pt\" can stack them", "窗口长短不一（最后一个较短）：padding=True 把它们补齐到最长的窗口，"
        "return_tensors=\"pt\" 才能把它们堆成一个张量")), ("PanicException", STRIDE_IS_OVERLAP), *mistakes])
    rec.expect_inputs_unchanged()
    rec.expect_tokenizer_kept()
    return value


# ---------------------------------------------------------------- the reference, from the whole document


class Windows:
    """What the windows of ``documents`` must be, from each document's whole Encoding."""

    def __init__(self):
        self.rows, self.mapping, self.spans, self.char_spans, self.starts = [], [], [], [], []
        self.document_spans, self.document_ids = [], []


def expected_windows(tokenizer, docs, max_length, stride):
    """Window j of a document holds its tokens ``j * step`` to ``j * step + max_length - 2`` (``step =
    max_length - 2 - stride``), as many windows as it takes to reach the last token."""
    max_length = tokenizer.model_max_length if max_length is None else max_length
    stride = 128 if stride is None else stride
    size, step = max_length - 2, max_length - 2 - stride
    out = Windows()
    for d, doc in enumerate(docs):
        enc = tokenizer(doc, verbose=False).encodings[0]  # whole: no truncation, no warning
        ids = [i for i, sp in zip(enc.ids, enc.special_tokens_mask) if not sp]
        spans = [tuple(o) for o, sp in zip(enc.offsets, enc.special_tokens_mask) if not sp]
        out.document_ids.append(ids)
        out.document_spans.append(spans)
        n = len(ids)
        count = 1 if n <= size else 1 + math.ceil((n - size) / step)
        for j in range(count):
            part = slice(j * step, j * step + size)
            out.rows.append([CLS] + ids[part] + [SEP])
            out.mapping.append(d)
            out.spans.append(spans[part])
            out.starts.append(j * step)
            out.char_spans.append((spans[part][0][0], spans[part][-1][1]) if spans[part] else None)
    return out


def padded(rows):
    width = max(len(r) for r in rows)
    return [r + [PAD] * (width - len(r)) for r in rows], [[1] * len(r) + [0] * (width - len(r)) for r in rows]


# ---------------------------------------------------------------- checks and diagnoses


def piece(text: str) -> str:
    """A slice of a document, its two ends when long."""
    return repr(text) if len(text) <= 16 else f"{text[:6]!r}…{text[-6:]!r}"


def short(x) -> str:
    text = repr(x)
    return text if len(text) <= 80 else text[:77] + "..."


def input_ids_rows(label, got):
    """The learner's input_ids as lists, after checking the result is a BatchEncoding of PyTorch tensors."""
    import torch
    from transformers import BatchEncoding

    if not isinstance(got, BatchEncoding):
        fail(label, T(f"a {type_name(got)}", f"一个 {type_name(got)}"), T("a transformers.BatchEncoding",
                                                                          "一个 transformers.BatchEncoding"),
             T("return what the tokenizer returns, a BatchEncoding", "返回分词器给出的 BatchEncoding"))
    ids = got.get("input_ids")
    if not isinstance(ids, torch.Tensor) or ids.dim() != 2:
        fail(f"{label}['input_ids']", summary(ids), T("a 2-D int64 torch.Tensor", "一个二维 int64 torch.Tensor"),
             T('ask for PyTorch tensors: return_tensors="pt"', '要求返回 PyTorch 张量：return_tensors="pt"'))
    check(ids.dtype == torch.int64, f"{label}['input_ids'].dtype", ids.dtype, "torch.int64")
    return ids.tolist()


def expect_companions(label, got, lengths):
    """token_type_ids all 0 and attention_mask 1 on each row's first ``lengths[i]`` positions, 0 after."""
    import torch

    ids = got["input_ids"]
    width = ids.shape[1]
    mask = [[1] * n + [0] * (width - n) for n in lengths]
    for key, want in (("attention_mask", mask), ("token_type_ids", [[0] * width for _ in lengths])):
        value = got.get(key)
        check(isinstance(value, torch.Tensor) and value.tolist() == want, f"{label}[{key!r}]", summary(value),
              T(f"{len(want)} rows of {width}: " + ("1 on the real tokens, 0 on [PAD]" if key == "attention_mask"
                                                   else "all 0 (one segment)"),
                f"{len(want)} 行，每行 {width} 个：" + ("真实 token 为 1，[PAD] 为 0" if key == "attention_mask"
                                                  else "全部为 0（只有一个句段）")), WINDOWS)


def expect_truncated(truncate, tokenizer, text, label):
    """truncate(tokenizer, text) is [CLS], the text's first 510 tokens, [SEP] (``truncate``: the learner's,
    by :func:`bertkata.calls.observing`)."""
    got = call(label, truncate, tokenizer, text, tokenizer=tokenizer)
    ids = input_ids_rows(label, got)
    enc = tokenizer(text, verbose=False).encodings[0]
    tokens = [i for i, sp in zip(enc.ids, enc.special_tokens_mask) if not sp]
    want = [CLS] + tokens[:MAX_POSITIONS - 2] + [SEP]
    if ids != [want]:
        width, end = (len(ids[0]), ids[0][-3:]) if ids else (0, [])
        fail(f"{label}['input_ids']", T(f"shape [{len(ids)}, {width}], ending {end}",
                                        f"形状 [{len(ids)}, {width}]，结尾是 {end}"),
             T(f"shape [1, {len(want)}], ending {want[-3:]} ([SEP] = 102 last)",
               f"形状 [1, {len(want)}]，结尾是 {want[-3:]}（最后是 [SEP] = 102）"),
             truncate_diagnosis(ids, want, tokens, text, tokenizer))
    expect_companions(label, got, [len(want)])


def truncate_diagnosis(ids, want, tokens, text, tokenizer):
    row = ids[0] if len(ids) == 1 else None
    if row is None:
        return T("one text is one row: shape [1, n]", "一个文本就是一行：形状 [1, n]")
    whole = [CLS] + tokens + [SEP]
    if len(row) > MAX_POSITIONS:
        return T(f"no truncation: {len(row)} positions, past BertModel's 512 position embeddings (the tokenizer "
                 f"only warns \"Token indices sequence length is longer than the specified maximum sequence length "
                 f"for this model ({len(row)} > 512)\"; BertModel then raises a RuntimeError about tensor sizes); "
                 "pass truncation=True",
                 f"没有截断：{len(row)} 个位置，超出了 BertModel 的 512 个位置嵌入（分词器只会警告“Token indices "
                 f"sequence length is longer than the specified maximum sequence length for this model "
                 f"({len(row)} > 512)”，随后 BertModel 抛出关于张量大小的 RuntimeError）；传入 truncation=True")
    if len(row) == MAX_POSITIONS and row == whole[:MAX_POSITIONS]:
        return T("the row does not end in [SEP]: slicing input_ids[:, :512] after tokenizing drops it; let the "
                 "tokenizer cut (truncation=True), which keeps [SEP] last",
                 "这一行不是以 [SEP] 结尾：分词之后再切片 input_ids[:, :512] 会把 [SEP] 丢掉；让分词器来截断"
                 "（truncation=True），它会让 [SEP] 留在最后")
    if row == [CLS] + tokens[:MAX_POSITIONS - 4] + [SEP]:
        return T("510 positions: max_length=510 leaves room for [CLS] and [SEP] twice; max_length counts them, "
                 "so truncation=True alone (model_max_length 512) is right",
                 "只有 510 个位置：max_length=510 给 [CLS] 和 [SEP] 重复留了位置；max_length 已经把它们算在内，"
                 "只传 truncation=True（model_max_length 为 512）就对了")
    if row == [CLS] + tokens[-(MAX_POSITIONS - 2):] + [SEP] and row != want:
        return T("you kept the end of the text: truncation_side=\"left\" cuts from the start; the tokenizer's "
                 "default keeps the first 510 tokens",
                 "你保留的是文本的结尾：truncation_side=\"left\" 从开头截断；分词器默认保留前 510 个 token")
    by_chars = tokenizer(text[:MAX_POSITIONS - 2], verbose=False)["input_ids"]
    if row == by_chars and row != want:
        return T("you cut the text at 510 characters: characters are not tokens (one [UNK] covers \"Apple\", a "
                 "space has no token); let the tokenizer cut tokens, truncation=True",
                 "你在 510 个字符处截断了文本：字符不等于 token（一个 [UNK] 覆盖整个 \"Apple\"，空格没有 token）；"
                 "让分词器按 token 截断，truncation=True")
    if len(row) == MAX_POSITIONS and len(want) < MAX_POSITIONS:
        return T('a text that fits was padded to 512: padding="max_length" pads to model_max_length; one text needs '
                 'no padding', '放得下的文本被填充到了 512：padding="max_length" 会填充到 model_max_length；'
                 '单个文本不需要填充')
    return TRUNCATION


def expect_windows(sliding_windows, tokenizer, docs, max_length, stride):
    """sliding_windows(tokenizer, docs, max_length, stride) against :func:`expected_windows`; with None the
    defaults are used (``sliding_windows``: the learner's, by :func:`bertkata.calls.observing`)."""
    want = expected_windows(tokenizer, docs, max_length, stride)
    shown = ", ".join("DOC" if d == DOC else "DOC[::-1]" if d == DOC[::-1] else "LONG" if d == LONG else short(d)
                      for d in docs)
    shown = (f"({shown},)" if len(docs) == 1 else f"({shown})") if isinstance(docs, tuple) else f"[{shown}]"
    if max_length is None:
        label = f"sliding_windows(tokenizer, {shown})"
        got = call(label, sliding_windows, tokenizer, docs, tokenizer=tokenizer)
    else:
        label = f"sliding_windows(tokenizer, {shown}, {max_length}, {stride})"
        got = call(label, sliding_windows, tokenizer, docs, max_length, stride, tokenizer=tokenizer)
    ids = input_ids_rows(label, got)
    rows, mask = padded(want.rows)
    if ids != rows:
        width = len(ids[0]) if ids else 0
        fail(f"{label}['input_ids']",
             T(f"{len(ids)} window{'' if len(ids) == 1 else 's'} of {width} positions; first rows' lengths "
               f"without [PAD] {[len([i for i in r if i != PAD]) for r in ids[:6]]}",
               f"{len(ids)} 个窗口，每个 {width} 个位置；前几行去掉 [PAD] 后的长度 "
               f"{[len([i for i in r if i != PAD]) for r in ids[:6]]}"),
             T(f"{len(rows)} window{'' if len(rows) == 1 else 's'} of {len(rows[0])} positions; "
               f"lengths {[len(r) for r in want.rows[:6]]}",
               f"{len(rows)} 个窗口，每个 {len(rows[0])} 个位置；长度 {[len(r) for r in want.rows[:6]]}"),
             windows_diagnosis(ids, want, max_length, stride, tokenizer))
    expect_companions(label, got, [len(r) for r in want.rows])
    import torch

    mapping = got.get("overflow_to_sample_mapping")
    if mapping is None:
        fail(f"{label}['overflow_to_sample_mapping']", T("no such key", "没有这个键"), want.mapping,
             T("keep overflow_to_sample_mapping: it says which document each window comes from; the tokenizer "
               "returns it with return_overflowing_tokens=True", "保留 overflow_to_sample_mapping：它说明每个窗口"
               "来自哪篇文档；分词器在 return_overflowing_tokens=True 时会返回它"))
    values = mapping.tolist() if isinstance(mapping, torch.Tensor) else mapping
    check(values == want.mapping and isinstance(mapping, torch.Tensor), f"{label}['overflow_to_sample_mapping']",
          summary(mapping), T(f"tensor({want.mapping})", f"tensor({want.mapping})"),
          T("overflow_to_sample_mapping numbers the documents of the batch: window k comes from document "
            "mapping[k]; tokenize the whole list in one call rather than each document on its own",
            "overflow_to_sample_mapping 给批次中的文档编号：第 k 个窗口来自第 mapping[k] 篇文档；"
            "把整个列表一次交给分词器，而不是逐篇分词") if values != want.mapping else WINDOWS)
    return got, want, label


def windows_diagnosis(ids, want, max_length, stride, tokenizer):
    """Name the mistake from the windows the learner returned (their tokens' places in the documents)."""
    max_length = tokenizer.model_max_length if max_length is None else max_length
    stride = 128 if stride is None else stride
    real = [[i for i in r if i != PAD] for r in ids]
    if real and any(r[:1] != [CLS] or r[-1:] != [SEP] for r in real):
        return T("each window is a model input of its own: [CLS] first and [SEP] last in every window, as the "
                 "tokenizer makes them (slicing one long row of input_ids leaves most windows without them)",
                 "每个窗口都是一条独立的模型输入：每个窗口都以 [CLS] 开头、以 [SEP] 结尾，分词器就是这样切的"
                 "（把一长行 input_ids 切片，大多数窗口就没有它们）")
    if len(real) == len({d for d in want.mapping}) and len(want.rows) > len(real):
        return T("one row per document: the tokens past the first window were dropped; "
                 "return_overflowing_tokens=True returns the other windows too",
                 "每篇文档只有一行：第一个窗口之后的 token 都被丢掉了；return_overflowing_tokens=True 才会把其余窗口也返回")
    if real and max(len(r) for r in real) == max_length - 2 and max(len(r) for r in want.rows) == max_length:
        return T("windows of max_length - 2 positions: max_length already counts [CLS] and [SEP]; pass it as it is",
                 "窗口只有 max_length - 2 个位置：max_length 已经把 [CLS] 和 [SEP] 算在内；原样传入即可")
    widths = {len(r) for r in ids}
    if widths == {max_length} and max(len(r) for r in want.rows) < max_length:
        return T('every window was padded to max_length: padding=True pads to the longest window (padding='
                 '"max_length" pads every row to max_length)', '每个窗口都被填充到了 max_length：padding=True 补齐到'
                 '最长的窗口（padding="max_length" 会把每一行都填充到 max_length）')
    overlaps = measured_overlaps(real, want)
    size = max_length - 2
    if overlaps and stride != size - stride and all(o == size - stride for o in overlaps):
        return STRIDE_IS_OVERLAP
    if overlaps and stride > 0 and all(o == 0 for o in overlaps):
        return T("the windows do not overlap: pass stride to the tokenizer, the number of tokens two consecutive "
                 "windows share", "窗口之间没有重叠：把 stride 传给分词器，它是相邻两个窗口共享的 token 数")
    if overlaps and any(o != stride for o in overlaps):
        return T(f"consecutive windows share {sorted(set(overlaps))} tokens, not stride = {stride}: "
                 + STRIDE_IS_OVERLAP.en, f"相邻窗口共享 {sorted(set(overlaps))} 个 token，而不是 stride = {stride}："
                 + STRIDE_IS_OVERLAP.zh)
    return WINDOWS


def measured_overlaps(real, want):
    """How many tokens consecutive windows of the same document share, read from DOC's distinct tokens;
    [] unless every window is a run of DOC's tokens."""
    doc_ids = next((ids for ids in want.document_ids if len(set(ids)) == len(ids) and len(ids) > 20), None)
    if doc_ids is None:
        return []
    place = {t: i for i, t in enumerate(doc_ids)}
    runs = []
    for r in real:
        inner = r[1:-1] if r[:1] == [CLS] and r[-1:] == [SEP] else r
        if not inner or any(t not in place for t in inner):
            continue
        runs.append((place[inner[0]], place[inner[-1]] + 1))
    return [max(0, a_end - b_start) for (a_start, a_end), (b_start, _) in zip(runs, runs[1:]) if b_start > a_start]


def bad_window_mistake(rec, error, word, value):
    """Why a rejected argument got through (or raised the wrong error)."""
    if rec.error is None and isinstance(value, bool):
        return T(f"isinstance({value}, int) is True (bool is a subclass of int), so that check lets {word}={value} "
                 f"through: check type({word}) is int and raise TypeError",
                 f"isinstance({value}, int) 的结果是 True（bool 是 int 的子类），所以这样的检查会放过 {word}={value}："
                 f"应检查 type({word}) is int，不满足就抛出 TypeError")

    if rec.error is not None and type(rec.error).__name__ == "PanicException":
        return T("the tokenizer panicked (pyo3_runtime.PanicException, a BaseException: `except Exception` does not "
                 "catch it): stride must be below max_length - 2, the tokens a window holds besides [CLS] and [SEP]; "
                 "check stride first and raise ValueError",
                 "分词器崩溃了（pyo3_runtime.PanicException 是 BaseException，`except Exception` 捕获不到它）："
                 "stride 必须小于 max_length - 2，即一个窗口中除 [CLS] 和 [SEP] 外的 token 数；先检查 stride，"
                 "不合法就抛出 ValueError")
    if word == "max_length" and error is ValueError and rec.error is None:
        return T("check max_length against tokenizer.model_max_length (512, BertModel's position embeddings) and "
                 "3 (room for [CLS], one token and [SEP]) and raise ValueError",
                 "把 max_length 与 tokenizer.model_max_length（512，即 BertModel 的位置嵌入个数）和 3（[CLS]、"
                 "一个 token 和 [SEP] 的位置）比较，不合法就抛出 ValueError")
    return None


def expect_span(window_char_span, windows, k, want_span, label, want, docs):
    text = f"window_char_span({label}, {k})"
    got = call(text, window_char_span, windows, k)
    if got == want_span and (got is None or (type(got) is tuple and all(type(x) is int for x in got))):
        return
    kk = k % len(want.rows)
    doc = docs[want.mapping[kk]]
    shown = lambda span: (repr(span) + (f"  # {piece(doc[span[0]:span[1]])}" if isinstance(span, tuple)
                                        and len(span) == 2 and all(isinstance(x, int) for x in span) else ""))
    fail(text, shown(got), shown(want_span), span_diagnosis(got, want_span, windows, kk, want))


def span_diagnosis(got, want_span, windows, k, want):
    enc = windows.encodings[k]
    offsets = [tuple(o) for o in enc.offsets]
    if want_span is None:
        return T("this window has no real token (an empty document): return None",
                 "这个窗口没有真实 token（空文档）：返回 None")
    if isinstance(got, list) and tuple(got) == want_span:
        return T("return a tuple (start, end) of two int", "返回由两个 int 组成的 tuple (start, end)")
    if not isinstance(got, tuple) or len(got) != 2:
        return SPAN_FROM_OFFSETS
    start, end = want_span
    if got == (0, 0) or got[0] == 0 and start != 0:
        return T("[CLS], [SEP] and [PAD] have offsets (0, 0): skip them (special_tokens_mask 1) and take the first "
                 "and last real tokens", "[CLS]、[SEP] 和 [PAD] 的 offsets 是 (0, 0)：跳过它们（special_tokens_mask 为 1），"
                 "取第一个和最后一个真实 token")
    if got[0] == start and got[1] in (0, offsets[-2][1]) and got[1] != end:
        return T("the last window is padded: offsets[-2] is a [PAD] there, not the last real token; find the real "
                 "tokens with special_tokens_mask", "最后一个窗口有填充：那里的 offsets[-2] 是 [PAD]，不是最后一个"
                 "真实 token；用 special_tokens_mask 找出真实 token")
    if got == (start, start + len(want.rows[k]) - 2):
        return T("tokens are not characters: one [UNK] covers \"Apple\" (5 characters), a space has no token; read "
                 "the characters from the Encoding's offsets", "token 不等于字符：一个 [UNK] 覆盖 \"Apple\"（5 个字符），"
                 "空格没有 token；从 Encoding 的 offsets 读取字符位置")
    if got == (start, end - 1) or got == (start, offsets_last_start(enc)):
        return T("end is exclusive, as in a slice: document[start:end] is the window's text, so end is the last "
                 "real token's offsets end", "end 不包含在内，和切片一样：document[start:end] 就是窗口的文本，"
                 "所以 end 是最后一个真实 token 的 offsets 终点")
    return SPAN_FROM_OFFSETS


def offsets_last_start(enc):
    real = [tuple(o) for o, sp in zip(enc.offsets, enc.special_tokens_mask) if not sp]
    return real[-1][0] if real else None


def expected_char(want, d, c):
    """(window, t) for each window of document ``d`` holding the document's token for character ``c``."""
    d = d % len(want.document_ids)
    spans = want.document_spans[d]
    j = next((j for j, (a, b) in enumerate(spans) if a <= c < b), None)
    if j is None:
        return []
    return [(k, j - want.starts[k] + 1) for k, owner in enumerate(want.mapping)
            if owner == d and want.starts[k] <= j < want.starts[k] + len(want.rows[k]) - 2]


def expect_char(windows_of_char, windows, d, c, want, label, docs):
    text = f"windows_of_char({label}, {d}, {c})"
    got = call(text, windows_of_char, windows, d, c)
    expected = expected_char(want, d, c)
    ok = isinstance(got, list) and got == expected and all(
        type(p) is tuple and len(p) == 2 and all(type(x) is int for x in p) for p in got)
    if not ok:
        doc = docs[d % len(docs)]
        where = T(f"  # {doc[c]!r}", f"  # {doc[c]!r}") if 0 <= c < len(doc) else T("  # past the end", "  # 超出末尾")
        fail(text + str(where), summary(got), repr(expected), char_diagnosis(got, expected, want, d, c))


def char_diagnosis(got, expected, want, d, c):
    if isinstance(got, list) and [tuple(p) for p in got if isinstance(p, (list, tuple))] == expected:
        return T("return a list of (window, t) tuples of two int", "返回由 (window, t) 元组组成的列表，每个元组是两个 int")
    if not isinstance(got, list):
        return T("return a list of (window, t), [] when no window holds the character",
                 "返回 (window, t) 的列表；没有窗口包含这个字符时返回 []")
    n = len(want.document_ids)
    first = want.mapping.index(d % n) if d % n in want.mapping else 0
    if expected and got == [(w - first, t) for w, t in expected] and first:
        return T(f"window numbers are rows of the whole batch (windows['input_ids'][w]), not counted from 0 within "
                 f"the document: document {d % n}'s windows start at row {first}",
                 f"窗口编号是整个批次的行号（windows['input_ids'][w]），不是在这篇文档里从 0 数起：下标为 {d % n} 的文档的"
                 f"窗口从下标为 {first} 的行开始")
    if d < 0 and expected and got == []:
        return T(f"document is Python-style, as in a list: {d} counts from the end, document {d % n} here, while "
                 "overflow_to_sample_mapping holds 0 to n - 1; after checking it, use document % n",
                 f"document 的下标与列表一样是 Python 式的：{d} 从末尾数起，这里就是下标为 {d % n} 的文档，而 "
                 "overflow_to_sample_mapping 里只有 0 到 n - 1；检查之后用 document % n")
    d = d % n
    others = [p for p in got if isinstance(p, tuple) and len(p) == 2 and isinstance(p[0], int)
              and 0 <= p[0] < len(want.mapping) and want.mapping[p[0]] != d]
    if others:
        return T(f"window {others[0][0]} is a window of another document (overflow_to_sample_mapping says "
                 f"{want.mapping[others[0][0]]}): keep only the windows of this document",
                 f"第 {others[0][0]} 个窗口属于另一篇文档（overflow_to_sample_mapping 说它来自第 "
                 f"{want.mapping[others[0][0]]} 篇）：只保留这篇文档的窗口")
    if len(expected) > 1 and got == expected[:1]:
        return T("in the overlap a character is in two windows: look in every window of the document, not only the "
                 "first one that has it", "在重叠部分，一个字符同时属于两个窗口：要查这篇文档的每个窗口，"
                 "不能找到第一个就停")
    if not expected and got:
        return T("no token covers this character (whitespace, or past the end): char_to_token gives None there; "
                 "return [] rather than a neighbouring token", "没有 token 覆盖这个字符（空白字符，或超出末尾）："
                 "char_to_token 在这里给出 None；返回 []，不要返回相邻的 token")
    if len(got) == len(expected) and [p[0] for p in got] == [p[0] for p in expected]:
        return T("the right windows but the wrong positions: characters and tokens do not line up one to one "
                 "(position 0 is [CLS], one [UNK] covers \"Apple\", a space has no token); "
                 + ASK_CHAR_TO_TOKEN.en, "窗口找对了，位置却不对：字符和 token 并不一一对应（位置 0 是 [CLS]，"
                 "一个 [UNK] 覆盖 \"Apple\"，空格没有 token）；" + ASK_CHAR_TO_TOKEN.zh)
    return ASK_CHAR_TO_TOKEN
