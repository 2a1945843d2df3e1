"""Exercise 02, index encodings: checked against the tokenizers.Encoding objects bert-base-chinese's tokenizer keeps.

No model here: the tokenizer alone. Every call goes through :func:`call`, which observes it
(:func:`bertkata.calls.observing`) and first checks that the batch, its tensors and its Encodings,
came back unchanged.
"""

import pytest
from hypothesis import given

from bertkata.calls import observing
from bertkata.feedback import check, fail, summary, type_name
from bertkata.i18n import T, pick, say
from bertkata.strategies import TYPED_SPECIAL_TOKENS, chinese_batches, mixed_sentences, sentence_batches

PAIR = ["你好", "今天天气很好"]
FOUR = ["你好", "今天天气很好", "我觉得不行", "我觉得其实还可以"]
MIXED = "我在北京，ＡＢＣ ａｂｃ😀 test\t好"
CLEANED = "我\x00好\u200b"  # NUL and a zero-width space: the tokenizer's cleaning drops both
# 606 positions: [CLS], 300 x 我, 用, [UNK] (Apple), 手, 机, 300 x 好, [SEP]; 608 characters
LONG = "我" * 300 + "用Apple手机" + "好" * 300
LONG_LABEL = 'tokenizer(["我" * 300 + "用Apple手机" + "好" * 300, "你好"], padding=True)'

# C05 (https://github.com/ModelCloud/GPTQModel/pull/643): the padded pair.
PAIR_IDS = [[101, 872, 1962, 102, 0, 0, 0, 0], [101, 791, 1921, 1921, 3698, 2523, 1962, 102]]
PAIR_TOKENS = [["[CLS]", "你", "好", "[SEP]", "[PAD]", "[PAD]", "[PAD]", "[PAD]"],
               ["[CLS]", "今", "天", "天", "气", "很", "好", "[SEP]"]]
PAIR_OFFSETS = [[(0, 0), (0, 1), (1, 2)] + [(0, 0)] * 5,
                [(0, 0), (0, 1), (1, 2), (2, 3), (3, 4), (4, 5), (5, 6), (0, 0)]]
PAIR_WORD_IDS = [[None, 0, 1, None, None, None, None, None], [None, 0, 1, 2, 3, 4, 5, None]]
PAIR_SPANS = [[None, (0, 1), (1, 2), None, None, None, None, None],
              [None, (0, 1), (1, 2), (2, 3), (3, 4), (4, 5), (5, 6), None]]

# C17 (https://github.com/huggingface/tokenizers/issues/404): full-width forms, emoji, whitespace.
MIXED_TOKENS = ["[CLS]", "我", "在", "北", "京", "，", "[UNK]", "[UNK]", "test", "好", "[SEP]"]
MIXED_SPANS = [None, (0, 1), (1, 2), (2, 3), (3, 4), (4, 5), (5, 8), (9, 13), (14, 18), (19, 20), None]
MIXED_SLICES = ["我", "在", "北", "京", "，", "ＡＢＣ", "ａｂｃ😀", "test", "好"]

NOT_ENCODING = T("batch[\"input_ids\"][i] is only a row of ids; batch[i] with an integer i "
                 "is the sentence's tokenizers.Encoding (the tensor row is not it)",
                 "batch[\"input_ids\"][i] 只是一行 id；用整数 i 取 batch[i]，得到的才是这个句子的 "
                 "tokenizers.Encoding（张量的那一行不是它）")
KEYS_NOT_SENTENCES = T("len(batch) counts the keys (input_ids, token_type_ids, attention_mask), "
                       "not the sentences: the batch size is len(batch.encodings)",
                       "len(batch) 数的是键（input_ids、token_type_ids、attention_mask），"
                       "不是句子：批大小是 len(batch.encodings)")
SPECIAL_IS_NONE = T("[CLS], [SEP] and [PAD] come from no character: return None for them, not (0, 0); "
                    "the Encoding's special_tokens_mask says which positions they are",
                    "[CLS]、[SEP] 和 [PAD] 不来自任何字符：对它们返回 None，而不是 (0, 0)；"
                    "Encoding 的 special_tokens_mask 标出了它们在哪些位置")
STARTS_AT_ZERO = T("a real token can start at character 0 ({token} at position {t} has offsets {span}); "
                   "tell [CLS]/[SEP]/[PAD] by the Encoding's special_tokens_mask (or word_ids None), "
                   "not by their offsets",
                   "真实 token 也可能从第 0 个字符开始（位置 {t} 上的 {token}，其 offsets（字符偏移）为 {span}）；"
                   "请用 Encoding 的 special_tokens_mask（或 word_ids 为 None）来识别 [CLS]/[SEP]/[PAD]，"
                   "而不是看它们的 offsets")
TYPED_SPECIAL = T("{token} at {span} was typed into the sentence: it is a real token of the text "
                  "(special_tokens_mask 0, offsets {span}) that shares the special token's id; tell [CLS]/[SEP]/[PAD] "
                  "by the Encoding's special_tokens_mask, not by the token's text or id",
                  "{span} 处的 {token} 是直接写在句子里的：它是文本中的真实 token（special_tokens_mask 为 0，"
                  "offsets 为 {span}），只是与特殊 token 共用同一个 id；请用 Encoding 的 special_tokens_mask "
                  "来识别 [CLS]/[SEP]/[PAD]，而不是看 token 的文本或 id")
SHIFTED = T("shifted by one: offsets and tokens share the row's positions, and position 0 holds [CLS], "
            "so token t's span is encoding.offsets[t] (no -1, no +1)",
            "错开了一位：offsets 和 tokens 共用这一行的位置编号，位置 0 是 [CLS]，"
            "所以 token t 的 span 就是 encoding.offsets[t]（不用 -1，也不用 +1）")
CLS_FIRST = T("position 0 holds [CLS], so character c of a Chinese sentence is token c + 1; "
              "ask the Encoding (char_to_token) instead of counting",
              "位置 0 是 [CLS]，所以中文句子的第 c 个字符是 token c + 1；"
              "请向 Encoding 查询（char_to_token），不要自己数")
DROPPED = T("no token covers a character the tokenizer drops (whitespace, control characters such as '\\x00', "
            "zero-width ones such as '\\u200b'): return None there, not a neighbouring token; "
            "Encoding.char_to_token says None",
            "分词器丢弃的字符（空白字符、'\\x00' 这样的控制字符、'\\u200b' 这样的零宽字符）没有 token 覆盖："
            "在这些位置返回 None，而不是相邻的 token；Encoding.char_to_token 给出的也是 None")
NEGATIVE_I = T("i=-1 is the last sentence, Python-style: a negative i counts from the end of the batch "
               "(i + len(batch.encodings)), as a list index does",
               "按 Python 的惯例，i=-1 是最后一个句子：负的 i 从批次末尾倒着数（i + len(batch.encodings)），"
               "和列表下标一样")
NEGATIVE_T = T("a negative t counts from the end of the row, Python-style (t=-1 is the last position): "
               "accept -len(encoding) <= t < 0 as a list does",
               "按 Python 的惯例，负的 t 从这一行的末尾倒着数（t=-1 是最后一个位置）："
               "像列表一样接受 -len(encoding) <= t < 0")
NO_NEGATIVE_IN_ENCODING = T("the Encoding's methods (token_to_chars, char_to_token, word_ids...) take no negative "
                            "index: turn a negative t into t + len(encoding) first",
                            "Encoding 的方法（token_to_chars、char_to_token、word_ids……）不接受负下标："
                            "先把负的 t 换算成 t + len(encoding)")
LONG_ROW = T("this row has {width} positions: a batch tokenized without truncation can be longer than the model's "
             "512; check t against len(encoding), not 512",
             "这一行有 {width} 个位置：不截断分词得到的批次可以比模型的 512 更长；"
             "请用 len(encoding) 检查 t，而不是 512")
PYTHON_INT = T("return a plain Python int (int(x) or x.item()), as Encoding.char_to_token gives, or None",
               "返回普通的 Python int（int(x) 或 x.item()），和 Encoding.char_to_token 给出的一样，或者返回 None")
A_LIST_OF_STR = T("a list of str", "一个 str 列表")
AN_ENCODING = T("a tokenizers.Encoding", "一个 tokenizers.Encoding")
ASK_CHAR_TO_TOKEN = T("ask the Encoding which token covers the character (char_to_token)",
                      "向 Encoding 查询哪个 token 覆盖了这个字符（char_to_token）")


# ---------------------------------------------------------------- encoding_at


def test_integer_index_gives_the_encoding(impl, tokenizer):
    """batch[i] is sentence i's tokenizers.Encoding; batch["input_ids"][i] is only its tensor row.

    Case C05: https://github.com/ModelCloud/GPTQModel/pull/643
    """
    encoding_at = observing(impl.encoding_at)
    batch = tokenizer(PAIR, padding=True, return_tensors="pt")
    for i in range(2):
        label = f"encoding_at(tokenizer({PAIR}, padding=True, return_tensors='pt'), {i})"
        got = value(call(label, encoding_at, batch, i), batch, i)
        expect_encoding(label, got, PAIR_IDS[i], PAIR_TOKENS[i])
        check([tuple(o) for o in got.offsets] == PAIR_OFFSETS[i], f"{label}.offsets", got.offsets,
              PAIR_OFFSETS[i], T("return batch[i] itself, not a rebuilt Encoding",
                                 "直接返回 batch[i] 本身，不要重新构造一个 Encoding"))
        check(list(got.word_ids) == PAIR_WORD_IDS[i], f"{label}.word_ids", got.word_ids, PAIR_WORD_IDS[i])
        check(got.ids == batch["input_ids"][i].tolist(), f"{label}.ids", got.ids,
              T(f"the tensor row batch['input_ids'][{i}] = {batch['input_ids'][i].tolist()}",
                f"张量的那一行 batch['input_ids'][{i}] = {batch['input_ids'][i].tolist()}"))


def test_batch_size_is_the_number_of_encodings(impl, tokenizer):
    """A batch of 4 sentences has 3 keys: len(batch) == 3, len(batch.encodings) == 4.

    Case C05: https://github.com/ModelCloud/GPTQModel/pull/643
    """
    encoding_at = observing(impl.encoding_at)
    batch = tokenizer(FOUR, padding=True, return_tensors="pt")
    assert len(batch) == 3 and len(batch.encodings) == 4  # keys versus sentences
    for i in range(len(FOUR)):
        label = f"encoding_at(tokenizer({FOUR}, padding=True, return_tensors='pt'), {i})"
        got = value(call(label, encoding_at, batch, i), batch, i)
        expect_encoding(label, got, batch["input_ids"][i].tolist(),
                        tokenizer.convert_ids_to_tokens(batch["input_ids"][i]))


def test_lists_and_negative_indices(impl, tokenizer):
    """Without return_tensors the batch holds lists, and still keeps its Encodings; i=-1 is the last sentence."""
    encoding_at = observing(impl.encoding_at)
    batch = tokenizer(FOUR, padding=True)
    for i in (0, 3, -1, -4):
        label = f"encoding_at(tokenizer({FOUR}, padding=True), {i})"
        got = value(call(label, encoding_at, batch, i), batch, i)
        row = batch["input_ids"][i]
        expect_encoding(label, got, row, tokenizer.convert_ids_to_tokens(row))


def test_every_function_returns_its_documented_type(impl, tokenizer):
    """encoding_at: a tokenizers.Encoding; tokens_at: a list of str; token_char_span: a tuple of two
    int (None is checked with the values); token_for_char: an int."""
    encoding_at = observing(impl.encoding_at)
    tokens_at = observing(impl.tokens_at)
    token_char_span = observing(impl.token_char_span)
    token_for_char = observing(impl.token_for_char)
    import tokenizers

    batch = tokenizer(PAIR, padding=True, return_tensors="pt")
    label = f"tokenizer({PAIR}, padding=True, return_tensors='pt')"
    got = value(call(f"encoding_at({label}, 1)", encoding_at, batch, 1), batch, 1)
    if not isinstance(got, tokenizers.Encoding):
        fail(f"encoding_at({label}, 1)", summary(got), AN_ENCODING, NOT_ENCODING
             if hasattr(got, "tolist") or isinstance(got, list) else T("return batch[i], the Encoding itself",
                                                                       "返回 batch[i]，也就是 Encoding 本身"))
    got = value(call(f"tokens_at({label}, 1)", tokens_at, batch, 1), batch, 1)
    check(isinstance(got, list) and all(type(x) is str for x in got), f"tokens_at({label}, 1)", summary(got),
          A_LIST_OF_STR, T("return the Encoding's tokens as a list of str: list(encoding.tokens)",
                           "以 str 列表的形式返回 Encoding 的 tokens：list(encoding.tokens)"))
    got = value(call(f"token_char_span({label}, 1, 2)", token_char_span, batch, 1, 2), batch, 1, 2)
    check(got is None or isinstance(got, tuple) and len(got) == 2 and all(type(x) is int for x in got),
          f"token_char_span({label}, 1, 2)", T(f"{summary(got)} (a {type_name(got)})",
                                               f"{summary(got)}（一个 {type_name(got)}）"),
          T("a tuple of two int (start, end)", "由两个 int 组成的 tuple (start, end)"),
          T("return a tuple (start, end) of Python ints, as Encoding.offsets holds",
            "返回由 Python int 组成的 tuple (start, end)，和 Encoding.offsets 里存的一样"))
    got = value(call(f"token_for_char({label}, 1, 3)", token_for_char, batch, 1, 3), batch, 1, c=3)
    check(type(got) is int, f"token_for_char({label}, 1, 3)", T(f"{summary(got)} (a {type_name(got)})",
                                                                f"{summary(got)}（一个 {type_name(got)}）"),
          T("an int", "一个 int"), PYTHON_INT)


# ---------------------------------------------------------------- tokens_at


def test_tokens_include_the_padding(impl, tokenizer):
    """A padded sentence's Encoding goes on past [SEP]: its [PAD] positions are tokens too.

    Case C05: https://github.com/ModelCloud/GPTQModel/pull/643
    """
    tokens_at = observing(impl.tokens_at)
    batch = tokenizer(PAIR, padding=True, return_tensors="pt")
    for i in range(2):
        label = f"tokens_at(tokenizer({PAIR}, padding=True, return_tensors='pt'), {i})"
        got = value(call(label, tokens_at, batch, i), batch, i)
        check(isinstance(got, list) and all(isinstance(x, str) for x in got), label, summary(got),
              A_LIST_OF_STR, T("return the Encoding's tokens as a list of str", "以 str 列表的形式返回 Encoding 的 tokens"))
        mistake = None
        if got == PAIR_TOKENS[i][:len(got)] and len(got) < len(PAIR_TOKENS[i]):
            mistake = T("the Encoding of a padded sentence keeps its [PAD] tokens: one token per position, "
                        "as many as the row of input_ids",
                        "填充过的句子，其 Encoding 保留了 [PAD] token：每个位置一个 token，"
                        "个数与 input_ids 的那一行相同")
        check(got == PAIR_TOKENS[i], label, got, PAIR_TOKENS[i], mistake)


def test_tokens_of_mixed_text_and_whole_word_unk(impl, tokenizer):
    """Full-width forms keep their own tokens (no NFKC); an upper-case Latin word is ONE [UNK].

    Cases C17 (https://github.com/huggingface/tokenizers/issues/404),
    C01 (https://github.com/huggingface/transformers/issues/9286) and
    C02 (https://github.com/huggingface/transformers/issues/14990).
    """
    tokens_at = observing(impl.tokens_at)
    sentences = [MIXED, "我用Apple手机", "AAA", "GPT-4o很强"]
    want = [MIXED_TOKENS, ["[CLS]", "我", "用", "[UNK]", "手", "机", "[SEP]"],
            ["[CLS]", "[UNK]", "[SEP]"], ["[CLS]", "[UNK]", "-", "4", "##o", "很", "强", "[SEP]"]]
    batch = tokenizer(sentences, padding=True, return_tensors="pt")
    width = batch["input_ids"].shape[1]
    for i, tokens in enumerate(want):
        label = f"tokens_at(tokenizer({sentences}, padding=True, return_tensors='pt'), {i})"
        got = value(call(label, tokens_at, batch, i), batch, i)
        full = tokens + ["[PAD]"] * (width - len(tokens))
        check(got == full, label, got, full,
              T("read the tokens from the Encoding (batch[i].tokens); they include [PAD] up to the row's length",
                "从 Encoding 读取 tokens（batch[i].tokens）；其中包括 [PAD]，一直到这一行的长度"))


@given(sentences=sentence_batches(sentences=mixed_sentences(typed_special_tokens=True)))
def test_tokens_are_the_ids_of_the_row(impl, tokenizer, sentences):
    """For any batch: tokens_at(b, i) == convert_ids_to_tokens(b["input_ids"][i]), and the Encoding's
    ids are the tensor row."""
    tokens_at = observing(impl.tokens_at)
    encoding_at = observing(impl.encoding_at)
    batch = tokenizer(sentences, padding=True, return_tensors="pt")
    for i in range(len(sentences)):
        row = batch["input_ids"][i]
        want = tokenizer.convert_ids_to_tokens(row)
        label = f"tokens_at(tokenizer({sentences}, padding=True, return_tensors='pt'), {i})"
        got = value(call(label, tokens_at, batch, i), batch, i)
        check(got == want, label, got, want, T("the tokens of sentence i, one per position of its row, [PAD] included",
                                               "第 i 个句子的 tokens：这一行每个位置一个，[PAD] 也算在内"))
        label = f"encoding_at(tokenizer({sentences}, padding=True, return_tensors='pt'), {i})"
        expect_encoding(label, value(call(label, encoding_at, batch, i), batch, i), row.tolist(), want)


# ---------------------------------------------------------------- token_char_span


def test_spans_of_the_padded_pair(impl, tokenizer):
    """Each Chinese character is one token spanning one character; [CLS], [SEP] and [PAD] have no span.

    Case C05: https://github.com/ModelCloud/GPTQModel/pull/643
    """
    token_char_span = observing(impl.token_char_span)
    batch = tokenizer(PAIR, padding=True, return_tensors="pt")
    for i in range(2):
        expect_spans(token_char_span, batch, i, PAIR_SPANS[i],
                     f"tokenizer({PAIR}, padding=True, return_tensors='pt')", PAIR[i])


def test_spans_of_mixed_text(impl, tokenizer):
    """Offsets are Python character (code point) indices: 'ＡＢＣ' is one [UNK] at (5, 8), 'ａｂｃ😀' one
    [UNK] at (9, 13), and the space and tab belong to no token.

    Case C17: https://github.com/huggingface/tokenizers/issues/404
    """
    token_char_span = observing(impl.token_char_span)
    batch = tokenizer([MIXED], return_tensors="pt")
    label = f"tokenizer([{MIXED!r}], return_tensors='pt')"
    expect_spans(token_char_span, batch, 0, MIXED_SPANS, label, MIXED)
    slices = [MIXED[s:e] for s, e in (call(f"token_char_span({label}, 0, {t})", token_char_span, batch, 0, t)
                                      .result() for t in range(1, 10))]
    enc = batch.encodings[0]
    check(slices == MIXED_SLICES, T("[text[s:e] for each span]", "[每个 span 对应的 text[s:e]]"), slices, MIXED_SLICES,
          not_by_length(MIXED, [tuple(o) for o in enc.offsets], enc.tokens))


def test_whole_word_unk_spans_the_whole_word(impl, tokenizer):
    """'Apple' in '我用Apple手机' is ONE [UNK] spanning (2, 7); 'AAA' is one [UNK] spanning (0, 3).

    Cases C01 (https://github.com/huggingface/transformers/issues/9286) and
    C02 (https://github.com/huggingface/transformers/issues/14990).
    """
    token_char_span = observing(impl.token_char_span)
    sentences = ["我用Apple手机", "AAA", "AAA好", "5G手机", "iPhone"]
    want = [[None, (0, 1), (1, 2), (2, 7), (7, 8), (8, 9), None],
            [None, (0, 3), None, None, None, None, None],
            [None, (0, 3), (3, 4), None, None, None, None],
            [None, (0, 2), (2, 3), (3, 4), None, None, None],
            [None, (0, 6), None, None, None, None, None]]
    batch = tokenizer(sentences, padding=True, return_tensors="pt")
    for i in range(len(sentences)):
        expect_spans(token_char_span, batch, i, want[i],
                     f"tokenizer({sentences}, padding=True, return_tensors='pt')", sentences[i])


def test_special_tokens_typed_into_the_text_are_real_tokens(impl, tokenizer):
    """A "[SEP]" typed into a sentence becomes the token [SEP] (id 102) but comes from characters
    (1, 6): special_tokens_mask is 0 there, so its span is its offsets, not None."""
    token_char_span = observing(impl.token_char_span)
    sentences = ["我[SEP]你", "[PAD]好[CLS]"]
    want = [[None, (0, 1), (1, 6), (6, 7), None], [None, (0, 5), (5, 6), (6, 11), None]]
    batch = tokenizer(sentences, padding=True, return_tensors="pt")
    assert batch["input_ids"].tolist() == [[101, 2769, 102, 872, 102], [101, 0, 1962, 101, 102]]
    for i in range(len(sentences)):
        expect_spans(token_char_span, batch, i, want[i],
                     f"tokenizer({sentences}, padding=True, return_tensors='pt')", sentences[i])


@given(sentences=chinese_batches())
def test_each_chinese_character_is_its_own_span(impl, tokenizer, sentences):
    """For any batch of Chinese sentences: token c + 1 spans exactly character c, and every
    [PAD] position has no span."""
    token_char_span = observing(impl.token_char_span)
    batch = tokenizer(sentences, padding=True, return_tensors="pt")
    label = f"tokenizer({sentences}, padding=True, return_tensors='pt')"
    width = batch["input_ids"].shape[1]
    for i, s in enumerate(sentences):
        for t in range(1, len(s) + 1):
            span_label = f"token_char_span({label}, {i}, {t})"
            got = value(call(span_label, token_char_span, batch, i, t), batch, i, t)
            piece = s[got[0]:got[1]] if isinstance(got, tuple) and len(got) == 2 else None
            check(piece == s[t - 1], span_label + f"  # token {s[t - 1]!r}",
                  T(f"{got!r} (the text {piece!r})", f"{got!r}（对应文本 {piece!r}）"),
                  T(f"{(t - 1, t)} (the text {s[t - 1]!r})", f"{(t - 1, t)}（对应文本 {s[t - 1]!r}）"),
                  span_mistake(got, (t - 1, t), [tuple(o) for o in batch.encodings[i].offsets], t,
                               batch.encodings[i].tokens, text=s))
        for t in range(len(s) + 1, width):
            span_label = f"token_char_span({label}, {i}, {t})  # {'[SEP]' if t == len(s) + 1 else '[PAD]'}"
            got = value(call(span_label, token_char_span, batch, i, t), batch, i, t)
            check(got is None, span_label, repr(got), "None", SPECIAL_IS_NONE)


@given(sentences=sentence_batches(sentences=mixed_sentences(typed_special_tokens=True)))
def test_spans_are_the_offsets_of_real_tokens(impl, tokenizer, sentences):
    """For any batch: a real token's span is its Encoding offsets (a non-empty piece of the
    sentence); [CLS], [SEP] and [PAD] give None."""
    token_char_span = observing(impl.token_char_span)
    batch = tokenizer(sentences, padding=True, return_tensors="pt")
    label = f"tokenizer({sentences}, padding=True, return_tensors='pt')"
    for i in range(len(sentences)):
        enc = batch.encodings[i]
        want = [None if special else tuple(o) for special, o in zip(enc.special_tokens_mask, enc.offsets)]
        expect_spans(token_char_span, batch, i, want, label, sentences[i])


# ---------------------------------------------------------------- token_for_char


def test_char_to_token_in_the_padded_pair(impl, tokenizer):
    """Character 3 of '今天天气很好' ('气') is token 4: position 0 holds [CLS].

    Case C05: https://github.com/ModelCloud/GPTQModel/pull/643
    """
    token_for_char = observing(impl.token_for_char)
    batch = tokenizer(PAIR, padding=True, return_tensors="pt")
    for i, s in enumerate(PAIR):
        for c in range(len(s)):
            label = f"token_for_char(tokenizer({PAIR}, padding=True, return_tensors='pt'), {i}, {c})  # {s[c]!r}"
            got = value(call(label, token_for_char, batch, i, c), batch, i, c=c)
            mistake = CLS_FIRST if got == c else ASK_CHAR_TO_TOKEN
            check(got == c + 1 and type(got) is int, label, repr(got), repr(c + 1), mistake)


def test_characters_the_tokenizer_drops_have_no_token(impl, tokenizer):
    """The tokenizer's cleaning drops control characters ('\\x00') and zero-width ones ('\\u200b') as it
    drops whitespace: in '我\\x00好\\u200b' characters 0-3 give 1, None, 2, None.

    BERT's cleaning: https://github.com/google-research/bert/blob/master/tokenization.py (_clean_text).
    """
    token_for_char = observing(impl.token_for_char)
    batch = tokenizer([CLEANED, "\x00你\u200b好 "], padding=True)
    label = f"tokenizer([{CLEANED!r}, '\\x00你\\u200b好 '], padding=True)"
    for i, (text, want) in enumerate([(CLEANED, [1, None, 2, None]), ("\x00你\u200b好 ", [None, 1, None, 2, None])]):
        got = [value(call(f"token_for_char({label}, {i}, {c})", token_for_char, batch, i, c),
                     batch, i, c=c)
               for c in range(len(text))]
        mistake = one_to_one(text, batch.encodings[i]) if got == [c + 1 for c in range(len(text))] else DROPPED
        check(got == want, f"[token_for_char({label}, {i}, c) for c in range({len(text)})]", got, want, mistake)


def test_char_to_token_in_mixed_text(impl, tokenizer):
    """Whitespace belongs to no token (None); every character of 'ａｂｃ😀' maps to the same [UNK].

    Case C17: https://github.com/huggingface/tokenizers/issues/404
    """
    token_for_char = observing(impl.token_for_char)
    batch = tokenizer([MIXED], return_tensors="pt")
    want = [1, 2, 3, 4, 5, 6, 6, 6, None, 7, 7, 7, 7, None, 8, 8, 8, 8, None, 9]
    for c, w in enumerate(want):
        label = f"token_for_char(tokenizer([{MIXED!r}], return_tensors='pt'), 0, {c})  # {MIXED[c]!r}"
        got = value(call(label, token_for_char, batch, 0, c), batch, 0, c=c)
        if w is None:
            mistake = T("whitespace is dropped by the tokenizer, so no token covers it: return None",
                        "空白字符会被分词器丢弃，没有 token 覆盖它：返回 None")
        elif got == c or got == c + 1:
            mistake = one_to_one(MIXED, batch.encodings[0])
        else:
            mistake = ASK_CHAR_TO_TOKEN
        check(got == w, label, repr(got), repr(w), mistake)


@given(sentences=sentence_batches(sentences=mixed_sentences(typed_special_tokens=True)))
def test_token_for_char_and_token_char_span_agree(impl, tokenizer, sentences):
    """For any batch and character c: token_for_char gives a token whose span contains c, or None
    when no real token's offsets contain c."""
    token_for_char = observing(impl.token_for_char)
    token_char_span = observing(impl.token_char_span)
    batch = tokenizer(sentences, padding=True, return_tensors="pt")
    label = f"tokenizer({sentences}, padding=True, return_tensors='pt')"
    for i, s in enumerate(sentences):
        enc = batch.encodings[i]
        covering = {c: t for t, (special, (a, b)) in enumerate(zip(enc.special_tokens_mask, enc.offsets))
                    if not special for c in range(a, b)}
        for c in range(len(s)):
            char_label = f"token_for_char({label}, {i}, {c})  # {s[c]!r}"
            got = value(call(char_label, token_for_char, batch, i, c), batch, i, c=c)
            want = covering.get(c)
            check(got == want, char_label, repr(got), repr(want),
                  word_mistake(enc, want, got, want, "token") if want is not None and isinstance(got, int)
                  else T("the token whose offsets contain the character; None if none does (whitespace)",
                         "offsets 包含这个字符的那个 token；没有这样的 token 时（空白字符）为 None"))
            if got is not None:
                span_label = f"token_char_span({label}, {i}, {got})"
                span = value(call(span_label, token_char_span, batch, i, got), batch, i, got)
                check(span is not None and span[0] <= c < span[1], span_label,
                      repr(span), T(f"a span containing character {c}", f"一个包含字符 {c} 的 span"),
                      T("token_for_char and token_char_span must read the same offsets",
                        "token_for_char 和 token_char_span 必须读取同一份 offsets"))


# ---------------------------------------------------------------- negative indices and long rows


def test_every_index_counts_from_the_end_when_negative(impl, tokenizer):
    """Every function takes i = -1 ... -len(batch) and token_char_span takes t = -1 ... -len(row), as a
    Python list does: the same answer as for i + len(batch) and t + len(row). Unpadded rows, so t = -2
    is the last real token."""
    encoding_at = observing(impl.encoding_at)
    tokens_at = observing(impl.tokens_at)
    token_char_span = observing(impl.token_char_span)
    token_for_char = observing(impl.token_for_char)
    sentences = ["你好", "今天天气很好", "我用Apple手机"]
    batch = tokenizer(sentences)
    label = f"tokenizer({sentences})"
    for i in (-1, -2, -3):
        enc, p = batch.encodings[i], i + len(sentences)
        got = value(call(f"encoding_at({label}, {i})", encoding_at, batch, i), batch, i)
        expect_encoding(f"encoding_at({label}, {i})", got, enc.ids, enc.tokens)
        expect_same_from_the_end(tokens_at, f"tokens_at({label}, {i})", batch, (i,), (p,), enc.tokens, NEGATIVE_I)
        for t in (-1, -2, -len(enc), 1):
            want = None if enc.special_tokens_mask[t] else tuple(enc.offsets[t])
            expect_same_from_the_end(token_char_span, f"token_char_span({label}, {i}, {t})  # {enc.tokens[t]!r}",
                                     batch, (i, t), (p, t % len(enc)), want, NEGATIVE_T if t < 0 else NEGATIVE_I,
                                     sentences[i])
        expect_same_from_the_end(token_for_char, f"token_for_char({label}, {i}, 1)", batch, (i, 1), (p, 1),
                                 enc.char_to_token(1), NEGATIVE_I)




def test_rows_longer_than_512_positions(impl, tokenizer):
    """Tokenized without truncation, a 608-character sentence has 606 positions (the short one 602
    [PAD]): every function reaches all of them, past the model's 512 and from the end."""
    tokens_at = observing(impl.tokens_at)
    token_char_span = observing(impl.token_char_span)
    token_for_char = observing(impl.token_for_char)
    batch = tokenizer([LONG, "你好"], padding=True)
    enc, short = batch.encodings
    assert len(enc) == 606
    got = value(call(f"tokens_at({LONG_LABEL}, 0)", tokens_at, batch, 0), batch, 0)
    check(got == enc.tokens, f"tokens_at({LONG_LABEL}, 0)",
          T(f"{len(got)} tokens ending {got[-3:]}", f"{len(got)} 个 token，结尾是 {got[-3:]}")
          if isinstance(got, list) else summary(got),
          T(f"606 tokens ending {enc.tokens[-3:]}", f"606 个 token，结尾是 {enc.tokens[-3:]}"),
          T("stopped at 512 positions: an untruncated batch's rows can be longer than the model's 512; "
            "return every position of the Encoding",
            "在 512 个位置处停了下来：未截断的批次，其中的行可以比模型的 512 更长；请返回 Encoding 的每一个位置")
          if isinstance(got, list) and len(got) == 512 else None)
    for i, t in ((0, 302), (0, 511), (0, 512), (0, 600), (0, 604), (0, 605), (0, -2), (0, -606), (1, 600), (1, -1)):
        e = batch.encodings[i]
        want = None if e.special_tokens_mask[t] else tuple(e.offsets[t])
        label = f"token_char_span({LONG_LABEL}, {i}, {t})  # {e.tokens[t]!r}"
        got = value(call(label, token_char_span, batch, i, t), batch, i, t)
        check(got == want, label, repr(got), repr(want), LONG_ROW.format(width=606))
    for c in (0, 301, 305, 515, 607, 608):
        label = f"token_for_char({LONG_LABEL}, 0, {c})"
        got = value(call(label, token_for_char, batch, 0, c), batch, 0, c=c)
        want = enc.char_to_token(c)
        check(got == want, label, repr(got), repr(want),
              T("a character past the model's 512 positions still has its token: ask the Encoding (char_to_token)",
                "超出模型 512 个位置的字符也有自己的 token：请向 Encoding 查询（char_to_token）"))


def test_word_pieces_have_their_own_spans(impl, tokenizer):
    """An English word splits into word pieces: 'embeddings' is em ##be ##dd ##ings. Each piece has its
    own span ('##be' is (4, 6)), and character 5 ('b') belongs to '##be' (position 4), not to the
    word's first piece."""
    token_char_span = observing(impl.token_char_span)
    token_for_char = observing(impl.token_for_char)
    sentence = "我用embeddings和playing"
    batch = tokenizer([sentence], return_tensors="pt")
    enc = batch.encodings[0]
    assert enc.tokens[3:7] == ["em", "##be", "##dd", "##ings"]
    label = f"tokenizer([{sentence!r}], return_tensors='pt')"
    for t in range(3, 10):
        span_label = f"token_char_span({label}, 0, {t})  # token {enc.tokens[t]!r}"
        got = value(call(span_label, token_char_span, batch, 0, t), batch, 0, t)
        want = tuple(enc.offsets[t])
        check(got == want, span_label, repr(got), repr(want), word_mistake(enc, t, got, want, "span"))
    for c in range(2, len(sentence)):
        char_label = f"token_for_char({label}, 0, {c})  # {sentence[c]!r}"
        got = value(call(char_label, token_for_char, batch, 0, c), batch, 0, c=c)
        want = enc.char_to_token(c)
        check(got == want, char_label, repr(got), repr(want), word_mistake(enc, want, got, want, "token"))


# ---------------------------------------------------------------- bad input


FUNCTIONS = [("encoding_at", ()), ("tokens_at", ()), ("token_char_span", (1,)), ("token_for_char", (0,))]


@pytest.mark.parametrize("func,rest", FUNCTIONS, ids=[f[0] for f in FUNCTIONS])
@pytest.mark.parametrize("i", [3, 7, -4])
def test_sentence_index_outside_the_batch(impl, tokenizer, func, rest, i):
    """A batch of 3 sentences: i = 3, 7 or -4 raises IndexError, and the message gives the batch size."""
    sentences = ["你好", "今天天气很好", "我觉得不行"]
    batch = tokenizer(sentences, padding=True, return_tensors="pt")
    label = f"{func}(tokenizer({sentences}, padding=True, return_tensors='pt'), {', '.join(map(str, (i, *rest)))})"
    call(label, observing(getattr(impl, func)), batch, i, *rest).expect_error(
        IndexError, T("'i=7 is out of range: the batch has 3 sentences'", "'i=7 超出范围：这个批次只有 3 个句子'"),
        mention="3",
        mistake=T("check i against the number of sentences, len(batch.encodings), and say it: "
                  "'i=7 is out of range: the batch has 3 sentences'",
                  "用句子数 len(batch.encodings) 检查 i，并在消息里说出这个数："
                  "'i=7 超出范围：这个批次只有 3 个句子'"))


@pytest.mark.parametrize("func,rest", FUNCTIONS, ids=[f[0] for f in FUNCTIONS])
@pytest.mark.parametrize("kind", ["plain dict", "BatchEncoding built by hand"])
def test_a_batch_without_encodings_is_a_type_error(impl, tokenizer, func, rest, kind):
    """Only a tokenizers-backed tokenizer's BatchEncoding keeps Encodings; a dict of the same
    tensors, or a BatchEncoding built from a dict, has none."""
    from transformers import BatchEncoding

    real = tokenizer(PAIR, padding=True, return_tensors="pt")
    batch = dict(real) if kind == "plain dict" else BatchEncoding({"input_ids": real["input_ids"]})
    shown_kind = say(kind, {"plain dict": "普通 dict", "BatchEncoding built by hand": "手工构造的 BatchEncoding"}[kind])
    label = f"{func}({shown_kind} {{'input_ids': ...}}, {', '.join(map(str, (0, *rest)))})"
    call(label, observing(getattr(impl, func)), batch, 0, *rest).expect_error(
        TypeError, T("'a dict without Encodings: pass the BatchEncoding of a tokenizers-backed tokenizer'",
                     "'没有 Encodings 的 dict：请传入基于 tokenizers 的分词器给出的 BatchEncoding'"),
        mistake=T("check batch.encodings first (None, or no such attribute) and raise TypeError saying that "
                  "only a tokenizers-backed (fast) tokenizer's BatchEncoding keeps Encodings",
                  "先检查 batch.encodings（为 None，或根本没有这个属性），并抛出 TypeError，"
                  "说明只有基于 tokenizers 的（fast）分词器给出的 BatchEncoding 才保留 Encodings"))


NOT_INTS = [
    ("encoding_at", ("input_ids",), T("a key, not a sentence index", "一个键，而不是句子下标"),
     T("i='input_ids' is a key, not a sentence index: batch[str] is a model input, batch[int] an Encoding; "
       "check that i is an int before indexing",
       "i='input_ids' 是一个键，不是句子下标：batch[str] 是模型输入，batch[int] 才是 Encoding；"
       "取下标之前先检查 i 是不是 int")),
    ("encoding_at", (True,), T("a bool", "一个 bool"),
     T("True is not a sentence index, though bool is a subclass of int "
       "(batch[True] is batch[1]): reject bools before indexing",
       "True 不是句子下标，尽管 bool 是 int 的子类（batch[True] 就是 batch[1]）：取下标之前先拒绝 bool")),
    ("encoding_at", (1.0,), T("a float", "一个 float"), None),
    ("tokens_at", ("0",), T("a str", "一个 str"), None),
    ("token_char_span", (0, 1.0), T("a float t", "float 类型的 t"), None),
    ("token_char_span", (0, True), T("a bool t", "bool 类型的 t"),
     T("t=True is not a position, though bool is a subclass of int: reject bools",
       "t=True 不是位置，尽管 bool 是 int 的子类：请拒绝 bool")),
    ("token_for_char", (0, "1"), T("a str c", "str 类型的 c"), None),
    ("token_for_char", (0, True), T("a bool c", "bool 类型的 c"),
     T("c=True is not a character index, though bool is a subclass of int: reject bools",
       "c=True 不是字符下标，尽管 bool 是 int 的子类：请拒绝 bool")),
]


@pytest.mark.parametrize("func,args,what,mistake", NOT_INTS, ids=[f"{n[0]} with {n[2].en}" for n in NOT_INTS])
def test_an_index_that_is_not_an_int_is_a_type_error(impl, tokenizer, func, args, what, mistake):
    """i, t and c are ints (not bools): anything else raises TypeError."""
    batch = tokenizer(PAIR, padding=True, return_tensors="pt")
    label = f"{func}(tokenizer({PAIR}, padding=True, return_tensors='pt'), {', '.join(map(repr, args))})  # {what}"
    call(label, observing(getattr(impl, func)), batch, *args).expect_error(
        TypeError, T("'i is 1.0 (float), expected an int'", "'i 是 1.0（float），应为 int'"), mistake=mistake)


@pytest.mark.parametrize("t", [8, 50, -9])
def test_token_index_outside_the_row(impl, tokenizer, t):
    """Rows of the padded pair have 8 positions: t = 8, 50 or -9 raises IndexError."""
    token_char_span = observing(impl.token_char_span)
    batch = tokenizer(PAIR, padding=True, return_tensors="pt")
    call(f"token_char_span(tokenizer({PAIR}, padding=True, return_tensors='pt'), 0, {t})", token_char_span,
         batch, 0, t).expect_error(
        IndexError, T("'t=8 is out of range: the row has 8 positions'", "'t=8 超出范围：这一行只有 8 个位置'"),
        mistake=T("check t against the row's length (len(encoding), 8 here) and raise IndexError; "
                  "Encoding.token_to_chars answers None past the end instead of failing",
                  "用这一行的长度（len(encoding)，这里是 8）检查 t，越界时抛出 IndexError；"
                  "Encoding.token_to_chars 越过末尾时只会返回 None，并不报错"))


def test_negative_character_index(impl, tokenizer):
    """Character indices start at 0: c = -1 raises IndexError (the batch does not keep the text)."""
    token_for_char = observing(impl.token_for_char)
    batch = tokenizer(PAIR, padding=True, return_tensors="pt")
    call(f"token_for_char(tokenizer({PAIR}, padding=True, return_tensors='pt'), 1, -1)", token_for_char,
         batch, 1, -1).expect_error(
        IndexError, T("'c=-1 is negative: character indices start at 0'", "'c=-1 是负数：字符下标从 0 开始'"),
        mistake=T("reject a negative character index with IndexError: the batch does not keep the sentence, "
                  "so c cannot be counted from its end (the row's positions are not characters)",
                  "用 IndexError 拒绝负的字符下标：批次并不保存句子原文，所以 c 无法从句尾倒着数"
                  "（这一行的位置不是字符）"))


def test_python_tokenizer_keeps_no_encodings(impl, source):
    """The pure-Python BertTokenizerLegacy (is_fast False) keeps no Encodings: its batch[i] raises
    KeyError, so these functions raise TypeError. It is the tokenizers-backed (fast) tokenizer that
    keeps them, not the slow one.

    Case C06: https://github.com/huggingface/transformers/issues/17809
    """
    import transformers

    legacy_class = getattr(transformers, "BertTokenizerLegacy", None)
    if legacy_class is None:
        pytest.skip("this transformers has no BertTokenizerLegacy")
    legacy = legacy_class(str(source.path / "vocab.txt"), do_lower_case=False)
    batch = legacy(PAIR, padding=True, return_tensors="pt")
    assert legacy.is_fast is False and batch.encodings is None
    with pytest.raises(KeyError):
        batch[0]
    assert batch["input_ids"].tolist() == PAIR_IDS  # same ids as the fast tokenizer
    for func, rest in FUNCTIONS:
        label = f"{func}(BertTokenizerLegacy(vocab)({PAIR}, padding=True, return_tensors='pt'), 0" \
                f"{''.join(f', {r}' for r in rest)})"
        call(label, observing(getattr(impl, func)), batch, 0, *rest).expect_error(
            TypeError, T("'this batch keeps no Encodings: use a tokenizers-backed tokenizer'",
                         "'这个批次没有保留 Encodings：请使用基于 tokenizers 的分词器'"),
            mistake=T("a Python tokenizer's batch has batch.encodings None: raise TypeError saying "
                      "only a tokenizers-backed (fast) tokenizer keeps Encodings",
                      "纯 Python 分词器给出的批次，batch.encodings 为 None：请抛出 TypeError，"
                      "说明只有基于 tokenizers 的（fast）分词器才保留 Encodings"))


# ---------------------------------------------------------------- calling, and what a call may change


def call(label, run, batch, *args):
    """``run(label, batch, *args)``, the learner's function observed: the batch (its tensors or lists, and
    its Encodings) must come back as it was. Returns the record: ``value(...)`` for a valid input,
    ``.expect_error`` for a bad one."""
    before, kinds = encodings_state(batch), value_types(batch)
    record = run(label, batch, *args)
    record.expect_kept(batch_mistake(record.inputs, kinds != value_types(batch)))
    now = encodings_state(batch)
    if now != before:
        fail(label + T("; then batch.encodings", "；然后 batch.encodings"), T("changed in place", "被原地修改了"),
             T("the batch's Encodings as they were", "批次的 Encodings 保持原样"),
             T("an Encoding's pad() and truncate() change it in place, and batch.encodings is the caller's list: "
               "read from them, never change them",
               "Encoding 的 pad() 和 truncate() 会原地修改它，而 batch.encodings 是调用者的列表："
               "只能读取，绝不能修改"))
    return record


def unk_span(text, offsets, tokens):
    """The (start, end) of a [UNK] of this row, one covering several characters if any; None without one."""
    if text is None:
        return None
    unks = [(a, b) for tok, (a, b) in zip(tokens, offsets) if tok == "[UNK]" and b > a and text[a:b] != "[UNK]"]
    return next((s for s in unks if s[1] - s[0] > 1), unks[0]) if unks else None


def not_by_length(text=None, offsets=(), tokens=()):
    """Why spans cannot be rebuilt from token lengths, quoting a [UNK] of ``text`` (the row's sentence)."""
    span = unk_span(text, offsets, tokens)
    if span is None:
        covers = T("one [UNK] can cover several characters", "一个 [UNK] 可以覆盖好几个字符")
    else:
        (a, b), n = span, span[1] - span[0]
        covers = T(f"one [UNK] covers {text[a:b]!r} ({n} character{'' if n == 1 else 's'})",
                   f"一个 [UNK] 覆盖了 {text[a:b]!r}（{n} 个字符）")
    return T("read spans from the Encoding's offsets; they cannot be rebuilt by adding up token lengths: "
             "{covers}, '##' is not in the text, whitespace has no token",
             "请从 Encoding 的 offsets（字符偏移）读取 span；把 token 的长度逐个加起来是拼不出 span 的："
             "{covers}，'##' 并不在文本里，空白字符没有 token").format(covers=covers)


def one_to_one(text, enc):
    """Why characters of ``text`` and the tokens of its Encoding ``enc`` do not line up one to one."""
    real = [(tok, a, b) for tok, special, (a, b) in zip(enc.tokens, enc.special_tokens_mask, enc.offsets)
            if not special]
    why = []
    wide = next(((tok, a, b) for tok, a, b in real if b - a > 1), None)
    if wide is not None:
        tok, a, b = wide
        why.append(T(f"one [UNK] covers {text[a:b]!r}", f"一个 [UNK] 覆盖了 {text[a:b]!r}")
                   if tok == "[UNK]" and text[a:b] != "[UNK]"
                   else T(f"{tok!r} is one token for {b - a} characters", f"{tok!r} 这一个 token 占了 {b - a} 个字符"))
    covered = {c for _, a, b in real for c in range(a, b)}
    dropped = list(dict.fromkeys(ch for c, ch in enumerate(text) if c not in covered))
    if dropped and all(ch.isspace() for ch in dropped):
        why.append(T("whitespace has no token", "空白字符没有 token"))
    elif dropped:
        names = [repr(ch) for ch in dropped]
        listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        why.append(T(f"{listed} {'has' if len(names) == 1 else 'have'} no token", f"{'、'.join(names)} 没有 token"))
    if not why:
        why = [T("one [UNK] can cover several characters", "一个 [UNK] 可以覆盖好几个字符"),
               T("whitespace has no token", "空白字符没有 token")]
    return T("characters and tokens do not line up one to one: {why}; ask the Encoding (char_to_token)",
             "字符和 token 并不一一对应：{why}；请向 Encoding 查询（char_to_token）").format(
        why=T(", ".join(w.en for w in why), "，".join(w.zh for w in why)))


def word_mistake(enc, t, got, want, what):
    """Name a word-level mix-up at position ``t`` (``what``: "span" or "token")."""
    word = enc.word_ids[t]
    pieces = [u for u, w in enumerate(enc.word_ids) if w == word and word is not None]
    if what == "span" and got is not None and len(pieces) > 1 and tuple(got) == (enc.offsets[pieces[0]][0],
                                                                                 enc.offsets[pieces[-1]][1]):
        return T(f"{tuple(got)} is the whole word's span; token {t} ({enc.tokens[t]!r}) is one piece of it, "
                 f"with its own offsets {want}: read encoding.offsets[t], not word_to_chars",
                 f"{tuple(got)} 是整个词的 span；token {t}（{enc.tokens[t]!r}）只是其中一片，"
                 f"有自己的 offsets {want}：请读取 encoding.offsets[t]，而不是 word_to_chars")
    if what == "token" and isinstance(got, int) and len(pieces) > 1 and got == pieces[0] != want:
        return T(f"position {got} ({enc.tokens[got]!r}) is the first piece of the character's word; the piece that "
                 f"covers the character is {want} ({enc.tokens[want]!r}): ask char_to_token, not word_to_tokens",
                 f"位置 {got}（{enc.tokens[got]!r}）是这个字符所在词的第一片；覆盖这个字符的那一片是 "
                 f"{want}（{enc.tokens[want]!r}）：请用 char_to_token，而不是 word_to_tokens")
    return T("read the Encoding's own offsets and char_to_token: a word may be several tokens (word pieces)",
             "请读取 Encoding 自己的 offsets 和 char_to_token：一个词可能由好几个 token（word piece，子词）组成")


def value(record, batch, i, t=None, c=None):
    """What a call on a valid input returned; if it raised, fail naming the likely mistake."""
    n = len(batch.encodings)
    mistakes = [("unsigned", NO_NEGATIVE_IN_ENCODING),
                ("not subscriptable", T("a tokenizers.Encoding is not a dict: read its attributes "
                                        "(.ids, .tokens, .offsets, .word_ids)",
                                        "tokenizers.Encoding 不是 dict：请读取它的属性"
                                        "（.ids、.tokens、.offsets、.word_ids）"))]
    default = None
    if isinstance(record.error, (IndexError, KeyError)):
        width = len(batch.encodings[i])
        if t is not None and t >= 512:
            default = LONG_ROW.format(width=width)
        elif t is not None and t < 0:
            default = NEGATIVE_T
        elif i < 0:
            default = NEGATIVE_I
        elif c is not None and -n <= i < n:
            default = T(f"character {c} is in the sentence: c counts characters, not the row's {width} token "
                        "positions, so do not check it against len(encoding); ask the Encoding "
                        "(char_to_token), which answers None where no token covers c",
                        f"字符 {c} 在句子之内：c 数的是字符，而不是这一行的 {width} 个 token 位置，"
                        "所以不要用 len(encoding) 检查它；请向 Encoding 查询（char_to_token），"
                        "没有 token 覆盖 c 时它返回 None")
        elif len(batch) <= i < n:
            default = KEYS_NOT_SENTENCES
        else:
            default = T("this index is inside the batch; read the batch size from batch.encodings",
                        "这个下标在批次范围之内；请从 batch.encodings 读取批大小")
    return record.result(T("a result: every index here is valid", "正常返回结果：这里的每个下标都是合法的"),
                         mistakes, default)


def expect_same_from_the_end(fn, label, batch, args, positive, want, mistake, text=None):
    """``fn(batch, *args)`` (``fn``: the learner's function, observed) with a negative index equals ``want``; when it does not but the same call with
    the index counted from the start (``positive``) does, the negative index is the mistake. ``text``: the
    sentence, for quoting it."""
    got = value(call(label, fn, batch, *args), batch, *args)
    if got == want:
        return
    from_start = value(call(label, fn, batch, *positive), batch, *positive)
    if from_start != want:
        mistake = T("wrong for the index counted from the start too: see the other tests' messages",
                    "从头数的下标也答错了：请看其他测试的提示")
        if fn.__name__ == "token_char_span":
            enc = batch.encodings[positive[0]]
            mistake = span_mistake(got, want, [tuple(o) for o in enc.offsets], positive[1], enc.tokens, text=text)
    fail(label, repr(got), repr(want), mistake)


def encodings_state(batch):
    """The batch's Encodings as plain data (the input snapshot sees only its keys and tensors)."""
    encodings = getattr(batch, "encodings", None)
    if encodings is None:
        return None
    return id(encodings), [(id(e), e.ids, e.offsets, e.attention_mask) for e in encodings]


def value_types(batch):
    return {k: type(v) for k, v in batch.items()} if hasattr(batch, "items") else None


def batch_mistake(changes, retyped):
    """Name how the caller's batch was changed, from observe's list of changes."""
    text = " ".join(pick(c, "en") for c in changes)
    if "gained the keys" in text or "lost the keys" in text:
        return T("stored something in the caller's batch (batch[key] = ... or batch.pop): keep what you compute "
                 "in a local variable; the batch is the caller's",
                 "往调用者的批次里存了东西（batch[key] = ... 或 batch.pop）：算出来的东西放在局部变量里；"
                 "批次是调用者的")
    if retyped:
        return T("batch.convert_to_tensors() converts the caller's batch in place (lists became tensors, or "
                 "tensors lists): the Encoding, batch[i], needs neither",
                 "batch.convert_to_tensors() 会原地转换调用者的批次（列表变成张量，或张量变成列表）："
                 "Encoding（batch[i]）两者都用不着")
    return None


# ---------------------------------------------------------------- checking results


def expect_encoding(label, got, want_ids, want_tokens):
    """``got`` must be the tokenizers.Encoding with these ids and tokens."""
    import tokenizers
    import torch

    if isinstance(got, (torch.Tensor, list)) and not isinstance(got, tokenizers.Encoding):
        fail(label, summary(got), AN_ENCODING, NOT_ENCODING)
    check(isinstance(got, tokenizers.Encoding), label, T(f"a {type_name(got)}", f"一个 {type_name(got)}"),
          AN_ENCODING, T("batch[i] with an integer i returns the Encoding; batch.encodings is the list behind it",
                         "用整数 i 取 batch[i]，返回的就是 Encoding；batch.encodings 是它背后的列表"))
    check(list(got.ids) == list(want_ids), f"{label}.ids", got.ids, list(want_ids),
          T("the Encoding of another sentence: batch[i] is sentence i, in the order given to the tokenizer",
            "这是另一个句子的 Encoding：batch[i] 是第 i 个句子，顺序与传给分词器时相同"))
    check(list(got.tokens) == list(want_tokens), f"{label}.tokens", got.tokens, list(want_tokens))


def expect_spans(run, batch, i, want_spans, label, text=None):
    """token_char_span(batch, i, t) by ``run`` (the learner's, observed) for every position t, against
    ``want_spans``; ``text``: sentence i."""
    offsets = [tuple(o) for o in batch.encodings[i].offsets]
    tokens = batch.encodings[i].tokens
    for t, want in enumerate(want_spans):
        span_label = f"token_char_span({label}, {i}, {t})  # token {tokens[t]!r}"
        got = value(call(span_label, run, batch, i, t), batch, i, t)
        ok = (got is None and want is None) or (
            got is not None and want is not None and isinstance(got, tuple) and len(got) == 2
            and tuple(got) == tuple(want) and all(type(x) is int for x in got))
        if not ok and isinstance(got, list) and want is not None and tuple(got) == tuple(want):
            fail(span_label, repr(got), repr(tuple(want)), T("return a tuple (start, end), as Encoding.offsets holds",
                                                             "返回 tuple (start, end)，和 Encoding.offsets 里存的一样"))
        check(ok, span_label, repr(got), repr(want),
              span_mistake(got, want, offsets, t, tokens, batch.encodings[i], text))


def span_mistake(got, want, offsets, t, tokens, enc=None, text=None):
    """Name the span mistake at position ``t`` of a row with these reference ``offsets`` (``text``: the row's
    sentence, quoted when known)."""
    if want is None and got is not None and tuple(got) == (0, 0):
        return SPECIAL_IS_NONE
    if got is None and want is not None and tokens[t] in TYPED_SPECIAL_TOKENS:
        return TYPED_SPECIAL.format(token=tokens[t], span=tuple(want))
    if got is None and want is not None and want[0] == 0:
        return STARTS_AT_ZERO.format(token=repr(tokens[t]), t=t, span=tuple(want))
    if want is not None and got is not None:
        around = [offsets[u] for u in (t - 1, t + 1) if 0 <= u < len(offsets)]
        if tuple(got) in around:
            return SHIFTED
    if want is None:
        return SPECIAL_IS_NONE
    if enc is not None and got is not None:
        word = word_mistake(enc, t, got, tuple(want), "span")
        if "whole word" in word.en:
            return word
    return not_by_length(text, offsets, tokens)
