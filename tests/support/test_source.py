"""The model source: resolution order, the replica's checks and rebuilds, the build lock.

None of these touch the network: the vocabulary comes from the already-built
replica (KATA_VOCAB), and pip is replaced where a failure is simulated.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bertkata import source as src

pytestmark = pytest.mark.timeout(300)


@pytest.fixture(scope="module")
def real_vocab() -> Path:
    """bert-base-chinese's vocab.txt from whichever source this machine resolves."""
    return src.resolve().path / "vocab.txt"


@pytest.fixture
def fresh_cache(tmp_path, monkeypatch, real_vocab):
    """An empty kata cache; the vocabulary is offered through KATA_VOCAB, so no pip runs."""
    monkeypatch.setenv("KATA_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("KATA_VOCAB", str(real_vocab))
    monkeypatch.delenv("KATA_MODEL", raising=False)
    return tmp_path / "cache"


def test_the_vocabulary_is_bert_base_chinese(real_vocab):
    lines = real_vocab.read_text(encoding="utf-8").rstrip("\n").split("\n")  # vocab holds U+2028-like chars
    assert len(lines) == src.VOCAB_LINES
    assert src._sha256(real_vocab) == src.VOCAB_SHA256
    assert lines[:1] == ["[PAD]"] and lines[100:103] == ["[UNK]", "[CLS]", "[SEP]"]


def test_replica_builds_then_every_kind_of_damage_is_rebuilt(fresh_cache, capfd):
    """Build once; a truncated model.safetensors, an edited vocab.txt and a missing file are each
    detected and rebuilt with a one-line message, never a traceback."""
    folder = src.ensure_replica()
    assert src.replica_problem(folder) is None
    assert "building the bert-base-chinese replica" in capfd.readouterr().err

    weights = folder / "model.safetensors"
    with open(weights, "r+b") as f:
        f.truncate(weights.stat().st_size // 2)
    assert "truncated" in src.replica_problem(folder)
    src.ensure_replica()
    err = capfd.readouterr().err
    assert "damaged (model.safetensors is truncated" in err and err.count("\n") == 1
    assert src.replica_problem(folder) is None

    vocab = folder / "vocab.txt"
    vocab.write_text(vocab.read_text(encoding="utf-8").replace("[UNK]", "[unk]"), encoding="utf-8")
    assert "vocab.txt" in src.replica_problem(folder)
    src.ensure_replica()
    assert "damaged (vocab.txt does not match" in capfd.readouterr().err

    (folder / "config.json").unlink()
    src.ensure_replica()
    assert "damaged (config.json is missing)" in capfd.readouterr().err
    assert src.replica_problem(folder) is None


def test_replica_matches_bert_base_chinese(source):
    """The replica's config is bert-base-chinese's (12 layers, 12 heads, 768, 3072, 21128, 512, 2 types)."""
    if source.kind != "replica":
        pytest.skip("the model in use is not the replica")
    config = json.loads((source.path / "config.json").read_text())
    for key, value in src.BERT_BASE_CHINESE_CONFIG.items():
        assert config[key] == value, key
    tok_config = json.loads((source.path / "tokenizer_config.json").read_text())
    assert tok_config["do_lower_case"] is False and tok_config["model_max_length"] == 512


def test_replica_weights_are_reproducible(source):
    """Weights come from a fixed seed: the same build gives the same numbers on every machine."""
    if source.kind != "replica":
        pytest.skip("the model in use is not the replica")
    import torch
    from safetensors import safe_open

    name = "bert.embeddings.word_embeddings.weight"  # the first tensor drawn
    with safe_open(str(source.path / "model.safetensors"), "pt") as f:
        row = f.get_slice(name)[101:102]
    mean, std = src._spread(name)
    gen = torch.Generator().manual_seed(src.REPLICA_SEED)
    first = torch.randn((21128, 768), generator=gen).mul_(std).add_(mean)
    assert torch.equal(row[0], first[101])


def test_replica_weights_look_trained(source):
    """LayerNorm weights near 1 but not 1 and different per channel, biases small but not 0, so a
    token vector of last_hidden_state does not sum to 0; the [PAD] row of the word embeddings is 0."""
    if source.kind != "replica":
        pytest.skip("the model in use is not the replica")
    from safetensors.torch import load_file

    weights = load_file(str(source.path / "model.safetensors"))
    norms = [t for n, t in weights.items() if n.endswith("LayerNorm.weight")]
    assert len(norms) == 2 * 12 + 2  # embeddings, two per layer, the masked-LM head's transform
    for t in norms:
        assert 0.8 < t.mean().item() < 1.0 and 0.05 < t.std().item() < 0.2
    for n, t in weights.items():
        if n.endswith("bias"):
            assert t.abs().mean().item() > 1e-3, n
    word = weights["bert.embeddings.word_embeddings.weight"]
    assert not word[0].any() and word[1:].std().item() > 0.03


def test_replica_checkpoint_has_the_keys_of_bert_base_chinese(source):
    """bert-base-chinese's checkpoint holds bert.* (the pooler too) and the pre-training heads: BertModel,
    BertForMaskedLM and BertForSequenceClassification find every weight they need (but the new
    classifier's); what each leaves unused is the other heads, as with the real checkpoint."""
    if source.kind != "replica":
        pytest.skip("the model in use is not the replica")
    from transformers import BertForMaskedLM, BertForSequenceClassification, BertModel

    assert json.loads((source.path / "config.json").read_text())["architectures"] == ["BertForMaskedLM"]
    heads = {"cls.predictions.bias", "cls.predictions.transform.dense.weight", "cls.predictions.transform.dense.bias",
             "cls.predictions.transform.LayerNorm.weight", "cls.predictions.transform.LayerNorm.bias",
             "cls.seq_relationship.weight", "cls.seq_relationship.bias"}
    pooler = {"bert.pooler.dense.weight", "bert.pooler.dense.bias"}
    for cls, kwargs, missing, unused in (
            (BertModel, {}, set(), heads),
            (BertForMaskedLM, {}, set(), pooler | {"cls.seq_relationship.weight", "cls.seq_relationship.bias"}),
            (BertForSequenceClassification, {"num_labels": 2}, {"classifier.weight", "classifier.bias"}, heads)):
        _, info = cls.from_pretrained(str(source.path), output_loading_info=True, **kwargs)
        assert set(info["missing_keys"]) == missing, cls.__name__
        assert set(info["unexpected_keys"]) == unused, cls.__name__
        assert not info["mismatched_keys"], cls.__name__


def test_load_masked_lm_ties_the_decoder_to_the_word_embeddings(source, tokenizer):
    """load_masked_lm: eval mode; the decoder weight is the word-embedding weight itself; logits
    [batch, seq_len, 21128]; the head's weights come from the checkpoint (cls.predictions.*)."""
    import torch
    from safetensors import safe_open

    mlm = src.load_masked_lm(source)
    assert not mlm.training
    assert mlm.cls.predictions.decoder.weight is mlm.bert.embeddings.word_embeddings.weight
    with safe_open(str(source.path / "model.safetensors"), "pt") as f:
        if "cls.predictions.bias" in f.keys():
            assert torch.equal(mlm.cls.predictions.bias, f.get_tensor("cls.predictions.bias"))
    with torch.no_grad():
        logits = mlm(**tokenizer(["我爱你"], return_tensors="pt")).logits
    assert logits.shape == (1, 5, 21128) and logits.dtype == torch.float32


def test_load_classifier_draws_the_same_head_every_time(source):
    """load_classifier: a seeded head, bit-identical on two calls, torch's global random state unchanged,
    num_labels rows; a num_labels that is not a positive int gets ValueError."""
    import torch

    state = torch.get_rng_state()
    first = src.load_classifier(source)
    assert torch.equal(torch.get_rng_state(), state)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(0)  # whatever the global state, the head is the same
        second = src.load_classifier(source)
    assert not first.training and first.classifier.weight.shape == (2, 768)
    assert torch.equal(first.classifier.weight, second.classifier.weight)
    assert torch.equal(first.classifier.bias, second.classifier.bias)
    assert 0.015 < first.classifier.weight.std().item() < 0.025  # N(0, initializer_range = 0.02)
    word = first.bert.embeddings.word_embeddings.weight
    assert torch.equal(word, src.load_model(source).embeddings.word_embeddings.weight)
    assert src.load_classifier(source, num_labels=3).classifier.weight.shape == (3, 768)
    for bad in (0, -1, 2.0, True):
        with pytest.raises(ValueError, match="num_labels must be a positive int"):
            src.load_classifier(source, num_labels=bad)


def test_two_processes_build_the_replica_once(fresh_cache, tmp_path):
    """Two processes started at once: one builds under the file lock, the other waits and reuses it."""
    code = "from bertkata.source import ensure_replica; print(ensure_replica())"
    env = {**os.environ}
    procs = [subprocess.Popen([sys.executable, "-c", code], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outs = [p.communicate(timeout=240) for p in procs]
    assert all(p.returncode == 0 for p in procs), outs
    assert sum("building the bert-base-chinese replica" in err for _, err in outs) == 1, outs
    assert outs[0][0] == outs[1][0]


def test_no_vocabulary_gives_the_fixes_not_a_traceback(fresh_cache, monkeypatch):
    """No registry and no vocab.txt: the error names KATA_MODEL and where to copy vocab.txt."""
    monkeypatch.delenv("KATA_VOCAB")

    def no_registry(cmd, **kwargs):
        return subprocess.CompletedProcess(cmd, 1, "", "ERROR: No matching distribution found for cn-clip==1.6.0")

    monkeypatch.setattr(src.subprocess, "run", no_registry)
    with pytest.raises(src.ModelSourceError) as err:
        src.ensure_replica()
    message = str(err.value)
    assert "KATA_MODEL=" in message and "vocab.txt" in message and "No matching distribution" in message
    assert not (fresh_cache / "bert-base-chinese-replica").exists()


def test_a_wrong_vocab_file_is_refused(fresh_cache, monkeypatch, tmp_path):
    fake = tmp_path / "vocab.txt"
    fake.write_text("[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\n", encoding="utf-8")
    monkeypatch.setenv("KATA_VOCAB", str(fake))
    with pytest.raises(src.ModelSourceError, match="sha256 differs"):
        src.ensure_replica()


def test_kata_model_comes_first(monkeypatch, source):
    monkeypatch.setenv("KATA_MODEL", str(source.path))
    resolved = src.resolve()
    assert resolved.kind == "KATA_MODEL" and resolved.path == source.path.resolve()
    assert resolved.pretrained == (source.kind != "replica")


def test_kata_model_that_is_nothing_says_what_to_do(monkeypatch, tmp_path):
    monkeypatch.setenv("KATA_MODEL", str(tmp_path / "nowhere"))
    with pytest.raises(src.ModelSourceError, match="neither a folder nor a model"):
        src.resolve()
    monkeypatch.setenv("KATA_MODEL", str(tmp_path))
    with pytest.raises(src.ModelSourceError, match="lacks config.json"):
        src.resolve()


def test_hf_cache_comes_before_the_replica(monkeypatch, tmp_path, source):
    """A bert-base-chinese snapshot in the local Hugging Face cache is used, as pretrained weights."""
    import huggingface_hub.constants as hf_constants

    snapshot = tmp_path / "hub" / "models--google-bert--bert-base-chinese" / "snapshots" / ("0" * 40)
    snapshot.mkdir(parents=True)
    for name in ("config.json", "vocab.txt", "model.safetensors"):
        (snapshot / name).symlink_to(source.path / name)
    refs = tmp_path / "hub" / "models--google-bert--bert-base-chinese" / "refs"
    refs.mkdir()
    (refs / "main").write_text("0" * 40)
    monkeypatch.setattr(hf_constants, "HF_HUB_CACHE", str(tmp_path / "hub"))
    monkeypatch.delenv("KATA_MODEL", raising=False)
    resolved = src.resolve()
    assert resolved.kind == "hf-cache" and resolved.pretrained and resolved.path == snapshot


def test_tokenizer_is_the_real_one(tokenizer):
    """Loaded through AutoTokenizer with tokenizer_class BertTokenizer, not BertTokenizerFast(vocab_file=...),
    which transformers 5.x answers with a 5-token vocabulary (https://github.com/huggingface/transformers/pull/42477)."""
    assert tokenizer.vocab_size == 21128 and tokenizer.is_fast
    assert tokenizer.model_max_length == 512
    assert tokenizer("我爱你")["input_ids"] == [101, 2769, 4263, 872, 102]


def test_model_shapes_and_parameter_counts(model):
    """bert-base-chinese's architecture: 102,267,648 parameters, 16,622,592 in the embeddings."""
    assert sum(p.numel() for p in model.parameters()) == 102_267_648
    assert sum(p.numel() for p in model.embeddings.parameters()) == 16_622_592
    assert not model.training
