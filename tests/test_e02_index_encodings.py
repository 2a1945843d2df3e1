"""Exercise 02, index encodings: checked against the tokenizers.Encoding objects bert-base-chinese's tokenizer keeps.

No model here: the tokenizer alone. Every call goes through :func:`call`, which observes it
(bertkata.calls) and first checks that the batch, its tensors and its Encodings, came back unchanged.
"""

import pytest
from hypothesis import given

from bertkata.calls import observe
from bertkata.feedback import check, fail, summary, type_name
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

NOT_ENCODING = ("batch[\"input_ids\"][i] is only a row of ids; batch[i] with an integer i "
                "is the sentence's tokenizers.Encoding (the tensor row is not it)")
KEYS_NOT_SENTENCES = ("len(batch) counts the keys (input_ids, token_type_ids, attention_mask), "
                      "not the sentences: the batch size is len(batch.encodings)")
SPECIAL_IS_NONE = ("[CLS], [SEP] and [PAD] come from no character: return None for them, not (0, 0); "
                   "the Encoding's special_tokens_mask says which positions they are")
STARTS_AT_ZERO = ("a real token can start at character 0 ({token} at position {t} has offsets {span}); "
                  "tell [CLS]/[SEP]/[PAD] by the Encoding's special_tokens_mask (or word_ids None), "
                  "not by their offsets")
TYPED_SPECIAL = ("{token} at {span} was typed into the sentence: it is a real token of the text "
                 "(special_tokens_mask 0, offsets {span}) that shares the special token's id; tell [CLS]/[SEP]/[PAD] "
                 "by the Encoding's special_tokens_mask, not by the token's text or id")
SHIFTED = ("shifted by one: offsets and tokens share the row's positions, and position 0 holds [CLS], "
           "so token t's span is encoding.offsets[t] (no -1, no +1)")
NOT_BY_LENGTH = ("read spans from the Encoding's offsets; they cannot be rebuilt by adding up token lengths: "
                 "one [UNK] covers 'ＡＢＣ' (3 characters), '##' is not in the text, whitespace has no token")
CLS_FIRST = ("position 0 holds [CLS], so character c of a Chinese sentence is token c + 1; "
             "ask the Encoding (char_to_token) instead of counting")
ONE_TO_ONE = ("characters and tokens do not line up one to one: one [UNK] covers 'ＡＢＣ', "
              "whitespace has no token; ask the Encoding (char_to_token)")
DROPPED = ("no token covers a character the tokenizer drops (whitespace, control characters such as '\\x00', "
           "zero-width ones such as '\\u200b'): return None there, not a neighbouring token; "
           "Encoding.char_to_token says None")
NEGATIVE_I = ("i=-1 is the last sentence, Python-style: a negative i counts from the end of the batch "
              "(i + len(batch.encodings)), as a list index does")
NEGATIVE_T = ("a negative t counts from the end of the row, Python-style (t=-1 is the last position): "
              "accept -len(encoding) <= t < 0 as a list does")
NO_NEGATIVE_IN_ENCODING = ("the Encoding's methods (token_to_chars, char_to_token, word_ids...) take no negative "
                           "index: turn a negative t into t + len(encoding) first")
LONG_ROW = ("this row has {width} positions: a batch tokenized without truncation can be longer than the model's "
            "512; check t against len(encoding), not 512")
PYTHON_INT = "return a plain Python int (int(x) or x.item()), as Encoding.char_to_token gives, or None"


# ---------------------------------------------------------------- encoding_at


def test_integer_index_gives_the_encoding(impl, tokenizer):
    """batch[i] is sentence i's tokenizers.Encoding; batch["input_ids"][i] is only its tensor row.

    Case C05: https://github.com/ModelCloud/GPTQModel/pull/643
    """
    batch = tokenizer(PAIR, padding=True, return_tensors="pt")
    for i in range(2):
        label = f"encoding_at(tokenizer({PAIR}, padding=True, return_tensors='pt'), {i})"
        got = value(call(label, impl.encoding_at, batch, i), batch, i)
        expect_encoding(label, got, PAIR_IDS[i], PAIR_TOKENS[i])
        check([tuple(o) for o in got.offsets] == PAIR_OFFSETS[i], f"{label}.offsets", got.offsets,
              PAIR_OFFSETS[i], "return batch[i] itself, not a rebuilt Encoding")
        check(list(got.word_ids) == PAIR_WORD_IDS[i], f"{label}.word_ids", got.word_ids, PAIR_WORD_IDS[i])
        check(got.ids == batch["input_ids"][i].tolist(), f"{label}.ids", got.ids,
              f"the tensor row batch['input_ids'][{i}] = {batch['input_ids'][i].tolist()}")


def test_batch_size_is_the_number_of_encodings(impl, tokenizer):
    """A batch of 4 sentences has 3 keys: len(batch) == 3, len(batch.encodings) == 4.

    Case C05: https://github.com/ModelCloud/GPTQModel/pull/643
    """
    batch = tokenizer(FOUR, padding=True, return_tensors="pt")
    assert len(batch) == 3 and len(batch.encodings) == 4  # keys versus sentences
    for i in range(len(FOUR)):
        label = f"encoding_at(tokenizer({FOUR}, padding=True, return_tensors='pt'), {i})"
        got = value(call(label, impl.encoding_at, batch, i), batch, i)
        expect_encoding(label, got, batch["input_ids"][i].tolist(),
                        tokenizer.convert_ids_to_tokens(batch["input_ids"][i]))


def test_lists_and_negative_indices(impl, tokenizer):
    """Without return_tensors the batch holds lists, and still keeps its Encodings; i=-1 is the last sentence."""
    batch = tokenizer(FOUR, padding=True)
    for i in (0, 3, -1, -4):
        label = f"encoding_at(tokenizer({FOUR}, padding=True), {i})"
        got = value(call(label, impl.encoding_at, batch, i), batch, i)
        row = batch["input_ids"][i]
        expect_encoding(label, got, row, tokenizer.convert_ids_to_tokens(row))


def test_every_function_returns_its_documented_type(impl, tokenizer):
    """encoding_at: a tokenizers.Encoding; tokens_at: a list of str; token_char_span: a tuple of two
    int (None is checked with the values); token_for_char: an int."""
    import tokenizers

    batch = tokenizer(PAIR, padding=True, return_tensors="pt")
    label = f"tokenizer({PAIR}, padding=True, return_tensors='pt')"
    got = value(call(f"encoding_at({label}, 1)", impl.encoding_at, batch, 1), batch, 1)
    if not isinstance(got, tokenizers.Encoding):
        fail(f"encoding_at({label}, 1)", summary(got), "a tokenizers.Encoding", NOT_ENCODING
             if hasattr(got, "tolist") or isinstance(got, list) else "return batch[i], the Encoding itself")
    got = value(call(f"tokens_at({label}, 1)", impl.tokens_at, batch, 1), batch, 1)
    check(isinstance(got, list) and all(type(x) is str for x in got), f"tokens_at({label}, 1)", summary(got),
          "a list of str", "return the Encoding's tokens as a list of str: list(encoding.tokens)")
    got = value(call(f"token_char_span({label}, 1, 2)", impl.token_char_span, batch, 1, 2), batch, 1, 2)
    check(got is None or isinstance(got, tuple) and len(got) == 2 and all(type(x) is int for x in got),
          f"token_char_span({label}, 1, 2)", f"{summary(got)} (a {type_name(got)})", "a tuple of two int (start, end)",
          "return a tuple (start, end) of Python ints, as Encoding.offsets holds")
    got = value(call(f"token_for_char({label}, 1, 3)", impl.token_for_char, batch, 1, 3), batch, 1, c=3)
    check(type(got) is int, f"token_for_char({label}, 1, 3)", f"{summary(got)} (a {type_name(got)})", "an int",
          PYTHON_INT)


# ---------------------------------------------------------------- tokens_at


def test_tokens_include_the_padding(impl, tokenizer):
    """A padded sentence's Encoding goes on past [SEP]: its [PAD] positions are tokens too.

    Case C05: https://github.com/ModelCloud/GPTQModel/pull/643
    """
    batch = tokenizer(PAIR, padding=True, return_tensors="pt")
    for i in range(2):
        label = f"tokens_at(tokenizer({PAIR}, padding=True, return_tensors='pt'), {i})"
        got = value(call(label, impl.tokens_at, batch, i), batch, i)
        check(isinstance(got, list) and all(isinstance(x, str) for x in got), label, summary(got),
              "a list of str", "return the Encoding's tokens as a list of str")
        mistake = None
        if got == PAIR_TOKENS[i][:len(got)] and len(got) < len(PAIR_TOKENS[i]):
            mistake = ("the Encoding of a padded sentence keeps its [PAD] tokens: one token per position, "
                       "as many as the row of input_ids")
        check(got == PAIR_TOKENS[i], label, got, PAIR_TOKENS[i], mistake)


def test_tokens_of_mixed_text_and_whole_word_unk(impl, tokenizer):
    """Full-width forms keep their own tokens (no NFKC); an upper-case Latin word is ONE [UNK].

    Cases C17 (https://github.com/huggingface/tokenizers/issues/404),
    C01 (https://github.com/huggingface/transformers/issues/9286) and
    C02 (https://github.com/huggingface/transformers/issues/14990).
    """
    sentences = [MIXED, "我用Apple手机", "AAA", "GPT-4o很强"]
    want = [MIXED_TOKENS, ["[CLS]", "我", "用", "[UNK]", "手", "机", "[SEP]"],
            ["[CLS]", "[UNK]", "[SEP]"], ["[CLS]", "[UNK]", "-", "4", "##o", "很", "强", "[SEP]"]]
    batch = tokenizer(sentences, padding=True, return_tensors="pt")
    width = batch["input_ids"].shape[1]
    for i, tokens in enumerate(want):
        label = f"tokens_at(tokenizer({sentences}, padding=True, return_tensors='pt'), {i})"
        got = value(call(label, impl.tokens_at, batch, i), batch, i)
        full = tokens + ["[PAD]"] * (width - len(tokens))
        check(got == full, label, got, full,
              "read the tokens from the Encoding (batch[i].tokens); they include [PAD] up to the row's length")


@given(sentences=sentence_batches(sentences=mixed_sentences(typed_special_tokens=True)))
def test_tokens_are_the_ids_of_the_row(impl, tokenizer, sentences):
    """For any batch: tokens_at(b, i) == convert_ids_to_tokens(b["input_ids"][i]), and the Encoding's
    ids are the tensor row."""
    batch = tokenizer(sentences, padding=True, return_tensors="pt")
    for i in range(len(sentences)):
        row = batch["input_ids"][i]
        want = tokenizer.convert_ids_to_tokens(row)
        label = f"tokens_at(tokenizer({sentences}, padding=True, return_tensors='pt'), {i})"
        got = value(call(label, impl.tokens_at, batch, i), batch, i)
        check(got == want, label, got, want, "the tokens of sentence i, one per position of its row, [PAD] included")
        label = f"encoding_at(tokenizer({sentences}, padding=True, return_tensors='pt'), {i})"
        expect_encoding(label, value(call(label, impl.encoding_at, batch, i), batch, i), row.tolist(), want)


# ---------------------------------------------------------------- token_char_span


def test_spans_of_the_padded_pair(impl, tokenizer):
    """Each Chinese character is one token spanning one character; [CLS], [SEP] and [PAD] have no span.

    Case C05: https://github.com/ModelCloud/GPTQModel/pull/643
    """
    batch = tokenizer(PAIR, padding=True, return_tensors="pt")
    for i in range(2):
        expect_spans(impl, batch, i, PAIR_SPANS[i], f"tokenizer({PAIR}, padding=True, return_tensors='pt')")


def test_spans_of_mixed_text(impl, tokenizer):
    """Offsets are Python character (code point) indices: 'ＡＢＣ' is one [UNK] at (5, 8), 'ａｂｃ😀' one
    [UNK] at (9, 13), and the space and tab belong to no token.

    Case C17: https://github.com/huggingface/tokenizers/issues/404
    """
    batch = tokenizer([MIXED], return_tensors="pt")
    label = f"tokenizer([{MIXED!r}], return_tensors='pt')"
    expect_spans(impl, batch, 0, MIXED_SPANS, label)
    slices = [MIXED[s:e] for s, e in (call(f"token_char_span({label}, 0, {t})", impl.token_char_span, batch, 0, t)
                                      .result() for t in range(1, 10))]
    check(slices == MIXED_SLICES, "[text[s:e] for each span]", slices, MIXED_SLICES, NOT_BY_LENGTH)


def test_whole_word_unk_spans_the_whole_word(impl, tokenizer):
    """'Apple' in '我用Apple手机' is ONE [UNK] spanning (2, 7); 'AAA' is one [UNK] spanning (0, 3).

    Cases C01 (https://github.com/huggingface/transformers/issues/9286) and
    C02 (https://github.com/huggingface/transformers/issues/14990).
    """
    sentences = ["我用Apple手机", "AAA", "AAA好", "5G手机", "iPhone"]
    want = [[None, (0, 1), (1, 2), (2, 7), (7, 8), (8, 9), None],
            [None, (0, 3), None, None, None, None, None],
            [None, (0, 3), (3, 4), None, None, None, None],
            [None, (0, 2), (2, 3), (3, 4), None, None, None],
            [None, (0, 6), None, None, None, None, None]]
    batch = tokenizer(sentences, padding=True, return_tensors="pt")
    for i in range(len(sentences)):
        expect_spans(impl, batch, i, want[i], f"tokenizer({sentences}, padding=True, return_tensors='pt')")


def test_special_tokens_typed_into_the_text_are_real_tokens(impl, tokenizer):
    """A "[SEP]" typed into a sentence becomes the token [SEP] (id 102) but comes from characters
    (1, 6): special_tokens_mask is 0 there, so its span is its offsets, not None."""
    sentences = ["我[SEP]你", "[PAD]好[CLS]"]
    want = [[None, (0, 1), (1, 6), (6, 7), None], [None, (0, 5), (5, 6), (6, 11), None]]
    batch = tokenizer(sentences, padding=True, return_tensors="pt")
    assert batch["input_ids"].tolist() == [[101, 2769, 102, 872, 102], [101, 0, 1962, 101, 102]]
    for i in range(len(sentences)):
        expect_spans(impl, batch, i, want[i], f"tokenizer({sentences}, padding=True, return_tensors='pt')")


@given(sentences=chinese_batches())
def test_each_chinese_character_is_its_own_span(impl, tokenizer, sentences):
    """For any batch of Chinese sentences: token c + 1 spans exactly character c, and every
    [PAD] position has no span."""
    batch = tokenizer(sentences, padding=True, return_tensors="pt")
    label = f"tokenizer({sentences}, padding=True, return_tensors='pt')"
    width = batch["input_ids"].shape[1]
    for i, s in enumerate(sentences):
        for t in range(1, len(s) + 1):
            span_label = f"token_char_span({label}, {i}, {t})"
            got = value(call(span_label, impl.token_char_span, batch, i, t), batch, i, t)
            piece = s[got[0]:got[1]] if isinstance(got, tuple) and len(got) == 2 else None
            check(piece == s[t - 1], span_label + f"  # token {s[t - 1]!r}", f"{got!r} (the text {piece!r})",
                  f"{(t - 1, t)} (the text {s[t - 1]!r})",
                  span_mistake(got, (t - 1, t), [tuple(o) for o in batch.encodings[i].offsets], t,
                               batch.encodings[i].tokens))
        for t in range(len(s) + 1, width):
            span_label = f"token_char_span({label}, {i}, {t})  # {'[SEP]' if t == len(s) + 1 else '[PAD]'}"
            got = value(call(span_label, impl.token_char_span, batch, i, t), batch, i, t)
            check(got is None, span_label, repr(got), "None", SPECIAL_IS_NONE)


@given(sentences=sentence_batches(sentences=mixed_sentences(typed_special_tokens=True)))
def test_spans_are_the_offsets_of_real_tokens(impl, tokenizer, sentences):
    """For any batch: a real token's span is its Encoding offsets (a non-empty piece of the
    sentence); [CLS], [SEP] and [PAD] give None."""
    batch = tokenizer(sentences, padding=True, return_tensors="pt")
    label = f"tokenizer({sentences}, padding=True, return_tensors='pt')"
    for i in range(len(sentences)):
        enc = batch.encodings[i]
        want = [None if special else tuple(o) for special, o in zip(enc.special_tokens_mask, enc.offsets)]
        expect_spans(impl, batch, i, want, label)


# ---------------------------------------------------------------- token_for_char


def test_char_to_token_in_the_padded_pair(impl, tokenizer):
    """Character 3 of '今天天气很好' ('气') is token 4: position 0 holds [CLS].

    Case C05: https://github.com/ModelCloud/GPTQModel/pull/643
    """
    batch = tokenizer(PAIR, padding=True, return_tensors="pt")
    for i, s in enumerate(PAIR):
        for c in range(len(s)):
            label = f"token_for_char(tokenizer({PAIR}, padding=True, return_tensors='pt'), {i}, {c})  # {s[c]!r}"
            got = value(call(label, impl.token_for_char, batch, i, c), batch, i, c=c)
            mistake = CLS_FIRST if got == c else "ask the Encoding which token covers the character (char_to_token)"
            check(got == c + 1 and type(got) is int, label, repr(got), repr(c + 1), mistake)


def test_characters_the_tokenizer_drops_have_no_token(impl, tokenizer):
    """The tokenizer's cleaning drops control characters ('\\x00') and zero-width ones ('\\u200b') as it
    drops whitespace: in '我\\x00好\\u200b' characters 0-3 give 1, None, 2, None.

    BERT's cleaning: https://github.com/google-research/bert/blob/master/tokenization.py (_clean_text).
    """
    batch = tokenizer([CLEANED, "\x00你\u200b好 "], padding=True)
    label = f"tokenizer([{CLEANED!r}, '\\x00你\\u200b好 '], padding=True)"
    for i, (text, want) in enumerate([(CLEANED, [1, None, 2, None]), ("\x00你\u200b好 ", [None, 1, None, 2, None])]):
        got = [value(call(f"token_for_char({label}, {i}, {c})", impl.token_for_char, batch, i, c), batch, i, c=c)
               for c in range(len(text))]
        mistake = ONE_TO_ONE if got == [c + 1 for c in range(len(text))] else DROPPED
        check(got == want, f"[token_for_char({label}, {i}, c) for c in range({len(text)})]", got, want, mistake)


def test_char_to_token_in_mixed_text(impl, tokenizer):
    """Whitespace belongs to no token (None); every character of 'ａｂｃ😀' maps to the same [UNK].

    Case C17: https://github.com/huggingface/tokenizers/issues/404
    """
    batch = tokenizer([MIXED], return_tensors="pt")
    want = [1, 2, 3, 4, 5, 6, 6, 6, None, 7, 7, 7, 7, None, 8, 8, 8, 8, None, 9]
    for c, w in enumerate(want):
        label = f"token_for_char(tokenizer([{MIXED!r}], return_tensors='pt'), 0, {c})  # {MIXED[c]!r}"
        got = value(call(label, impl.token_for_char, batch, 0, c), batch, 0, c=c)
        if w is None:
            mistake = "whitespace is dropped by the tokenizer, so no token covers it: return None"
        elif got == c or got == c + 1:
            mistake = ONE_TO_ONE
        else:
            mistake = "ask the Encoding which token covers the character (char_to_token)"
        check(got == w, label, repr(got), repr(w), mistake)


@given(sentences=sentence_batches(sentences=mixed_sentences(typed_special_tokens=True)))
def test_token_for_char_and_token_char_span_agree(impl, tokenizer, sentences):
    """For any batch and character c: token_for_char gives a token whose span contains c, or None
    when no real token's offsets contain c."""
    batch = tokenizer(sentences, padding=True, return_tensors="pt")
    label = f"tokenizer({sentences}, padding=True, return_tensors='pt')"
    for i, s in enumerate(sentences):
        enc = batch.encodings[i]
        covering = {c: t for t, (special, (a, b)) in enumerate(zip(enc.special_tokens_mask, enc.offsets))
                    if not special for c in range(a, b)}
        for c in range(len(s)):
            char_label = f"token_for_char({label}, {i}, {c})  # {s[c]!r}"
            got = value(call(char_label, impl.token_for_char, batch, i, c), batch, i, c=c)
            want = covering.get(c)
            check(got == want, char_label, repr(got), repr(want),
                  word_mistake(enc, want, got, want, "token") if want is not None and isinstance(got, int)
                  else "the token whose offsets contain the character; None if none does (whitespace)")
            if got is not None:
                span_label = f"token_char_span({label}, {i}, {got})"
                span = value(call(span_label, impl.token_char_span, batch, i, got), batch, i, got)
                check(span is not None and span[0] <= c < span[1], span_label,
                      repr(span), f"a span containing character {c}",
                      "token_for_char and token_char_span must read the same offsets")


# ---------------------------------------------------------------- negative indices and long rows


def test_every_index_counts_from_the_end_when_negative(impl, tokenizer):
    """Every function takes i = -1 ... -len(batch) and token_char_span takes t = -1 ... -len(row), as a
    Python list does: the same answer as for i + len(batch) and t + len(row). Unpadded rows, so t = -2
    is the last real token."""
    sentences = ["你好", "今天天气很好", "我用Apple手机"]
    batch = tokenizer(sentences)
    label = f"tokenizer({sentences})"
    for i in (-1, -2, -3):
        enc, p = batch.encodings[i], i + len(sentences)
        got = value(call(f"encoding_at({label}, {i})", impl.encoding_at, batch, i), batch, i)
        expect_encoding(f"encoding_at({label}, {i})", got, enc.ids, enc.tokens)
        expect_same_from_the_end(impl.tokens_at, f"tokens_at({label}, {i})", batch, (i,), (p,), enc.tokens, NEGATIVE_I)
        for t in (-1, -2, -len(enc), 1):
            want = None if enc.special_tokens_mask[t] else tuple(enc.offsets[t])
            expect_same_from_the_end(impl.token_char_span, f"token_char_span({label}, {i}, {t})  # {enc.tokens[t]!r}",
                                     batch, (i, t), (p, t % len(enc)), want, NEGATIVE_T if t < 0 else NEGATIVE_I)
        expect_same_from_the_end(impl.token_for_char, f"token_for_char({label}, {i}, 1)", batch, (i, 1), (p, 1),
                                 enc.char_to_token(1), NEGATIVE_I)




def test_rows_longer_than_512_positions(impl, tokenizer):
    """Tokenized without truncation, a 608-character sentence has 606 positions (the short one 602
    [PAD]): every function reaches all of them, past the model's 512 and from the end."""
    batch = tokenizer([LONG, "你好"], padding=True)
    enc, short = batch.encodings
    assert len(enc) == 606
    got = value(call(f"tokens_at({LONG_LABEL}, 0)", impl.tokens_at, batch, 0), batch, 0)
    check(got == enc.tokens, f"tokens_at({LONG_LABEL}, 0)", f"{len(got)} tokens ending {got[-3:]}"
          if isinstance(got, list) else summary(got), f"606 tokens ending {enc.tokens[-3:]}",
          "stopped at 512 positions: an untruncated batch's rows can be longer than the model's 512; "
          "return every position of the Encoding" if isinstance(got, list) and len(got) == 512 else None)
    for i, t in ((0, 302), (0, 511), (0, 512), (0, 600), (0, 604), (0, 605), (0, -2), (0, -606), (1, 600), (1, -1)):
        e = batch.encodings[i]
        want = None if e.special_tokens_mask[t] else tuple(e.offsets[t])
        label = f"token_char_span({LONG_LABEL}, {i}, {t})  # {e.tokens[t]!r}"
        got = value(call(label, impl.token_char_span, batch, i, t), batch, i, t)
        check(got == want, label, repr(got), repr(want), LONG_ROW.format(width=606))
    for c in (0, 301, 305, 515, 607, 608):
        label = f"token_for_char({LONG_LABEL}, 0, {c})"
        got = value(call(label, impl.token_for_char, batch, 0, c), batch, 0, c=c)
        want = enc.char_to_token(c)
        check(got == want, label, repr(got), repr(want),
              "a character past the model's 512 positions still has its token: ask the Encoding (char_to_token)")


def test_word_pieces_have_their_own_spans(impl, tokenizer):
    """An English word splits into word pieces: 'embeddings' is em ##be ##dd ##ings. Each piece has its
    own span ('##be' is (4, 6)), and character 5 ('b') belongs to '##be' (position 4), not to the
    word's first piece."""
    sentence = "我用embeddings和playing"
    batch = tokenizer([sentence], return_tensors="pt")
    enc = batch.encodings[0]
    assert enc.tokens[3:7] == ["em", "##be", "##dd", "##ings"]
    label = f"tokenizer([{sentence!r}], return_tensors='pt')"
    for t in range(3, 10):
        span_label = f"token_char_span({label}, 0, {t})  # token {enc.tokens[t]!r}"
        got = value(call(span_label, impl.token_char_span, batch, 0, t), batch, 0, t)
        want = tuple(enc.offsets[t])
        check(got == want, span_label, repr(got), repr(want), word_mistake(enc, t, got, want, "span"))
    for c in range(2, len(sentence)):
        char_label = f"token_for_char({label}, 0, {c})  # {sentence[c]!r}"
        got = value(call(char_label, impl.token_for_char, batch, 0, c), batch, 0, c=c)
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
    call(label, getattr(impl, func), batch, i, *rest).expect_error(
        IndexError, "'i=7 is out of range: the batch has 3 sentences'", mention="3",
        mistake="check i against the number of sentences, len(batch.encodings), and say it: "
                "'i=7 is out of range: the batch has 3 sentences'")


@pytest.mark.parametrize("func,rest", FUNCTIONS, ids=[f[0] for f in FUNCTIONS])
@pytest.mark.parametrize("kind", ["plain dict", "BatchEncoding built by hand"])
def test_a_batch_without_encodings_is_a_type_error(impl, tokenizer, func, rest, kind):
    """Only a tokenizers-backed tokenizer's BatchEncoding keeps Encodings; a dict of the same
    tensors, or a BatchEncoding built from a dict, has none."""
    from transformers import BatchEncoding

    real = tokenizer(PAIR, padding=True, return_tensors="pt")
    batch = dict(real) if kind == "plain dict" else BatchEncoding({"input_ids": real["input_ids"]})
    label = f"{func}({kind} {{'input_ids': ...}}, {', '.join(map(str, (0, *rest)))})"
    call(label, getattr(impl, func), batch, 0, *rest).expect_error(
        TypeError, "'a dict without Encodings: pass the BatchEncoding of a tokenizers-backed tokenizer'",
        mistake="check batch.encodings first (None, or no such attribute) and raise TypeError saying that "
                "only a tokenizers-backed (fast) tokenizer's BatchEncoding keeps Encodings")


NOT_INTS = [
    ("encoding_at", ("input_ids",), "a key, not a sentence index",
     "i='input_ids' is a key, not a sentence index: batch[str] is a model input, batch[int] an Encoding; "
     "check that i is an int before indexing"),
    ("encoding_at", (True,), "a bool", "True is not a sentence index, though bool is a subclass of int "
                                        "(batch[True] is batch[1]): reject bools before indexing"),
    ("encoding_at", (1.0,), "a float", None),
    ("tokens_at", ("0",), "a str", None),
    ("token_char_span", (0, 1.0), "a float t", None),
    ("token_char_span", (0, True), "a bool t", "t=True is not a position, though bool is a subclass of int: "
                                                "reject bools"),
    ("token_for_char", (0, "1"), "a str c", None),
    ("token_for_char", (0, True), "a bool c", "c=True is not a character index, though bool is a subclass of int: "
                                               "reject bools"),
]


@pytest.mark.parametrize("func,args,what,mistake", NOT_INTS, ids=[f"{n[0]} with {n[2]}" for n in NOT_INTS])
def test_an_index_that_is_not_an_int_is_a_type_error(impl, tokenizer, func, args, what, mistake):
    """i, t and c are ints (not bools): anything else raises TypeError."""
    batch = tokenizer(PAIR, padding=True, return_tensors="pt")
    label = f"{func}(tokenizer({PAIR}, padding=True, return_tensors='pt'), {', '.join(map(repr, args))})  # {what}"
    call(label, getattr(impl, func), batch, *args).expect_error(
        TypeError, "'i is 1.0 (float), expected an int'", mistake=mistake)


@pytest.mark.parametrize("t", [8, 50, -9])
def test_token_index_outside_the_row(impl, tokenizer, t):
    """Rows of the padded pair have 8 positions: t = 8, 50 or -9 raises IndexError."""
    batch = tokenizer(PAIR, padding=True, return_tensors="pt")
    call(f"token_char_span(tokenizer({PAIR}, padding=True, return_tensors='pt'), 0, {t})", impl.token_char_span,
         batch, 0, t).expect_error(
        IndexError, "'t=8 is out of range: the row has 8 positions'",
        mistake="check t against the row's length (len(encoding), 8 here) and raise IndexError; "
                "Encoding.token_to_chars answers None past the end instead of failing")


def test_negative_character_index(impl, tokenizer):
    """Character indices start at 0: c = -1 raises IndexError (the batch does not keep the text)."""
    batch = tokenizer(PAIR, padding=True, return_tensors="pt")
    call(f"token_for_char(tokenizer({PAIR}, padding=True, return_tensors='pt'), 1, -1)", impl.token_for_char,
         batch, 1, -1).expect_error(
        IndexError, "'c=-1 is negative: character indices start at 0'",
        mistake="reject a negative character index with IndexError: the batch does not keep the sentence, "
                "so c cannot be counted from its end (the row's positions are not characters)")


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
        call(label, getattr(impl, func), batch, 0, *rest).expect_error(
            TypeError, "'this batch keeps no Encodings: use a tokenizers-backed tokenizer'",
            mistake="a Python tokenizer's batch has batch.encodings None: raise TypeError saying "
                    "only a tokenizers-backed (fast) tokenizer keeps Encodings")


# ---------------------------------------------------------------- calling, and what a call may change


def call(label, fn, batch, *args):
    """``fn(batch, *args)``, observed: the batch (its tensors or lists, and its Encodings) must come back
    as it was. Returns the record: ``value(...)`` for a valid input, ``.expect_error`` for a bad one."""
    before, kinds = encodings_state(batch), value_types(batch)
    record = observe(label, fn, batch, *args)
    record.expect_inputs_unchanged(batch_mistake(record.inputs, kinds != value_types(batch)))
    now = encodings_state(batch)
    if now != before:
        fail(f"{label}; then batch.encodings", "changed in place", "the batch's Encodings as they were",
             "an Encoding's pad() and truncate() change it in place, and batch.encodings is the caller's list: "
             "read from them, never change them")
    return record


def word_mistake(enc, t, got, want, what):
    """Name a word-level mix-up at position ``t`` (``what``: "span" or "token")."""
    word = enc.word_ids[t]
    pieces = [u for u, w in enumerate(enc.word_ids) if w == word and word is not None]
    if what == "span" and got is not None and len(pieces) > 1 and tuple(got) == (enc.offsets[pieces[0]][0],
                                                                                 enc.offsets[pieces[-1]][1]):
        return (f"{tuple(got)} is the whole word's span; token {t} ({enc.tokens[t]!r}) is one piece of it, "
                f"with its own offsets {want}: read encoding.offsets[t], not word_to_chars")
    if what == "token" and isinstance(got, int) and len(pieces) > 1 and got == pieces[0] != want:
        return (f"position {got} ({enc.tokens[got]!r}) is the first piece of the character's word; the piece that "
                f"covers the character is {want} ({enc.tokens[want]!r}): ask char_to_token, not word_to_tokens")
    return "read the Encoding's own offsets and char_to_token: a word may be several tokens (word pieces)"


def value(record, batch, i, t=None, c=None):
    """What a call on a valid input returned; if it raised, fail naming the likely mistake."""
    n = len(batch.encodings)
    mistakes = [("unsigned", NO_NEGATIVE_IN_ENCODING),
                ("not subscriptable", "a tokenizers.Encoding is not a dict: read its attributes "
                                      "(.ids, .tokens, .offsets, .word_ids)")]
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
            default = (f"character {c} is in the sentence: c counts characters, not the row's {width} token "
                       "positions, so do not check it against len(encoding); ask the Encoding "
                       "(char_to_token), which answers None where no token covers c")
        elif len(batch) <= i < n:
            default = KEYS_NOT_SENTENCES
        else:
            default = "this index is inside the batch; read the batch size from batch.encodings"
    return record.result("a result: every index here is valid", mistakes, default)


def expect_same_from_the_end(fn, label, batch, args, positive, want, mistake):
    """``fn(batch, *args)`` with a negative index equals ``want``; when it does not but the same call with
    the index counted from the start (``positive``) does, the negative index is the mistake."""
    got = value(call(label, fn, batch, *args), batch, *args)
    if got == want:
        return
    from_start = value(call(label, fn, batch, *positive), batch, *positive)
    if from_start != want:
        mistake = "wrong for the index counted from the start too: see the other tests' messages"
        if fn.__name__ == "token_char_span":
            enc = batch.encodings[positive[0]]
            mistake = span_mistake(got, want, [tuple(o) for o in enc.offsets], positive[1], enc.tokens)
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
    text = " ".join(changes)
    if "gained the keys" in text or "lost the keys" in text:
        return ("stored something in the caller's batch (batch[key] = ... or batch.pop): keep what you compute "
                "in a local variable; the batch is the caller's")
    if retyped:
        return ("batch.convert_to_tensors() converts the caller's batch in place (lists became tensors, or "
                "tensors lists): the Encoding, batch[i], needs neither")
    return None


# ---------------------------------------------------------------- checking results


def expect_encoding(label, got, want_ids, want_tokens):
    """``got`` must be the tokenizers.Encoding with these ids and tokens."""
    import tokenizers
    import torch

    if isinstance(got, (torch.Tensor, list)) and not isinstance(got, tokenizers.Encoding):
        fail(label, summary(got), "a tokenizers.Encoding", NOT_ENCODING)
    check(isinstance(got, tokenizers.Encoding), label, f"a {type_name(got)}", "a tokenizers.Encoding",
          "batch[i] with an integer i returns the Encoding; batch.encodings is the list behind it")
    check(list(got.ids) == list(want_ids), f"{label}.ids", got.ids, list(want_ids),
          "the Encoding of another sentence: batch[i] is sentence i, in the order given to the tokenizer")
    check(list(got.tokens) == list(want_tokens), f"{label}.tokens", got.tokens, list(want_tokens))


def expect_spans(impl, batch, i, want_spans, label):
    """token_char_span(batch, i, t) for every position t, against ``want_spans``."""
    offsets = [tuple(o) for o in batch.encodings[i].offsets]
    tokens = batch.encodings[i].tokens
    for t, want in enumerate(want_spans):
        span_label = f"token_char_span({label}, {i}, {t})  # token {tokens[t]!r}"
        got = value(call(span_label, impl.token_char_span, batch, i, t), batch, i, t)
        ok = (got is None and want is None) or (
            got is not None and want is not None and isinstance(got, tuple) and len(got) == 2
            and tuple(got) == tuple(want) and all(type(x) is int for x in got))
        if not ok and isinstance(got, list) and want is not None and tuple(got) == tuple(want):
            fail(span_label, repr(got), repr(tuple(want)), "return a tuple (start, end), as Encoding.offsets holds")
        check(ok, span_label, repr(got), repr(want), span_mistake(got, want, offsets, t, tokens, batch.encodings[i]))


def span_mistake(got, want, offsets, t, tokens, enc=None):
    """Name the span mistake at position ``t`` of a row with these reference ``offsets``."""
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
        if "whole word" in word:
            return word
    return NOT_BY_LENGTH
