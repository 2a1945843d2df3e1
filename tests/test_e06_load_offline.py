"""Exercise 06, load it offline: checked against the kata's own model source, on a machine with no network.

Every call of the learner's code goes through :func:`load` (after the tests), which takes the
learner's function wrapped by :func:`bertkata.calls.observing`: it runs inside
:func:`bertkata.hubcache.unplugged`, where the Hugging Face cache is a fresh folder laid out as the
hub's (holding the kata's model files, or nothing), offline mode is off, as on a learner's machine
without ``HF_HUB_OFFLINE``, and every connection fails and is noted. What was loaded is described
where the call ran by :func:`bertkata.hubcache.loaded_facts` (a tokenizer or a model does not cross
the grading sandbox; what is true of it does), and compared with the same facts of the kata's own
tokenizer and model, loaded from the same files. The folder tests come first: they are the cheapest.
"""

import json
from functools import partial
from pathlib import Path

import pytest
from hypothesis import given

from bertkata import hubcache
from bertkata.calls import observing
from bertkata.feedback import check, fail, summary
from bertkata.i18n import T, say
from bertkata.strategies import per_model_run, sentence_batches

HUB_IDS = ("google-bert/bert-base-chinese", "bert-base-chinese")
VOCAB = 21128  # bert-base-chinese's vocab.txt has 21128 lines
CLS_ID, PAD_ID = 101, 0
# config.json keys that make the architecture (the replica's and the hub's are the same)
ARCHITECTURE = ("model_type", "vocab_size", "hidden_size", "num_hidden_layers", "num_attention_heads",
                "intermediate_size", "max_position_embeddings", "type_vocab_size", "layer_norm_eps", "pad_token_id")
FIXES = ("HF_ENDPOINT", "bert-kata model download")


# ---------------------------------------------------------------- from a folder


def test_tokenizer_from_a_folder(impl, source, tokenizer):
    """The model's folder gives bert-base-chinese's tokenizer: tokenizers-backed, all 21128 entries,
    encoding as the kata's tokenizer does; no connection, no environment variable changed.

    C22, https://github.com/huggingface/transformers/pull/42477: in 5.x ``BertTokenizer(vocab_file=...)``
    builds a 5-token vocabulary. C06, https://github.com/huggingface/transformers/issues/17809: only
    ``BertTokenizerLegacy`` is pure Python (``is_fast`` False) in 5.x.
    """
    rec = load(observing(impl.load_tokenizer), str(source.path), source, where=FOLDER)
    expect_tokenizer(rec, tokenizer)


def test_model_from_a_folder(impl, source, model):
    """The model's folder gives a BertModel in eval mode with the folder's config and the folder's
    weights, float32; no connection, no environment variable changed.

    https://github.com/huggingface/transformers/issues/954: ``BertForMaskedLM(BertConfig.from_pretrained(...))``
    and ``from_pretrained`` give different results (the first has random weights). C12,
    https://github.com/huggingface/transformers/issues/9039: ``model.training`` is False right after
    ``from_pretrained``.
    """
    rec = load(observing(impl.load_model), str(source.path), source, where=FOLDER)
    expect_model(rec, model, source)


def test_a_pathlib_path_is_a_folder_too(impl, source, tokenizer):
    """A ``pathlib.Path`` names a folder as a str does."""
    rec = load(observing(impl.load_tokenizer), Path(source.path), source, where=FOLDER)
    expect_tokenizer(rec, tokenizer, mistake=T(
        "from_pretrained takes a pathlib.Path as it is; do not reject it, and do not turn it into a hub id",
        "from_pretrained 直接接受 pathlib.Path；不要拒绝它，也不要把它当成 hub id"))


# ---------------------------------------------------------------- from the Hugging Face cache


@pytest.mark.parametrize("hub_id", HUB_IDS)
def test_tokenizer_by_hub_id_from_the_cache(impl, source, tokenizer, hub_id):
    """A hub id is found in the Hugging Face cache (``models--google-bert--bert-base-chinese/snapshots/
    <commit>/``) with no network; asking huggingface.co first is the mistake.

    https://github.com/caoyunkang/Segment-Any-Anomaly/issues/29: ``OSError: We couldn't connect to
    'https://huggingface.co' to load this file``, the wall learners behind a firewall hit.
    https://github.com/MILVLG/prophet/issues/46: ``TRANSFORMERS_OFFLINE=1`` set inside ``main.py`` did not
    help; the maintainer: offline mode is set through ``os.environ`` before ``import transformers``.
    """
    rec = load(observing(impl.load_tokenizer), hub_id, source, where=CACHE)
    expect_tokenizer(rec, tokenizer)


@pytest.mark.parametrize("hub_id", HUB_IDS[:1])
def test_model_by_hub_id_from_the_cache(impl, source, model, hub_id):
    """A hub id gives the cached model's weights with no network. Without ``local_files_only``,
    ``BertModel.from_pretrained`` first asks huggingface.co (several requests) and, when they fail, falls
    back on the cache: the result is right, the network was touched."""
    rec = load(observing(impl.load_model), hub_id, source, where=CACHE)
    expect_model(rec, model, source)


# ---------------------------------------------------------------- not there


@pytest.mark.parametrize("name", ["load_tokenizer", "load_model"])
def test_not_in_the_cache_names_the_fixes(impl, source, name):
    """With an empty cache and no network, loading by hub id raises OSError naming the model and the
    fixes: a mirror (``HF_ENDPOINT=https://hf-mirror.com``) or ``bert-kata model download``, or a folder.

    https://github.com/caoyunkang/Segment-Any-Anomaly/issues/29 (``HF_ENDPOINT`` to hf-mirror.com is the
    answer that worked there); the library's own message says only "check your internet connection".
    """
    rec = load(observing(getattr(impl, name)), HUB_IDS[0], None, where=EMPTY)
    expect_fixes(rec, HUB_IDS[0])


def test_a_missing_folder_names_the_fixes(impl, source, tmp_path):
    """A folder that does not exist raises OSError naming it and the fixes (transformers alone
    takes the path for a hub id and says so)."""
    missing = str(tmp_path / "bert-base-chinese")
    rec = load(observing(impl.load_tokenizer), missing, None, where=EMPTY)
    expect_fixes(rec, missing)


@pytest.mark.parametrize("bad", [None, 21128, b"bert-base-chinese", ["bert-base-chinese"]], ids=repr)
def test_not_a_name_is_a_type_error(impl, bad):
    """A name that is not a str or a path is a TypeError that says what to pass."""
    rec = load(observing(impl.load_tokenizer), bad, None, where=EMPTY, facts=False)
    rec.expect_error(TypeError, "TypeError('name_or_path must be a str or a pathlib.Path')",
                     mistake=T("check the argument first: isinstance(name_or_path, (str, os.PathLike)), else raise "
                               "TypeError saying a folder or a hub id is expected",
                               "先检查参数：isinstance(name_or_path, (str, os.PathLike))，否则抛出 TypeError，"
                               "说明需要一个文件夹或 hub id"))


@pytest.mark.parametrize("empty", ["", "   "], ids=repr)
def test_an_empty_name_is_a_value_error(impl, empty):
    """An empty (or blank) name is a ValueError: it is neither a folder nor a hub id."""
    rec = load(observing(impl.load_tokenizer), empty, None, where=EMPTY, facts=False)
    rec.expect_error(ValueError, "ValueError('name_or_path is empty')",
                     mistake=T("an empty name is neither a folder nor a hub id: check name_or_path.strip() and raise "
                               "ValueError", "空名字既不是文件夹也不是 hub id：检查 name_or_path.strip()，"
                               "为空时抛出 ValueError"))


# ---------------------------------------------------------------- properties


@per_model_run(6)
@given(sentences=sentence_batches(max_size=4))
def test_a_loaded_tokenizer_encodes_any_batch_as_the_kata_does(impl, source, tokenizer, sentences):
    """Whatever the sentences (Chinese, Latin, digits, emoji, blanks), the tokenizer loaded from the
    folder gives the input_ids of the kata's own tokenizer."""
    rec = load(observing(impl.load_tokenizer), str(source.path), source, where=FOLDER,
               facts=partial(hubcache.loaded_facts, probe=list(sentences)))
    got = rec.result()
    expect_offline(rec)
    want = tokenizer(list(sentences))["input_ids"]
    check(rec.facts.get("probe") == want, rec.call + say(f"; then tokenizer({sentences!r})['input_ids']",
                                                         f"；然后 tokenizer({sentences!r})['input_ids']"),
          summary(rec.facts.get("probe")), summary(want), tokenizer_mistake(rec.facts, got))


# ---------------------------------------------------------------- diagnosis


FOLDER = T("[no network, the model's folder]", "[没有网络，模型所在的文件夹]")
CACHE = T("[no network, the model in the Hugging Face cache]", "[没有网络，模型在 Hugging Face 缓存中]")
EMPTY = T("[no network, an empty Hugging Face cache]", "[没有网络，Hugging Face 缓存为空]")
LOCAL_FILES_ONLY = T(
    "from_pretrained asked huggingface.co before looking in the cache: pass local_files_only=True, which reads "
    "the folder or the cache and asks no one (behind a firewall, without the files, the request ends in "
    "\"We couldn't connect to 'https://huggingface.co'\")",
    "from_pretrained 先去访问了 huggingface.co，然后才查缓存：传入 local_files_only=True，它只读文件夹或缓存，"
    "不访问网络（在防火墙后，如果本地没有文件，这个请求会以 \"We couldn't connect to 'https://huggingface.co'\" 告终）")
TOO_LATE = T(
    "setting os.environ['HF_HUB_OFFLINE'] inside the program is too late: huggingface_hub reads it once, when "
    "it is imported, so the request went out anyway, and the variable stays changed for the caller; give "
    "from_pretrained local_files_only=True instead",
    "在程序里设置 os.environ['HF_HUB_OFFLINE'] 为时已晚：huggingface_hub 只在被导入时读取一次，所以请求照样发了出去，"
    "而且这个变量对调用者来说也被改掉了；应当给 from_pretrained 传 local_files_only=True")


def load(fn, name, source, where, facts=True):
    """``fn(name)``, ``fn`` a learner's function wrapped by :func:`bertkata.calls.observing`, observed in
    :func:`bertkata.hubcache.unplugged` with a cache holding ``source``'s files (None: an empty one);
    ``facts``: describe what came back."""
    within = partial(hubcache.unplugged, str(source.path) if source is not None else None)
    return fn(f"{where} {fn.__name__}({name!r})", name, within=within,
              facts=None if facts is False else (hubcache.loaded_facts if facts is True else facts))


def expect_offline(rec):
    """No connection was attempted, and no HF_* variable changed."""
    env = [tuple(e) for e in rec.facts.get("environment") or []]
    network = rec.facts.get("network") or []
    blocked = rec.error is not None and type(rec.error).__name__ == "NetworkBlocked"
    if network or blocked:
        hosts = sorted(set(network)) or ["huggingface.co"]
        fail(rec.call, T(f"tried to connect to {', '.join(hosts)}", f"试图连接 {', '.join(hosts)}"),
             T("no connection: the files are here", "不联网：文件就在本地"),
             TOO_LATE if any(k == "HF_HUB_OFFLINE" for k, _, _ in env) else LOCAL_FILES_ONLY)
    if env:
        fail(rec.call + THEN_ENV, T("; ".join(f"{k} was {a!r}, is {b!r}" for k, a, b in env),
                                    "；".join(f"{k} 原为 {a!r}，现为 {b!r}" for k, a, b in env)),
             T("the environment as it was", "环境变量保持原样"),
             TOO_LATE if any(k == "HF_HUB_OFFLINE" for k, _, _ in env) else T(
                 "leave os.environ alone: the caller's environment is not this function's to change; "
                 "pass options to from_pretrained (local_files_only=True)",
                 "不要改 os.environ：调用者的环境变量不归这个函数管；把选项传给 from_pretrained（local_files_only=True）"))


THEN_ENV = T("; then os.environ", "；然后 os.environ")


def expect_tokenizer(rec, tokenizer, mistake=None):
    """What came back is bert-base-chinese's tokenizer, tokenizers-backed, as the kata's is."""
    expect_offline(rec)
    got = rec.result(default=mistake)
    want = hubcache.loaded_facts(tokenizer)
    facts = rec.facts
    check(facts.get("kind") == "tokenizer", rec.call, summary(got),
          T("a tokenizer (what AutoTokenizer.from_pretrained returns)", "一个分词器（AutoTokenizer.from_pretrained 的返回值）"),
          T("return the tokenizer itself, not its vocabulary, a path or a tuple",
            "返回分词器本身，不是词表、路径或元组"))
    check(facts["is_fast"] is True, rec.call + say("; then .is_fast", "；然后 .is_fast"), facts["is_fast"], True,
          T(f"{facts['class']} is the pure-Python tokenizer: it keeps no tokenizers.Encoding, so batch[i], "
            "offsets and word_ids are gone; load with AutoTokenizer.from_pretrained (in transformers 5.x it is "
            "tokenizers-backed, even with use_fast=False)",
            f"{facts['class']} 是纯 Python 分词器：它不保留 tokenizers.Encoding，batch[i]、offsets 和 word_ids 都没有了；"
            "用 AutoTokenizer.from_pretrained 加载（在 transformers 5.x 中，即使 use_fast=False 它也基于 tokenizers）"))
    check(facts["len"] == want["len"] == VOCAB, rec.call + say("; then len(tokenizer)", "；然后 len(tokenizer)"),
          facts["len"], want["len"], tokenizer_mistake(facts, got))
    check(facts["probe"] == want["probe"], rec.call + say(f"; then tokenizer({hubcache.PROBE!r})['input_ids']",
                                                          f"；然后 tokenizer({hubcache.PROBE!r})['input_ids']"),
          summary(facts["probe"]), summary(want["probe"]), tokenizer_mistake(facts, got))
    for key in ("cls_token_id", "pad_token_id", "model_max_length"):
        check(facts[key] == want[key], rec.call + f"; then .{key}", facts[key], want[key],
              tokenizer_mistake(facts, got))


def tokenizer_mistake(facts, got):
    if facts.get("len") == 5:
        return T("BertTokenizer(vocab_file=...) ignores vocab_file in transformers 5.x and builds a 5-token vocabulary "
                 "of the special tokens; load the folder with AutoTokenizer.from_pretrained",
                 "在 transformers 5.x 中，BertTokenizer(vocab_file=...) 会忽略 vocab_file，只用特殊 token 建一个 5 个 token "
                 "的词表；用 AutoTokenizer.from_pretrained 加载文件夹")
    return T("load the tokenizer with AutoTokenizer.from_pretrained(name_or_path, local_files_only=True), with no "
             "option that changes its settings (do_lower_case, model_max_length)",
             "用 AutoTokenizer.from_pretrained(name_or_path, local_files_only=True) 加载分词器，"
             "不要传改变其设置的选项（do_lower_case、model_max_length）")


def expect_model(rec, model, source):
    """What came back is a BertModel in eval mode, with the folder's config and weights."""
    expect_offline(rec)
    got = rec.result()
    facts = rec.facts
    check(facts.get("kind") == "model", rec.call, summary(got),
          T("a BertModel", "一个 BertModel"), T("return the model itself", "返回模型本身"))
    check(facts["class"] == "BertModel", rec.call + say("; then type(model).__name__", "；然后 type(model).__name__"),
          facts["class"], "BertModel",
          T(f"{facts['class']} is BERT with a head on top (its own new weights, another output); the exercise "
            "loads the encoder alone: BertModel.from_pretrained (or AutoModel)",
            f"{facts['class']} 是在 BERT 上加了一个头（有自己新的权重、另一种输出）；本练习只加载编码器："
            "BertModel.from_pretrained（或 AutoModel）"))
    training = facts["modules_training"]
    check(not facts["training"] and training == 0,
          rec.call + say("; then modules in train mode", "；然后处于 train 模式的模块"),
          say(f"{training} of {facts['modules']}", f"{facts['modules']} 个中有 {training} 个"),
          say(f"0 of {facts['modules']} (eval mode)", f"{facts['modules']} 个中有 0 个（eval 模式）"),
          T("from_pretrained returns the model in eval mode (dropout off); model.train() is for a fine-tuning loop, "
            "and switches dropout on for every forward",
            "from_pretrained 返回的模型处于 eval 模式（dropout 关闭）；model.train() 是给微调循环用的，"
            "它会让每次前向计算都启用 dropout"))
    published = json.loads((Path(source.path) / "config.json").read_text(encoding="utf-8"))
    config = facts["config"] or {}
    for key in ARCHITECTURE:
        check(config.get(key) == published.get(key), rec.call + f"; then model.config.{key}", config.get(key),
              published.get(key), T("load the config from the folder's config.json, as from_pretrained does; do not "
                                    "pass options that change it", "像 from_pretrained 那样从文件夹的 config.json "
                                    "读取配置；不要传会改变它的选项"))
    check(facts["dtypes"] == ["float32"], rec.call + say("; then the parameters' dtypes", "；然后参数的 dtype"),
          facts["dtypes"], ["float32"], T("load the weights as stored (float32); do not pass dtype=",
                                          "按存储的格式（float32）加载权重；不要传 dtype="))
    want = hubcache.loaded_facts(model)["fingerprint"]
    mine = facts["fingerprint"]
    check(sorted(mine) == sorted(want), rec.call + say("; then the parameters' names", "；然后参数名"),
          say(f"{len(mine)} parameters", f"{len(mine)} 个参数"), say(f"{len(want)} parameters", f"{len(want)} 个参数"),
          T("load BertModel with its pooler, as from_pretrained does by default",
            "像 from_pretrained 默认那样加载带 pooler 的 BertModel"))
    differ = [n for n in want if mine[n] != want[n]]
    check(not differ, rec.call + say("; then the weights", "；然后权重"),
          say(f"{len(differ)} of {len(want)} tensors differ from the folder's, e.g. {differ[:2]}",
              f"{len(want)} 个张量中有 {len(differ)} 个与文件夹中的不同，例如 {differ[:2]}"),
          T("the weights of model.safetensors", "model.safetensors 中的权重"),
          T("BertModel(config) builds the architecture with new random weights; BertModel.from_pretrained(name_or_path) "
            "reads the stored ones",
            "BertModel(config) 只搭出结构，权重是新随机初始化的；BertModel.from_pretrained(name_or_path) 才会读取保存的权重"))


RETURNED_NONE = T("it returned None: the error was caught and printed (or dropped); raise OSError so the caller's "
                  "notebook stops at the line that failed, saying what to do",
                  "它返回了 None：错误被捕获后打印（或丢掉）了；应抛出 OSError，让调用者的笔记本停在出错的那一行，并说明该怎么办")
SILENT_5 = T("in transformers 5.x BertTokenizer.from_pretrained (BertTokenizerFast is the same class) does not raise when "
             "the files are not there: it builds a 5-token tokenizer of the special tokens; AutoTokenizer.from_pretrained "
             "raises OSError",
             "在 transformers 5.x 中，文件不存在时 BertTokenizer.from_pretrained（BertTokenizerFast 是同一个类）并不报错，"
             "而是只用特殊 token 建出一个 5 个 token 的分词器；AutoTokenizer.from_pretrained 则会抛出 OSError")


def expect_fixes(rec, name):
    """An OSError whose message names ``name`` and the fixes."""
    expect_offline(rec)
    if rec.error is None:
        fail(rec.call, summary(rec.value), T("OSError naming the fixes", "OSError，消息中说明解决办法"),
             RETURNED_NONE if rec.value is None else SILENT_5 if rec.facts.get("len") == 5 else None)
    error = rec.expect_error(OSError, f"OSError(\"cannot load {name!r} offline ... HF_ENDPOINT=https://hf-mirror.com ... "
                                      "`bert-kata model download` ...\")")
    message = str(error)
    own = any(word in message for word in FIXES)  # the learner's own message, short of one thing
    for word in (*FIXES, name):
        check(word in message, rec.call, f"{type(error).__name__}({message[:300]!r})",
              T(f"OSError mentioning {word!r}", f"OSError，消息中提到 {word!r}"),
              T(f"your OSError leaves out {word!r}: name what was asked for ({name!r}) and every fix: a mirror, "
                "HF_ENDPOINT=https://hf-mirror.com set before Python starts; `bert-kata model download` where the hub "
                "can be reached; or a local folder",
                f"你的 OSError 消息缺少 {word!r}：要说明所请求的名字（{name!r}）和每一种解决办法：在 Python 启动前设置镜像 "
                "HF_ENDPOINT=https://hf-mirror.com；在能访问 hub 的地方运行 `bert-kata model download`；或者使用本地文件夹")
              if own else
              T("the library's message says only to check the connection; catch OSError and raise one that names "
                f"what was asked for ({name!r}) and the fixes: a mirror, HF_ENDPOINT=https://hf-mirror.com set "
                "before Python starts; `bert-kata model download` where the hub can be reached; or a local folder",
                "库自带的消息只让你检查网络连接；捕获 OSError，再抛出一个说明所请求的名字"
                f"（{name!r}）和解决办法的 OSError：在 Python 启动前设置镜像 HF_ENDPOINT=https://hf-mirror.com；"
                "在能访问 hub 的地方运行 `bert-kata model download`；或者使用本地文件夹"))
