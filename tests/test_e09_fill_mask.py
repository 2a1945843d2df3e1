"""Exercise 09, fill the mask by hand: checked against BertForMaskedLM's own logits, the tokenizer's own
tokens, the vocabulary file and pipeline("fill-mask").

Every call of the learner's functions goes through :func:`bertkata.calls.observe` (here through
:func:`call`, :func:`call_logits`, :func:`call_top_k`, given the function wrapped by
:func:`bertkata.calls.observing`), so the caller's tensors, the model's modes and the
tokenizer must come back as they were. Where a [MASK] is, is read from the tokenizer's ``Encoding``
(its tokens), never from the code under test. When a value is wrong, the diagnosis compares it with the
values each known mistake gives on the same input. The cheap tests come first: the meta tests stop at
the first failure.
"""

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from bertkata.calls import observe, observing
from bertkata.feedback import check, fail, summary
from bertkata.i18n import T, say
from bertkata.strategies import masked_sentences, per_model_run

# Two sentences with different numbers of [MASK] (1 and 3), the second one padded to the first's
# length: typed "[MASK]" is one token, id tokenizer.mask_token_id.
MASKED = ["我[MASK]得其实[MASK][MASK]可以", "我觉得[MASK]行"]
# A sentence's logits alone and padded in a batch agree to float32 rounding (3e-6 measured on the
# replica); dropout left on, a forgotten attention_mask or a wrong position moves them by more than 0.1.
ATOL = 1e-4
TOP_K = 5


# ---------------------------------------------------------------- mask_positions (no model)


def test_positions_are_where_the_tokenizer_put_mask(impl, tokenizer):
    """In a padded batch of sentences with 3 and 1 [MASK], every [MASK] is listed as (row, position),
    in reading order; position 0 is [CLS], so the first character is at position 1."""
    batch, where = tokens_of(tokenizer, MASKED)
    ids = batch["input_ids"]
    mask_positions = observing(impl.mask_positions)
    text = f"mask_positions(tokenizer, tokenizer({MASKED}, padding=True, return_tensors='pt')['input_ids'])"
    got = call(text, mask_positions, tokenizer, ids.clone(), tokenizer=tokenizer)
    expect_pairs(text, got, where, lambda: positions_diagnosis(mask_positions, tokenizer))


def test_positions_use_the_tokenizers_mask_token_id(impl, tokenizer, source):
    """With a tokenizer whose mask token is "[unused1]" (id 1), the masks are where id 1 is, not 103:
    the id comes from tokenizer.mask_token_id, never typed in.

    https://github.com/huggingface/transformers/issues/3318: code written for one model's mask
    token ("<mask>") fails on another's ("[MASK]"); use tokenizer.mask_token and mask_token_id.
    """
    from transformers import AutoTokenizer

    other = AutoTokenizer.from_pretrained(str(source.path), mask_token="[unused1]")
    sentences = ["我觉得[unused1]行[MASK]", "[unused1]天[unused1]气"]
    batch, where = tokens_of(other, sentences)
    check(other.mask_token_id == 1 and len(where) == 3, "AutoTokenizer(..., mask_token='[unused1]')",
          other.mask_token_id, 1, NOT_CHINESE)
    text = f"mask_positions(tokenizer_with_mask_token_unused1, tokenizer({sentences}, ...)['input_ids'])"
    got = call(text, observing(impl.mask_positions), other, batch["input_ids"].clone(), tokenizer=other)
    expect_pairs(text, got, where, lambda: T(
        "the [MASK] id was typed in (103, or convert_tokens_to_ids('[MASK]')): another tokenizer has another "
        "mask token; compare with tokenizer.mask_token_id",
        "[MASK] 的 id 是写死的（103，或 convert_tokens_to_ids('[MASK]')）：别的分词器有别的掩码 token；"
        "应当与 tokenizer.mask_token_id 比较"))


def test_no_mask_gives_no_positions(impl, tokenizer):
    """A batch without [MASK] gives an empty [0, 2] tensor (mask_logits is the one that raises)."""
    ids = tokenizer(["我觉得不行"], return_tensors="pt")["input_ids"]
    text = "mask_positions(tokenizer, tokenizer(['我觉得不行'], return_tensors='pt')['input_ids'])"
    got = call(text, observing(impl.mask_positions), tokenizer, ids, tokenizer=tokenizer)
    expect_pairs(text, got, [], lambda: T("no id equals mask_token_id here: return the empty result of nonzero(), "
                                          "shape [0, 2]",
                                          "这里没有任何 id 等于 mask_token_id：返回 nonzero() 的空结果，形状 [0, 2]"))


BAD_IDS = [
    ([[101, 103, 102]], TypeError, T("a list instead of a tensor", "传了列表，而不是张量")),
    (torch.tensor([[101.0, 103.0, 102.0]]), TypeError, T("float ids", "浮点数 id")),
    (torch.tensor([101, 103, 102]), ValueError, T("one sentence's 1-D ids", "单个句子的一维 id")),
]


@pytest.mark.parametrize("ids,error,what", BAD_IDS, ids=[b[2].en for b in BAD_IDS])
def test_bad_input_ids_get_a_clear_error(impl, tokenizer, ids, error, what):
    """input_ids must be an integer tensor [batch, seq_len]: TypeError or ValueError, as the docstring says."""
    rec = observe(f"mask_positions(tokenizer, {summary(ids)})" + say(f"  # {what}", f"  # {what}"),
                  impl.mask_positions, tokenizer, ids, tokenizer=tokenizer)
    rec.expect_error(error, T("'input_ids must be an integer tensor [batch, seq_len]'",
                              "'input_ids 必须是 [batch, seq_len] 的整数张量'"))
    rec.expect_no_side_effects()


# ---------------------------------------------------------------- top_k_tokens (no model)


def test_top_k_ranks_the_vocabulary_best_first(impl, tokenizer, source):
    """For logits [3, 21128] drawn from a fixed seed, with a clear winner order at chosen ids ("##a"
    and [UNK] among them), each row's ids are the k largest logits of that row, best first, and the
    tokens are those lines of vocab.txt (convert_ids_to_tokens keeps "##a"; decode glues it on)."""
    # what the hints say of decode, which is not the way to tokens: spaces between Chinese characters,
    # "##" pieces glued to the token before
    check(tokenizer.decode([2769, 6230]) == "我 觉" and tokenizer.decode([2769, 8139]) == "我a"
          and tokenizer.convert_ids_to_tokens([2769, 8139]) == ["我", "##a"],
          "tokenizer.decode([2769, 6230]), tokenizer.decode([2769, 8139])",
          [tokenizer.decode([2769, 6230]), tokenizer.decode([2769, 8139])], ["我 觉", "我a"], NOT_CHINESE)
    top_k_tokens = observing(impl.top_k_tokens)
    logits = fixed_logits(tokenizer)
    text = f"top_k_tokens(tokenizer, {LOGITS_SHOWN}, k={TOP_K})"
    got = call_top_k(text, top_k_tokens, tokenizer, logits.clone(), TOP_K)
    expect_top_k(text, got, logits, TOP_K, vocab_lines(source), lambda: top_k_diagnosis(top_k_tokens, tokenizer))


def test_top_k_of_one_mask_and_k_1(impl, tokenizer, source):
    """One [MASK] ([1, 21128]) and k=1 give ids [1, 1] and [[token]]: the shapes stay [n_masks, k]."""
    top_k_tokens = observing(impl.top_k_tokens)
    logits = fixed_logits(tokenizer)[1:2]
    text = say("top_k_tokens(tokenizer, logits [1, 21128], k=1)", "top_k_tokens(tokenizer, 形状 [1, 21128] 的 logits, k=1)")
    got = call_top_k(text, top_k_tokens, tokenizer, logits.clone(), 1)
    expect_top_k(text, got, logits, 1, vocab_lines(source), lambda: top_k_diagnosis(top_k_tokens, tokenizer))


BAD_TOP_K = [
    (lambda: torch.zeros(21128), 5, ValueError, T("1-D logits of one [MASK]", "单个 [MASK] 的一维 logits"),
     T("logits of one [MASK] are [vocab_size]: check logits.dim() == 2 and raise ValueError (the caller can "
       "unsqueeze(0))",
       "单个 [MASK] 的 logits 是 [vocab_size]：检查 logits.dim() == 2，不满足就抛出 ValueError（调用者可以 unsqueeze(0)）")),
    (lambda: torch.zeros(2, 21128, dtype=torch.long), 5, TypeError, T("integer logits (ids)", "整数 logits（其实是 id）"),
     T("logits are scores (floats), not token ids: check logits.is_floating_point() and raise TypeError",
       "logits 是分数（浮点数），不是 token id：检查 logits.is_floating_point()，不是就抛出 TypeError")),
    (lambda: torch.zeros(2, 21128), 0, ValueError, T("k=0", "k=0"),
     T("k must be at least 1: check 1 <= k <= vocab_size and raise ValueError",
       "k 至少为 1：检查 1 <= k <= vocab_size，不满足就抛出 ValueError")),
    (lambda: torch.zeros(2, 21128), 21129, ValueError, T("k larger than the vocabulary", "k 大于词表大小"),
     T("there are only vocab_size tokens to rank: check k <= logits.shape[1] and raise ValueError",
       "只有 vocab_size 个 token 可排：检查 k <= logits.shape[1]，不满足就抛出 ValueError")),
    (lambda: torch.zeros(2, 21128), True, TypeError, T("k=True", "k=True"),
     T("True is not a number of tokens, though isinstance(True, int) holds: check type(k) is int and raise "
       "TypeError",
       "True 不是 token 的个数，尽管 isinstance(True, int) 成立：检查 type(k) is int，不满足就抛出 TypeError")),
    (lambda: torch.zeros(2, 21128), 2.0, TypeError, T("k=2.0", "k=2.0"),
     T("k is a count: check type(k) is int and raise TypeError", "k 是个数：检查 type(k) is int，不满足就抛出 TypeError")),
]


@pytest.mark.parametrize("make,k,error,what,mistake", BAD_TOP_K, ids=[b[3].en for b in BAD_TOP_K])
def test_bad_top_k_input_gets_a_clear_error(impl, tokenizer, make, k, error, what, mistake):
    """The documented errors of top_k_tokens: TypeError or ValueError with a message saying what was expected."""
    logits = make()
    rec = observe(f"top_k_tokens(tokenizer, {summary(logits)}, k={k!r})  # {what}", impl.top_k_tokens, tokenizer,
                  logits, k, tokenizer=tokenizer)
    rec.expect_error(error, T("'k must be between 1 and vocab_size'", "'k 必须在 1 到 vocab_size 之间'"), mistake=mistake)
    rec.expect_no_side_effects()


@settings(max_examples=10)  # each example ranks 21128 scores per row by a plain sort
@given(seed=st.integers(0, 2**31 - 1), n_masks=st.integers(1, 4), k=st.integers(1, 12))
def test_top_k_matches_a_plain_sort(impl, tokenizer, source, seed, n_masks, k):
    """For any logits [n_masks, 21128] and k: row j's ids are the first k of that row's ids sorted by
    descending logit (a plain Python sort), and the tokens are their lines in vocab.txt."""
    top_k_tokens = observing(impl.top_k_tokens)
    logits = torch.randn(n_masks, tokenizer.vocab_size, generator=torch.Generator().manual_seed(seed))
    text = say(f"top_k_tokens(tokenizer, logits [{n_masks}, 21128] of seed {seed}, k={k})",
               f"top_k_tokens(tokenizer, 种子 {seed} 生成的 [{n_masks}, 21128] logits, k={k})")
    got = call_top_k(text, top_k_tokens, tokenizer, logits.clone(), k)
    expect_top_k(text, got, logits, k, vocab_lines(source), lambda: top_k_diagnosis(top_k_tokens, tokenizer))


# ---------------------------------------------------------------- decoder_is_tied (a small model, no weights)


def test_tied_and_untied_decoders(impl):
    """A BertForMaskedLM as built (tie_word_embeddings=True) is tied; one built untied
    (tie_word_embeddings=False) whose decoder weight is then set to the word embeddings' is tied too; the
    first model with its decoder weight replaced by an equal copy is not, although its values and its
    config's flag still say so.

    https://github.com/huggingface/transformers/issues/3998: BertForMaskedLM's output weight is its input
    embedding; https://github.com/huggingface/transformers/issues/14035: an output layer given
    nn.Parameter(input_embeddings.weight.clone()) starts equal but is no longer tied.
    """
    decoder_is_tied = observing(impl.decoder_is_tied)
    tied = small_masked_lm()
    check(tied.cls.predictions.decoder.weight is tied.bert.embeddings.word_embeddings.weight,
          "small BertForMaskedLM: decoder.weight is word_embeddings.weight", False, True,
          T("transformers no longer ties BertForMaskedLM's decoder", "transformers 不再绑定 BertForMaskedLM 的解码层"))
    text = say("decoder_is_tied(BertForMaskedLM as built)", "decoder_is_tied(刚构造好的 BertForMaskedLM)")
    got = call(text, decoder_is_tied, tied, model=tied)
    check(got is True, text, summary(got), True, tied_diagnosis(got))
    flag_off = small_masked_lm(tie_word_embeddings=False)
    check(flag_off.cls.predictions.decoder.weight is not flag_off.bert.embeddings.word_embeddings.weight,
          "BertForMaskedLM(tie_word_embeddings=False)", True, False, T("transformers ties it anyway", "transformers 仍然绑定了它"))
    flag_off.cls.predictions.decoder.weight = flag_off.bert.embeddings.word_embeddings.weight
    text = say("decoder_is_tied(model built with tie_word_embeddings=False, then decoder.weight = word_embeddings.weight)",
               "decoder_is_tied(用 tie_word_embeddings=False 构造、再令 decoder.weight = word_embeddings.weight 的模型)")
    got = call(text, decoder_is_tied, flag_off, model=flag_off)
    check(got is True, text, summary(got), True, T(
        "the config's flag is not what ties the weights: it only says whether from_pretrained ties them; look at "
        "the weights themselves, output_layer.weight is input_embeddings.weight",
        "config 中的标志并不能绑定权重：它只说明 from_pretrained 会不会绑定；要看权重本身，"
        "output_layer.weight is input_embeddings.weight") if got is False else tied_diagnosis(got))
    untied = small_masked_lm()
    head = untied.cls.predictions
    head.decoder.weight = torch.nn.Parameter(head.decoder.weight.detach().clone())
    text = say("decoder_is_tied(model whose decoder.weight is an equal copy; config.tie_word_embeddings still True)",
               "decoder_is_tied(解码层权重换成了等值副本的模型；config.tie_word_embeddings 仍为 True)")
    got = call(text, decoder_is_tied, untied, model=untied)
    check(got is False, text, summary(got), False, untied_diagnosis(got))


# ---------------------------------------------------------------- mask_logits (BertForMaskedLM)


def test_logits_are_the_models_at_each_mask(impl, masked_lm, tokenizer):
    """For a padded batch with 3 and 1 [MASK]: [4, 21128] float32, row j the model's own logits at the
    j-th [MASK] (reading order), within 1e-4, with no autograd graph."""
    mask_logits = observing(impl.mask_logits)
    batch, where = tokens_of(tokenizer, MASKED)
    want = reference_logits(masked_lm, batch, where)
    text = CALL.format(MASKED)
    got = call_logits(text, mask_logits, masked_lm, tokenizer, batch)
    expect_logits(text, got, want, lambda: logits_diagnosis(mask_logits, masked_lm, tokenizer, MASKED))


def test_a_training_loop_gets_eval_logits_and_its_mode_back(impl, masked_lm, tokenizer):
    """Given a model in train mode (a caller fine-tuning it), the forward runs in eval mode, so the logits
    are the deterministic ones, and the model leaves in train mode."""
    mask_logits = observing(impl.mask_logits)
    batch, where = tokens_of(tokenizer, MASKED)
    want = reference_logits(masked_lm, batch, where)
    masked_lm.train()  # the fixture puts it back
    text = "masked_lm.train(); " + CALL.format(MASKED)
    got = call_logits(text, mask_logits, masked_lm, tokenizer, batch)
    expect_logits(text, got, want, lambda: DROPOUT)


def test_logits_are_dot_products_with_the_word_embeddings(impl, masked_lm, tokenizer):
    """The head's output layer is the word-embedding matrix (tied): the learner's logits equal
    cls.predictions.transform(last_hidden_state) @ word_embeddings.weight.T + bias, computed here
    with the embedding matrix itself."""
    mask_logits = observing(impl.mask_logits)
    batch, where = tokens_of(tokenizer, MASKED)
    with torch.no_grad():
        hidden = masked_lm.bert(**batch).last_hidden_state
        rows = masked_lm.cls.predictions.transform(hidden[[i for i, _ in where], [j for _, j in where]])
        embeddings = masked_lm.bert.embeddings.word_embeddings.weight
        want = rows @ embeddings.T + masked_lm.cls.predictions.bias
    text = CALL.format(MASKED) + say("  vs  transform(h) @ word_embeddings.weight.T + bias",
                                     "  对比  transform(h) @ word_embeddings.weight.T + bias")
    got = call_logits(text, mask_logits, masked_lm, tokenizer, batch)
    expect_logits(text, got, want, lambda: logits_diagnosis(mask_logits, masked_lm, tokenizer, MASKED))


def test_the_masked_lm_is_tied(impl, masked_lm):
    """bert-base-chinese's BertForMaskedLM: decoder_is_tied is True (the decoder weight is the word
    embeddings', [21128, 768])."""
    check(masked_lm.get_output_embeddings().weight is masked_lm.get_input_embeddings().weight,
          "masked_lm.get_output_embeddings().weight is masked_lm.get_input_embeddings().weight", False, True,
          T("the model source's BertForMaskedLM is not tied", "模型来源的 BertForMaskedLM 没有绑定权重"))
    got = call("decoder_is_tied(masked_lm)", observing(impl.decoder_is_tied), masked_lm, model=masked_lm)
    check(got is True, "decoder_is_tied(masked_lm)", summary(got), True, tied_diagnosis(got))


def test_bert_model_has_no_masked_lm_head(impl, model, tokenizer):
    """BertModel has no masked-LM head: its first output is last_hidden_state [.., 768], not logits.
    mask_logits and decoder_is_tied raise TypeError for it.

    https://github.com/stefan-it/turkish-bert/issues/15: fill-mask on a model without the language-modeling
    head; use BertForMaskedLM (AutoModelForMaskedLM).
    """
    batch, _ = tokens_of(tokenizer, MASKED)
    with torch.no_grad():
        first = model(**batch)[0]
    check(model.get_output_embeddings() is None and list(first.shape[2:]) == [model.config.hidden_size],
          "BertModel: get_output_embeddings(), model(**batch)[0].shape",
          [model.get_output_embeddings(), list(first.shape)], [None, [*first.shape[:2], model.config.hidden_size]],
          T("the model fixture is not BertModel", "model 夹具不是 BertModel"))
    rec = observe("mask_logits(BertModel, tokenizer, batch)", impl.mask_logits, model, tokenizer, batch,
                  model=model, tokenizer=tokenizer)
    shape = list(rec.value.shape) if isinstance(rec.value, torch.Tensor) else None
    rec.expect_error(TypeError, T("'BertModel has no masked-LM head: load BertForMaskedLM'",
                                  "'BertModel 没有掩码语言模型头：请加载 BertForMaskedLM'"), mistake=(T(
        f"out[0] of BertModel is last_hidden_state, so this returned hidden states {shape}, not logits: check "
        "that the model has a masked-LM head (model.get_output_embeddings() is None for BertModel) and raise "
        "TypeError",
        f"BertModel 的 out[0] 是 last_hidden_state，所以这里返回的是隐藏状态 {shape}，不是 logits：先检查模型有没有"
        "掩码语言模型头（BertModel 的 model.get_output_embeddings() 为 None），没有就抛出 TypeError")
        if shape and shape[-1] == model.config.hidden_size else BERT_MODEL))
    rec.expect_no_side_effects()
    rec = observe("decoder_is_tied(BertModel)", impl.decoder_is_tied, model, model=model)
    rec.expect_error(TypeError, T("'BertModel has no masked-LM head'", "'BertModel 没有掩码语言模型头'"),
                     mistake=BERT_MODEL)
    rec.expect_no_side_effects()


def test_a_batch_without_mask_is_an_error(impl, masked_lm, tokenizer):
    """No [MASK] in the batch: ValueError saying to put tokenizer.mask_token in, not an empty result."""
    batch = tokenizer(["我觉得不行"], return_tensors="pt")
    rec = observe("mask_logits(masked_lm, tokenizer, tokenizer(['我觉得不行'], return_tensors='pt'))",
                  impl.mask_logits, masked_lm, tokenizer, batch, model=masked_lm, tokenizer=tokenizer)
    empty = isinstance(rec.value, torch.Tensor) and rec.value.numel() == 0
    rec.expect_error(ValueError, T("'the batch holds no [MASK]'", "'批次中没有 [MASK]'"), mistake=T(
        "an empty result hides the real problem (the sentence was never masked): check that some id equals "
        "tokenizer.mask_token_id and raise ValueError",
        "空结果掩盖了真正的问题（句子根本没有被遮住）：检查是否有 id 等于 tokenizer.mask_token_id，没有就抛出 ValueError")
        if empty else None)
    rec.expect_no_side_effects()


@pytest.mark.parametrize("batch,what", [
    (MASKED, T("a list of sentences", "句子列表")),
    (None, T("a bare input_ids tensor", "单个 input_ids 张量")),
], ids=["sentences", "tensor"])
def test_not_a_batch_is_a_type_error(impl, masked_lm, tokenizer, batch, what):
    """mask_logits takes what the tokenizer returns: a list of sentences or a bare tensor is a TypeError."""
    if batch is None:
        batch = tokenizer(MASKED, padding=True, return_tensors="pt")["input_ids"]
    rec = observe(f"mask_logits(masked_lm, tokenizer, {what})", impl.mask_logits, masked_lm, tokenizer, batch,
                  model=masked_lm, tokenizer=tokenizer)
    rec.expect_error(TypeError, T("'batch must be what the tokenizer returns'", "'batch 必须是分词器返回的结果'"))
    rec.expect_no_side_effects()


@per_model_run(4)  # each example runs BertForMaskedLM once per sentence, plus once for the batch
@given(data=st.data())
def test_each_sentence_as_if_alone(impl, masked_lm, tokenizer, data):
    """For any batch of Chinese sentences, each with 0 to 3 [MASK] at drawn places (and at least one in the
    batch), the rows of a sentence equal that sentence's logits encoded alone (within 1e-4)."""
    mask_logits = observing(impl.mask_logits)
    sentences = data.draw(st.lists(masked_sentences(), min_size=1, max_size=3).filter(
        lambda b: any("[MASK]" in s for s in b)), label="sentences")
    batch, where = tokens_of(tokenizer, sentences)
    want = []
    for i, s in enumerate(sentences):
        alone, spots = tokens_of(tokenizer, [s])
        want.append(reference_logits(masked_lm, alone, spots) if spots else torch.zeros(0, tokenizer.vocab_size))
    text = CALL.format(sentences)
    got = call_logits(text, mask_logits, masked_lm, tokenizer, batch)
    expect_logits(text + say("  vs  each sentence alone", "  对比  每个句子单独编码"), got, torch.cat(want),
                  lambda: logits_diagnosis(mask_logits, masked_lm, tokenizer, MASKED))


def test_the_pipeline_gives_the_same_tokens(impl, masked_lm, tokenizer):
    """For a sentence with one [MASK], top_k_tokens(mask_logits(...)) gives the ids pipeline("fill-mask")
    ranks first, in its order, and the pipeline's scores are the softmax of those logits over the vocabulary.

    https://github.com/huggingface/transformers/issues/4612: replicating the fill-mask pipeline with the
    model directly; it ranks softmax(logits) of the [MASK] position over the vocabulary.
    """
    from transformers import pipeline

    mask_logits = observing(impl.mask_logits)
    top_k_tokens = observing(impl.top_k_tokens)
    sentence = "今天天气很[MASK]，我们去散步吧。"
    fill = pipeline("fill-mask", model=masked_lm, tokenizer=tokenizer)
    filled = fill(sentence, top_k=TOP_K)
    want = [d["token"] for d in filled]
    batch = tokenizer([sentence], return_tensors="pt")
    text = f"mask_logits(masked_lm, tokenizer, tokenizer([{sentence!r}], return_tensors='pt'))"
    logits = call_logits(text, mask_logits, masked_lm, tokenizer, batch)
    text = f"top_k_tokens(tokenizer, {text}, k={TOP_K})[0]"
    ids, tokens = call_top_k(text, top_k_tokens, tokenizer, logits, TOP_K)
    check(ids[0].tolist() == want, text, ids[0].tolist(), T(f"{want} (pipeline('fill-mask') on the same model)",
                                                            f"{want}（同一模型上 pipeline('fill-mask') 的结果）"),
          top_k_diagnosis(top_k_tokens, tokenizer))
    scores = logits[0].softmax(-1)[want]
    check(torch.allclose(scores, torch.tensor([d["score"] for d in filled]), atol=1e-6),
          "softmax(logits[0], dim=-1)[ids]", scores.tolist(), [d["score"] for d in filled],
          T("the pipeline's scores are the softmax of these logits over the vocabulary", "pipeline 的 score 就是这些 logits 在词表维上的 softmax"))


@pytest.mark.pretrained
def test_pretrained_fills_in_a_common_phrase(impl, masked_lm, tokenizer):
    """With the real bert-base-chinese, "科学[MASK][MASK]是第一生产力" gets 技 among the 5 best tokens of the
    first [MASK] and 术 among those of the second.

    https://github.com/Tongjilibo/bert4torch/issues/15: bert-base-chinese is expected to fill
    科学[MASK][MASK]是第一生产力 with 技术 (the reporter's two commas came from weights that failed to load).
    """
    mask_logits = observing(impl.mask_logits)
    sentence = "科学[MASK][MASK]是第一生产力"
    batch = tokenizer([sentence], return_tensors="pt")
    text = f"mask_logits(masked_lm, tokenizer, tokenizer([{sentence!r}], return_tensors='pt'))"
    logits = call_logits(text, mask_logits, masked_lm, tokenizer, batch)
    _, tokens = call_top_k(f"top_k_tokens(tokenizer, {text}, k=5)", observing(impl.top_k_tokens), tokenizer, logits, 5)
    for j, char in enumerate("技术"):
        check(char in tokens[j], f"top_k_tokens(...)[1][{j}]", tokens[j],
              T(f"{char!r} among them", f"其中有 {char!r}"), T("read the logits at each [MASK]'s own position",
                                                              "在每个 [MASK] 自己的位置上读 logits"))


# ---------------------------------------------------------------- calls and references


CALL = "mask_logits(masked_lm, tokenizer, tokenizer({}, padding=True, return_tensors='pt'))"


def tokens_of(tokenizer, sentences):
    """The padded batch, and each [MASK]'s (row, position) read from the Encodings' tokens."""
    batch = tokenizer(sentences, padding=True, return_tensors="pt")
    where = [(i, j) for i in range(len(sentences)) for j, t in enumerate(batch[i].tokens) if t == tokenizer.mask_token]
    return batch, where


def call(text, fn, *args, model=None, tokenizer=None):
    """The learner's function (``fn``, from :func:`observing`) called with ``args``: fails on an unexpected
    error and on any change to the caller's arguments, grad mode, the model's modes and flags, the
    tokenizer's settings."""
    rec = fn(text, *args, model=model, tokenizer=tokenizer)
    value = rec.result()
    rec.expect_inputs_unchanged()
    rec.expect_grad_mode_kept()
    if model is not None:
        rec.expect_modes_kept()
        rec.expect_flags_kept()
    rec.expect_tokenizer_kept()
    return value


def call_logits(text, mask_logits, masked_lm, tokenizer, batch):
    """The learner's ``mask_logits``, observed: the forward ran in eval mode with grad disabled, and the
    model, the tokenizer, grad mode and the batch are as they were."""
    rec = mask_logits(text, masked_lm, tokenizer, batch, model=masked_lm, tokenizer=tokenizer, grads=True)
    value = rec.result(mistakes=[("logits", BERT_MODEL)])
    rec.expect_inputs_unchanged()
    rec.expect_grad_mode_kept()
    rec.expect_forward_mode(False, DROPOUT)
    rec.expect_modes_kept()
    rec.expect_flags_kept()
    rec.expect_grads_kept()
    rec.expect_tokenizer_kept()
    for f in rec.forwards:
        check(not f.grad_enabled, text + say(": torch.is_grad_enabled() during the model's forward",
                                             "：模型 forward 期间的 torch.is_grad_enabled()"), True, False, NO_GRAD)
    return value


def call_top_k(text, fn, tokenizer, logits, k):
    value = call(text, fn, tokenizer, logits, k, tokenizer=tokenizer)
    check(isinstance(value, tuple) and len(value) == 2, text, summary(value) if not isinstance(value, tuple) else
          T(f"a tuple of {len(value)}", f"含 {len(value)} 项的 tuple"), T("a tuple (ids, tokens)", "一个 tuple (ids, tokens)"),
          T("return both: ids (a tensor [n_masks, k]) and tokens (a list of lists of str)",
            "两者都要返回：ids（形状为 [n_masks, k] 的张量）和 tokens（str 列表的列表）"))
    return value


def reference_logits(masked_lm, batch, where):
    """The model's own logits at each (row, position) of ``where`` (the tests' own forward, eval mode)."""
    with torch.no_grad():
        logits = masked_lm(**batch).logits
    return torch.stack([logits[i, j] for i, j in where])


def vocab_lines(source):
    """vocab.txt, line i being token i: the vocabulary as the model source ships it."""
    return (source.path / "vocab.txt").read_text(encoding="utf-8").split("\n")


LOGITS_SHOWN = T("logits [3, 21128] (fixed seed)", "logits [3, 21128]（固定种子）")
# ids given the largest logits in fixed_logits, best first per row: "##a" (8139) and [UNK] (100)
# among them, and rows whose best ids differ, so ranking over the wrong axis shows
WINNERS = [[2769, 8139, 100, 6230, 2533, 679], [1962, 2769, 8139, 4638, 511, 102], [100, 8024, 1962, 2769, 3221, 8139]]


def fixed_logits(tokenizer):
    """[3, vocab_size] logits: small noise, and WINNERS given 10, 9, 8, ... in order in each row; the
    rows are scaled differently (x1, x3, x0.5), as real logits of different [MASK] are."""
    logits = torch.randn(3, tokenizer.vocab_size, generator=torch.Generator().manual_seed(9))
    for row, ids in enumerate(WINNERS):
        for rank, i in enumerate(ids):
            logits[row, i] = 10.0 - rank
    return logits * torch.tensor([[1.0], [3.0], [0.5]])


def small_masked_lm(**config_fields):
    """A BertForMaskedLM of 1 layer, hidden 8 and bert-base-chinese's vocabulary, weights from a fixed seed."""
    from transformers import BertConfig, BertForMaskedLM

    config = BertConfig(vocab_size=21128, hidden_size=8, num_hidden_layers=1, num_attention_heads=2,
                        intermediate_size=16, max_position_embeddings=32, **config_fields)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(9)
        return BertForMaskedLM(config).eval()


# ---------------------------------------------------------------- checks and diagnoses


def expect_pairs(text, got, where, diagnose):
    """An int64 tensor [n_masks, 2] holding exactly ``where`` in order."""
    want = T(f"an int64 tensor [{len(where)}, 2]: {where}", f"一个形状为 [{len(where)}, 2] 的 int64 张量：{where}")
    if not isinstance(got, torch.Tensor):
        fail(text, summary(got), want, T("return the (row, position) pairs as one tensor, as nonzero() gives them",
                                         "把 (row, position) 对作为一个张量返回，就像 nonzero() 给出的那样"))
    if list(got.shape) != [len(where), 2] or got.dtype != torch.int64:
        fail(text, summary(got), want, diagnose())
    pairs = [tuple(p) for p in got.tolist()]
    check(pairs == where, text, pairs, want, diagnose())


def positions_diagnosis(mask_positions, tokenizer):
    """Name the mistake a wrong mask_positions makes on the MASKED batch."""
    batch, where = tokens_of(tokenizer, MASKED)
    rec = mask_positions("mask_positions(...)", tokenizer, batch["input_ids"].clone())
    got = rec.value
    if rec.error is not None or not isinstance(got, torch.Tensor):
        return WHERE_MASK
    if got.dim() == 1 and got.tolist() == [j for _, j in where]:
        return T("you kept the positions and lost the rows: with several sentences a position means nothing "
                 "without its row; return nonzero()'s [n_masks, 2]",
                 "你只留下了位置、丢了行号：有多个句子时，没有行号的位置毫无意义；返回 nonzero() 的 [n_masks, 2]")
    if got.dim() == 2 and got.shape[1] == 2:
        pairs = [tuple(p) for p in got.tolist()]
        if pairs == [(i, j - 1) for i, j in where]:
            return T("every position is one too small: position 0 is [CLS], so positions in input_ids count it; "
                     "do not skip it (tokenizer.tokenize() leaves it out)",
                     "每个位置都小了 1：位置 0 是 [CLS]，input_ids 中的位置要把它算进去；不要跳过它"
                     "（tokenizer.tokenize() 不含 [CLS]）")
        firsts = [next(p for p in where if p[0] == i) for i in sorted({i for i, _ in where})]
        if pairs == firsts:
            return T("you found one [MASK] per sentence (argmax or index() finds the first only): a sentence may "
                     "hold several, and every one needs its row of logits",
                     "你每个句子只找到了一个 [MASK]（argmax 或 index() 只找第一个）：一个句子可能有多个，"
                     "每一个都需要自己的一行 logits")
    return WHERE_MASK


def expect_logits(text, got, want, diagnose):
    """A float32 tensor of ``want``'s shape, values within ATOL, and no autograd graph."""
    if not isinstance(got, torch.Tensor):
        fail(text, summary(got), T(f"a float32 tensor {list(want.shape)}", f"一个形状为 {list(want.shape)} 的 float32 张量"),
             T("return the logits tensor itself", "返回 logits 张量本身"))
    if list(got.shape) != list(want.shape):
        fail(text, T(f"shape {list(got.shape)}", f"形状 {list(got.shape)}"),
             T(f"shape {list(want.shape)}: one row of vocab_size logits per [MASK]",
               f"形状 {list(want.shape)}：每个 [MASK] 一行、每行 vocab_size 个 logits"), diagnose())
    check(got.dtype == torch.float32, text, f"dtype {got.dtype}", "dtype torch.float32",
          T("return the model's float32 logits as they are", "原样返回模型的 float32 logits"))
    check(not got.requires_grad, f"{text}.requires_grad", True, False, NO_GRAD)
    diff = (got.double() - want.double()).abs()
    if not bool((diff <= ATOL).all()):
        j = int(diff.max(dim=1).values.argmax())
        fail(text, T(f"row {j} differs by up to {diff[j].max().item():.3g}",
                     f"下标为 {j} 的行（第 {j + 1} 个 [MASK]）最多相差 {diff[j].max().item():.3g}"),
             T(f"the model's logits at each [MASK], within {ATOL:g}", f"模型在每个 [MASK] 处的 logits，误差 {ATOL:g} 以内"),
             diagnose())


def logits_diagnosis(mask_logits, masked_lm, tokenizer, sentences):
    """Re-run mask_logits on ``sentences`` and name the mistake its result matches."""
    batch, where = tokens_of(tokenizer, sentences)
    rec = mask_logits("mask_logits(...)", masked_lm, tokenizer, batch)
    got = rec.value
    if rec.error is not None or not isinstance(got, torch.Tensor):
        return READ_AT_MASK
    with torch.no_grad():
        full = masked_lm(**batch).logits
        bare = masked_lm(input_ids=batch["input_ids"]).logits
    if list(got.shape) == list(full.shape):
        return T("you returned the logits of every position [batch, seq_len, vocab_size]: index them at the "
                 "[MASK] positions, logits[rows, positions]",
                 "你返回了所有位置的 logits [batch, seq_len, vocab_size]：要在 [MASK] 的位置上索引，logits[rows, positions]")
    if got.dim() == 2 and got.shape[0] == len(where):
        candidates = [
            ([full[i, j - 1] for i, j in where], T(
                "you read the logits one position too early: positions in input_ids count [CLS] at 0 (the "
                "tokens of tokenizer.tokenize() do not)",
                "你读 logits 的位置早了一位：input_ids 中的位置把 [CLS] 算作 0（tokenizer.tokenize() 的 token 不算）")),
            ([full[i, j + 1] for i, j in where], T("you read the logits one position too late: read them at the "
                                                   "[MASK]'s own position",
                                                   "你读 logits 的位置晚了一位：应在 [MASK] 自己的位置上读")),
            ([bare[i, j] for i, j in where], T(
                "the attention_mask was left out (model(input_ids) instead of model(**batch)), so the padded "
                "sentence's [MASK] attended to [PAD]",
                "漏掉了 attention_mask（用了 model(input_ids) 而不是 model(**batch)），于是有填充的句子中，"
                "[MASK] 也关注了 [PAD]")),
            ([full[0, j] for i, j in where], T(
                "you read every [MASK] from row 0 (logits[0, positions]): each [MASK] is at its own (row, position); "
                "index with both, logits[rows, positions]",
                "你从第 0 行（下标 0）读了每个 [MASK]（logits[0, positions]）：每个 [MASK] 都有自己的 (row, position)；"
                "两个都要用来索引，logits[rows, positions]")),
            ([full[i, j].softmax(-1) for i, j in where], T(
                "you returned probabilities (softmax); the docstring asks for the logits themselves",
                "你返回的是概率（softmax）；docstring 要的是 logits 本身")),
        ]
        for rows, mistake in candidates:
            if torch.allclose(got.double(), torch.stack(rows).double(), atol=ATOL):
                return mistake
    firsts = [next(p for p in where if p[0] == i) for i in sorted({i for i, _ in where})]
    if got.dim() == 2 and got.shape[0] == len(firsts) and torch.allclose(
            got.double(), torch.stack([full[i, j] for i, j in firsts]).double(), atol=ATOL):
        return T("you took one [MASK] per sentence: a sentence may hold several (here 3 and 1), each gets its row",
                 "你每个句子只取了一个 [MASK]：一个句子可能有多个（这里分别是 3 个和 1 个），每个都要有自己的一行")
    return READ_AT_MASK


def expect_top_k(text, got, logits, k, vocab, diagnose):
    """(ids [n_masks, k] int64, best first; tokens: those lines of vocab.txt), against a plain sort."""
    ids, tokens = got
    order = [sorted(range(logits.shape[1]), key=lambda i, row=row: -row[i])[:k] for row in logits.tolist()]
    want = T(f"ids, an int64 tensor {[len(order), k]}: {order if len(order) * k <= 18 else '...'}",
             f"ids：形状为 {[len(order), k]} 的 int64 张量：{order if len(order) * k <= 18 else '……'}")
    if not isinstance(ids, torch.Tensor) or list(ids.shape) != [len(order), k] or ids.dtype != torch.int64:
        fail(f"{text}[0]", summary(ids), want, diagnose())
    check(ids.tolist() == order, f"{text}[0]", ids.tolist() if ids.numel() <= 18 else summary(ids), want, diagnose())
    names = [[vocab[i] for i in row] for row in order]
    if not (isinstance(tokens, list) and all(isinstance(r, list) for r in tokens)):
        fail(f"{text}[1]", summary(tokens), T(f"a list of lists of str: {names}", f"str 列表的列表：{names}"),
             tokens_diagnosis(tokens))
    check(tokens == names, f"{text}[1]", tokens, T(f"{names} (the lines of vocab.txt)", f"{names}（vocab.txt 中的对应行）"),
          tokens_diagnosis(tokens))


def tokens_diagnosis(tokens):
    if isinstance(tokens, str) or (isinstance(tokens, list) and tokens and all(isinstance(t, str) for t in tokens)):
        return T("tokenizer.decode joins ids into one string (spaces between Chinese characters, '##' pieces "
                 "glued to the previous token): use tokenizer.convert_ids_to_tokens on each row",
                 "tokenizer.decode 会把 id 拼成一个字符串（汉字之间加空格，'##' 片段粘到前一个 token 上）："
                 "对每一行用 tokenizer.convert_ids_to_tokens")
    return T("turn each row of ids into its tokens with tokenizer.convert_ids_to_tokens",
             "用 tokenizer.convert_ids_to_tokens 把每一行 id 转成 token")


def top_k_diagnosis(top_k_tokens, tokenizer):
    """Re-run top_k_tokens on fixed_logits and name the ranking mistake its ids match."""
    logits = fixed_logits(tokenizer)
    rec = top_k_tokens("top_k_tokens(...)", tokenizer, logits.clone(), 3)
    got = rec.value[0] if rec.error is None and isinstance(rec.value, tuple) and len(rec.value) == 2 else None
    if not isinstance(got, torch.Tensor):
        return RANK
    if list(got.shape) == [3, logits.shape[1]] or list(got.shape) == [3, 3] and got.tolist() == \
            logits.topk(3, dim=0).indices.T.tolist():
        return T("you ranked along dim 0, across the [MASK]s: rank each [MASK]'s scores over the vocabulary, the "
                 "last axis (topk(k, dim=-1))",
                 "你在 dim 0 上、跨多个 [MASK] 排了序：应对每个 [MASK] 的分数在词表维（最后一个轴）上排序（topk(k, dim=-1)）")
    if list(got.shape) == [3, 3]:
        if got.tolist() == logits.softmax(dim=0).topk(3, dim=-1).indices.tolist():
            return T("softmax(dim=0) normalised across the [MASK]s and changed the order: softmax over the vocabulary "
                     "(dim=-1) keeps the order of the logits, so it is not needed for ranking",
                     "softmax(dim=0) 跨多个 [MASK] 做了归一化，打乱了顺序：在词表维（dim=-1）上做 softmax 不改变 logits 的"
                     "顺序，所以排序根本不需要它")
        if got.tolist() == (-logits).topk(3, dim=-1).indices.tolist():
            return T("you took the k smallest logits (argsort is ascending): the best tokens have the largest, "
                     "topk(k) or argsort(descending=True)",
                     "你取的是最小的 k 个 logits（argsort 默认升序）：最好的 token 分数最大，用 topk(k) 或 "
                     "argsort(descending=True)")
    if list(got.shape) in ([3], [3, 1]):
        return T("argmax gives the best token only: k tokens need topk(k, dim=-1)",
                 "argmax 只给出最好的一个 token：要 k 个 token 得用 topk(k, dim=-1)")
    return RANK


def tied_diagnosis(got):
    if got is not True and got is not False:
        return T("return a bool: `a is b` is one", "返回一个 bool：`a is b` 就是")
    return T("BertForMaskedLM's decoder weight is its word_embeddings weight, the same tensor: compare them with `is`",
             "BertForMaskedLM 的解码层权重就是它的 word_embeddings 权重，是同一个张量：用 `is` 比较")


def untied_diagnosis(got):
    if got is True:
        return T("equal values, equal shapes or config.tie_word_embeddings do not make weights tied: a copy can "
                 "equal the embeddings and still train apart; check that they are the same tensor, with `is`",
                 "值相等、形状相等或 config.tie_word_embeddings 为 True，都不代表权重绑定：副本可以与嵌入相等，训练时却各走"
                 "各的；要检查它们是不是同一个张量，用 `is`")
    return tied_diagnosis(got)


NOT_CHINESE = T("the model source's tokenizer is not bert-base-chinese's", "模型来源的分词器不是 bert-base-chinese 的")
WHERE_MASK = T("the [MASK] positions are where input_ids == tokenizer.mask_token_id, as (row, position) pairs: "
               "(input_ids == tokenizer.mask_token_id).nonzero()",
               "[MASK] 的位置就是 input_ids == tokenizer.mask_token_id 的地方，以 (row, position) 对表示："
               "(input_ids == tokenizer.mask_token_id).nonzero()")
READ_AT_MASK = T("run model(**batch) and read out.logits at each [MASK]'s (row, position)",
                 "运行 model(**batch)，在每个 [MASK] 的 (row, position) 处读取 out.logits")
RANK = T("rank each row over the vocabulary: logits.topk(k, dim=-1).indices, best first",
         "对每一行在词表维上排序：logits.topk(k, dim=-1).indices，最好的在前")
DROPOUT = T("the forward ran in train mode, so dropout changed the logits: call model.eval() first, and put the "
            "caller's mode back with model.train(was_training) afterwards",
            "前向计算在 train 模式下运行，dropout 改变了 logits：先调用 model.eval()，结束后用 "
            "model.train(was_training) 恢复调用者的模式")
NO_GRAD = T("the forward built an autograd graph: run it inside `with torch.no_grad():`; prediction needs no "
            "gradient",
            "前向计算建立了计算图：把它放进 `with torch.no_grad():` 里运行；预测不需要梯度")
BERT_MODEL = T("BertModel has no masked-LM head and its output has no logits: check the model "
               "(model.get_output_embeddings() is None) and raise TypeError naming BertForMaskedLM",
               "BertModel 没有掩码语言模型头，它的输出也没有 logits：先检查模型（model.get_output_embeddings() 为 None），"
               "并抛出提到 BertForMaskedLM 的 TypeError")
