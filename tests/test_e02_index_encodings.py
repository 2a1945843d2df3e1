"""Exercise 02, index encodings: checked against the tokenizers.Encoding objects bert-base-chinese's tokenizer keeps.

No model here: the tokenizer alone.
"""

import pytest
from hypothesis import given

from bertkata.feedback import KataFailure, check, fail, summary, type_name
from bertkata.strategies import chinese_batches, sentence_batches

PAIR = ["你好", "今天天气很好"]
FOUR = ["你好", "今天天气很好", "我觉得不行", "我觉得其实还可以"]
MIXED = "我在北京，ＡＢＣ ａｂｃ😀 test\t好"

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
SHIFTED = ("shifted by one: offsets and tokens share the row's positions, and position 0 holds [CLS], "
           "so token t's span is encoding.offsets[t] (no -1, no +1)")
NOT_BY_LENGTH = ("read spans from the Encoding's offsets; they cannot be rebuilt by adding up token lengths: "
                 "one [UNK] covers 'ＡＢＣ' (3 characters), '##' is not in the text, whitespace has no token")
CLS_FIRST = ("position 0 holds [CLS], so character c of a Chinese sentence is token c + 1; "
             "ask the Encoding (char_to_token) instead of counting")


def attempt(call, fn, *args, batch=None, i=None):
    """Call the learner's function on a valid input; explain the usual exceptions."""
    try:
        return fn(*args)
    except (NotImplementedError, KataFailure):
        raise
    except (IndexError, KeyError) as exc:
        n = len(batch.encodings) if batch is not None and batch.encodings is not None else None
        mistake = "this index is inside the batch; read the batch size from batch.encodings"
        if n is not None and i is not None and len(batch) <= i < n:
            mistake = KEYS_NOT_SENTENCES
        fail(call, f"{type(exc).__name__}: {exc}", "a result: every index here is valid", mistake)
    except TypeError as exc:
        if "not subscriptable" in str(exc):
            fail(call, f"TypeError: {exc}", "a result",
                 "a tokenizers.Encoding is not a dict: read its attributes (.ids, .tokens, .offsets, .word_ids)")
        raise


def expect_encoding(call, got, want_ids, want_tokens):
    """``got`` must be the tokenizers.Encoding with these ids and tokens."""
    import tokenizers
    import torch

    if isinstance(got, (torch.Tensor, list)) and not isinstance(got, tokenizers.Encoding):
        fail(call, summary(got), "a tokenizers.Encoding", NOT_ENCODING)
    check(isinstance(got, tokenizers.Encoding), call, f"a {type_name(got)}", "a tokenizers.Encoding",
          "batch[i] with an integer i returns the Encoding; batch.encodings is the list behind it")
    check(list(got.ids) == list(want_ids), f"{call}.ids", got.ids, list(want_ids),
          "the Encoding of another sentence: batch[i] is sentence i, in the order given to the tokenizer")
    check(list(got.tokens) == list(want_tokens), f"{call}.tokens", got.tokens, list(want_tokens))


def span_mistake(got, want, offsets, t, tokens):
    """Name the span mistake at position ``t`` of a row with these reference ``offsets``."""
    if want is None and got is not None and tuple(got) == (0, 0):
        return SPECIAL_IS_NONE
    if got is None and want is not None and want[0] == 0:
        return STARTS_AT_ZERO.format(token=repr(tokens[t]), t=t, span=tuple(want))
    if want is not None and got is not None:
        around = [offsets[u] for u in (t - 1, t + 1) if 0 <= u < len(offsets)]
        if tuple(got) in around:
            return SHIFTED
    if want is None:
        return SPECIAL_IS_NONE
    return NOT_BY_LENGTH


def expect_spans(impl, batch, i, want_spans, label):
    """token_char_span(batch, i, t) for every position t, against ``want_spans``."""
    offsets = [tuple(o) for o in batch.encodings[i].offsets]
    tokens = batch.encodings[i].tokens
    for t, want in enumerate(want_spans):
        call = f"token_char_span({label}, {i}, {t})  # token {tokens[t]!r}"
        got = attempt(call, impl.token_char_span, batch, i, t, batch=batch, i=i)
        ok = (got is None and want is None) or (
            got is not None and want is not None and isinstance(got, tuple) and len(got) == 2
            and tuple(got) == tuple(want) and all(type(x) is int for x in got))
        if not ok and isinstance(got, list) and want is not None and tuple(got) == tuple(want):
            fail(call, repr(got), repr(tuple(want)), "return a tuple (start, end), as Encoding.offsets holds")
        check(ok, call, repr(got), repr(want), span_mistake(got, want, offsets, t, tokens))


# ---------------------------------------------------------------- encoding_at


def test_integer_index_gives_the_encoding(impl, tokenizer):
    """batch[i] is sentence i's tokenizers.Encoding; batch["input_ids"][i] is only its tensor row.

    Case C05: https://github.com/ModelCloud/GPTQModel/pull/643
    """
    batch = tokenizer(PAIR, padding=True, return_tensors="pt")
    for i in range(2):
        call = f"encoding_at(tokenizer({PAIR}, padding=True, return_tensors='pt'), {i})"
        got = attempt(call, impl.encoding_at, batch, i, batch=batch, i=i)
        expect_encoding(call, got, PAIR_IDS[i], PAIR_TOKENS[i])
        check([tuple(o) for o in got.offsets] == PAIR_OFFSETS[i], f"{call}.offsets", got.offsets,
              PAIR_OFFSETS[i], "return batch[i] itself, not a rebuilt Encoding")
        check(list(got.word_ids) == PAIR_WORD_IDS[i], f"{call}.word_ids", got.word_ids, PAIR_WORD_IDS[i])
        check(got.ids == batch["input_ids"][i].tolist(), f"{call}.ids", got.ids,
              f"the tensor row batch['input_ids'][{i}] = {batch['input_ids'][i].tolist()}")


def test_batch_size_is_the_number_of_encodings(impl, tokenizer):
    """A batch of 4 sentences has 3 keys: len(batch) == 3, len(batch.encodings) == 4.

    Case C05: https://github.com/ModelCloud/GPTQModel/pull/643
    """
    batch = tokenizer(FOUR, padding=True, return_tensors="pt")
    assert len(batch) == 3 and len(batch.encodings) == 4  # keys versus sentences
    for i in range(len(FOUR)):
        call = f"encoding_at(tokenizer({FOUR}, padding=True, return_tensors='pt'), {i})"
        got = attempt(call, impl.encoding_at, batch, i, batch=batch, i=i)
        expect_encoding(call, got, batch["input_ids"][i].tolist(),
                        tokenizer.convert_ids_to_tokens(batch["input_ids"][i]))


def test_lists_and_negative_indices(impl, tokenizer):
    """Without return_tensors the batch holds lists, and still keeps its Encodings; i=-1 is the last sentence."""
    batch = tokenizer(FOUR, padding=True)
    for i in (0, 3, -1, -4):
        call = f"encoding_at(tokenizer({FOUR}, padding=True), {i})"
        got = attempt(call, impl.encoding_at, batch, i, batch=batch, i=i % len(FOUR))
        row = batch["input_ids"][i]
        expect_encoding(call, got, row, tokenizer.convert_ids_to_tokens(row))


# ---------------------------------------------------------------- tokens_at


def test_tokens_include_the_padding(impl, tokenizer):
    """A padded sentence's Encoding goes on past [SEP]: its [PAD] positions are tokens too.

    Case C05: https://github.com/ModelCloud/GPTQModel/pull/643
    """
    batch = tokenizer(PAIR, padding=True, return_tensors="pt")
    for i in range(2):
        call = f"tokens_at(tokenizer({PAIR}, padding=True, return_tensors='pt'), {i})"
        got = attempt(call, impl.tokens_at, batch, i, batch=batch, i=i)
        check(isinstance(got, list) and all(isinstance(x, str) for x in got), call, summary(got),
              "a list of str", "return the Encoding's tokens as a list of str")
        mistake = None
        if got == PAIR_TOKENS[i][:len(got)] and len(got) < len(PAIR_TOKENS[i]):
            mistake = ("the Encoding of a padded sentence keeps its [PAD] tokens: one token per position, "
                       "as many as the row of input_ids")
        check(got == PAIR_TOKENS[i], call, got, PAIR_TOKENS[i], mistake)


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
        call = f"tokens_at(tokenizer({sentences}, padding=True, return_tensors='pt'), {i})"
        got = attempt(call, impl.tokens_at, batch, i, batch=batch, i=i)
        full = tokens + ["[PAD]"] * (width - len(tokens))
        check(got == full, call, got, full,
              "read the tokens from the Encoding (batch[i].tokens); they include [PAD] up to the row's length")


@given(sentences=sentence_batches())
def test_tokens_are_the_ids_of_the_row(impl, tokenizer, sentences):
    """For any batch: tokens_at(b, i) == convert_ids_to_tokens(b["input_ids"][i]), and the Encoding's
    ids are the tensor row."""
    batch = tokenizer(sentences, padding=True, return_tensors="pt")
    for i in range(len(sentences)):
        row = batch["input_ids"][i]
        want = tokenizer.convert_ids_to_tokens(row)
        call = f"tokens_at(tokenizer({sentences}, padding=True, return_tensors='pt'), {i})"
        got = attempt(call, impl.tokens_at, batch, i, batch=batch, i=i)
        check(got == want, call, got, want, "the tokens of sentence i, one per position of its row, [PAD] included")
        call = f"encoding_at(tokenizer({sentences}, padding=True, return_tensors='pt'), {i})"
        expect_encoding(call, attempt(call, impl.encoding_at, batch, i, batch=batch, i=i), row.tolist(), want)


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
    expect_spans(impl, batch, 0, MIXED_SPANS, f"tokenizer([{MIXED!r}], return_tensors='pt')")
    slices = [MIXED[s:e] for s, e in (impl.token_char_span(batch, 0, t) for t in range(1, 10))]
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


@given(sentences=chinese_batches())
def test_each_chinese_character_is_its_own_span(impl, tokenizer, sentences):
    """For any batch of Chinese sentences: token c + 1 spans exactly character c, and every
    [PAD] position has no span."""
    batch = tokenizer(sentences, padding=True, return_tensors="pt")
    label = f"tokenizer({sentences}, padding=True, return_tensors='pt')"
    width = batch["input_ids"].shape[1]
    for i, s in enumerate(sentences):
        for t in range(1, len(s) + 1):
            call = f"token_char_span({label}, {i}, {t})"
            got = attempt(call, impl.token_char_span, batch, i, t, batch=batch, i=i)
            piece = s[got[0]:got[1]] if isinstance(got, tuple) and len(got) == 2 else None
            check(piece == s[t - 1], call + f"  # token {s[t - 1]!r}", f"{got!r} (the text {piece!r})",
                  f"{(t - 1, t)} (the text {s[t - 1]!r})",
                  span_mistake(got, (t - 1, t), [tuple(o) for o in batch.encodings[i].offsets], t,
                               batch.encodings[i].tokens))
        for t in range(len(s) + 1, width):
            call = f"token_char_span({label}, {i}, {t})  # {'[SEP]' if t == len(s) + 1 else '[PAD]'}"
            got = attempt(call, impl.token_char_span, batch, i, t, batch=batch, i=i)
            check(got is None, call, repr(got), "None", SPECIAL_IS_NONE)


@given(sentences=sentence_batches())
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
            call = f"token_for_char(tokenizer({PAIR}, padding=True, return_tensors='pt'), {i}, {c})  # {s[c]!r}"
            got = attempt(call, impl.token_for_char, batch, i, c, batch=batch, i=i)
            mistake = CLS_FIRST if got == c else "ask the Encoding which token covers the character (char_to_token)"
            check(got == c + 1 and type(got) is int, call, repr(got), repr(c + 1), mistake)


def test_char_to_token_in_mixed_text(impl, tokenizer):
    """Whitespace belongs to no token (None); every character of 'ａｂｃ😀' maps to the same [UNK].

    Case C17: https://github.com/huggingface/tokenizers/issues/404
    """
    batch = tokenizer([MIXED], return_tensors="pt")
    want = [1, 2, 3, 4, 5, 6, 6, 6, None, 7, 7, 7, 7, None, 8, 8, 8, 8, None, 9]
    for c, w in enumerate(want):
        call = f"token_for_char(tokenizer([{MIXED!r}], return_tensors='pt'), 0, {c})  # {MIXED[c]!r}"
        got = attempt(call, impl.token_for_char, batch, 0, c, batch=batch, i=0)
        if w is None:
            mistake = "whitespace is dropped by the tokenizer, so no token covers it: return None"
        elif got == c or got == c + 1:
            mistake = ("characters and tokens do not line up one to one: one [UNK] covers 'ＡＢＣ', "
                       "whitespace has no token; ask the Encoding (char_to_token)")
        else:
            mistake = "ask the Encoding which token covers the character (char_to_token)"
        check(got == w, call, repr(got), repr(w), mistake)


@given(sentences=sentence_batches())
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
            call = f"token_for_char({label}, {i}, {c})  # {s[c]!r}"
            got = attempt(call, impl.token_for_char, batch, i, c, batch=batch, i=i)
            want = covering.get(c)
            check(got == want, call, repr(got), repr(want),
                  "the token whose offsets contain the character; None if none does (whitespace)")
            if got is not None:
                span = attempt(f"token_char_span({label}, {i}, {got})", impl.token_char_span, batch, i, got,
                               batch=batch, i=i)
                check(span is not None and span[0] <= c < span[1], f"token_char_span({label}, {i}, {got})",
                      repr(span), f"a span containing character {c}",
                      "token_for_char and token_char_span must read the same offsets")


# ---------------------------------------------------------------- bad input


def expect_error(call, fn, args, error, must_mention, mistake):
    """``fn(*args)`` must raise ``error`` whose message contains ``must_mention``."""
    try:
        got = fn(*args)
    except error as exc:
        check(must_mention.lower() in str(exc).lower(), call, f"{type(exc).__name__}({str(exc)!r})",
              f"{error.__name__} whose message mentions {must_mention!r}", mistake)
        return
    except (NotImplementedError, KataFailure):
        raise
    except Exception as exc:
        fail(call, f"{type(exc).__name__}: {exc}", f"{error.__name__} mentioning {must_mention!r}", mistake)
    fail(call, summary(got), f"{error.__name__} mentioning {must_mention!r}", mistake)


FUNCTIONS = [("encoding_at", ()), ("tokens_at", ()), ("token_char_span", (1,)), ("token_for_char", (0,))]


@pytest.mark.parametrize("func,rest", FUNCTIONS, ids=[f[0] for f in FUNCTIONS])
@pytest.mark.parametrize("i", [3, 7, -4])
def test_sentence_index_outside_the_batch(impl, tokenizer, func, rest, i):
    """A batch of 3 sentences: i = 3, 7 or -4 raises IndexError, and the message gives the batch size."""
    sentences = ["你好", "今天天气很好", "我觉得不行"]
    batch = tokenizer(sentences, padding=True, return_tensors="pt")
    call = f"{func}(tokenizer({sentences}, padding=True, return_tensors='pt'), {', '.join(map(str, (i, *rest)))})"
    expect_error(call, getattr(impl, func), (batch, i, *rest), IndexError, "3",
                 "check i against the number of sentences, len(batch.encodings), and say it: "
                 "'i=7 is out of range: the batch has 3 sentences'")


@pytest.mark.parametrize("func,rest", FUNCTIONS, ids=[f[0] for f in FUNCTIONS])
@pytest.mark.parametrize("kind", ["plain dict", "BatchEncoding built by hand"])
def test_a_batch_without_encodings_is_a_type_error(impl, tokenizer, func, rest, kind):
    """Only a tokenizers-backed tokenizer's BatchEncoding keeps Encodings; a dict of the same
    tensors, or a BatchEncoding built from a dict, has none."""
    from transformers import BatchEncoding

    real = tokenizer(PAIR, padding=True, return_tensors="pt")
    batch = dict(real) if kind == "plain dict" else BatchEncoding({"input_ids": real["input_ids"]})
    call = f"{func}({kind} {{'input_ids': ...}}, {', '.join(map(str, (0, *rest)))})"
    expect_error(call, getattr(impl, func), (batch, 0, *rest), TypeError, "Encoding",
                 "check batch.encodings first (None, or no such attribute) and raise TypeError saying that "
                 "only a tokenizers-backed (fast) tokenizer's BatchEncoding keeps Encodings")


@pytest.mark.parametrize("t", [8, 50, -9])
def test_token_index_outside_the_row(impl, tokenizer, t):
    """Rows of the padded pair have 8 positions: t = 8, 50 or -9 raises IndexError."""
    batch = tokenizer(PAIR, padding=True, return_tensors="pt")
    expect_error(f"token_char_span(tokenizer({PAIR}, padding=True, return_tensors='pt'), 0, {t})",
                 impl.token_char_span, (batch, 0, t), IndexError, "8",
                 "check t against the row's length (len(encoding), 8 here); Encoding.token_to_chars "
                 "answers None past the end instead of failing")


def test_negative_character_index(impl, tokenizer):
    """Character indices start at 0: c = -1 raises IndexError (the batch does not keep the text)."""
    batch = tokenizer(PAIR, padding=True, return_tensors="pt")
    expect_error(f"token_for_char(tokenizer({PAIR}, padding=True, return_tensors='pt'), 1, -1)",
                 impl.token_for_char, (batch, 1, -1), IndexError, "-1",
                 "reject a negative character index with IndexError, naming it")


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
        expect_error(f"{func}(BertTokenizerLegacy(vocab)({PAIR}, padding=True, return_tensors='pt'), 0"
                     f"{''.join(f', {r}' for r in rest)})", getattr(impl, func), (batch, 0, *rest), TypeError,
                     "Encoding", "a Python tokenizer's batch has batch.encodings None: raise TypeError saying "
                     "only a tokenizers-backed (fast) tokenizer keeps Encodings")
