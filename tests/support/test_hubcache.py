"""The machine exercise 06's tests run the learner's code on (:mod:`bertkata.hubcache`), and the two
:func:`bertkata.calls.observe` options it rests on: ``within`` (a context the call runs in) and ``facts``
(plain data about the value, taken where the call ran)."""

import os
import socket
from functools import partial

import pytest

from bertkata import hubcache, sandbox
from bertkata.calls import observe


def test_the_cache_holds_the_model_under_both_hub_ids(source):
    from transformers import AutoTokenizer

    with hubcache.unplugged(str(source.path)) as notes:
        for repo in hubcache.REPOS:
            tok = AutoTokenizer.from_pretrained(repo, local_files_only=True)
            assert len(tok) == 21128 and tok.is_fast
    assert notes == {"network": [], "environment": []}


def test_a_connection_is_noted_and_refused():
    with hubcache.unplugged(None) as notes:
        with pytest.raises(hubcache.NetworkBlocked):
            socket.getaddrinfo("huggingface.co", 443)
        with pytest.raises(hubcache.NetworkBlocked):
            socket.socket().connect(("127.0.0.1", 9))
    assert notes["network"] == ["huggingface.co", "127.0.0.1"]


def test_everything_is_put_back(monkeypatch):
    from huggingface_hub import constants

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.delenv("HF_ENDPOINT", raising=False)
    before = (constants.HF_HUB_CACHE, constants.HF_HUB_OFFLINE, socket.getaddrinfo, socket.socket.connect)
    with hubcache.unplugged(None) as notes:
        folder = constants.HF_HUB_CACHE
        assert "HF_HUB_OFFLINE" not in os.environ and constants.HF_HUB_OFFLINE is False
        os.environ["HF_ENDPOINT"] = "https://hf-mirror.com"
    assert notes["environment"] == [["HF_ENDPOINT", None, "https://hf-mirror.com"]]
    assert (constants.HF_HUB_CACHE, constants.HF_HUB_OFFLINE, socket.getaddrinfo, socket.socket.connect) == before
    assert os.environ["HF_HUB_OFFLINE"] == "1" and "HF_ENDPOINT" not in os.environ
    assert not os.path.exists(folder)


def test_observe_records_within_and_facts():
    def one(x):
        return [x]

    rec = observe("one(2)", one, 2, within=partial(hubcache.unplugged, None), facts=lambda v: {"len": len(v)})
    assert rec.value == [2] and rec.facts == {"network": [], "environment": [], "len": 1}
    assert observe("one(2)", one, 2).facts == {}


def test_facts_say_what_was_loaded(tokenizer, model):
    tok, mod = hubcache.loaded_facts(tokenizer), hubcache.loaded_facts(model)
    assert (tok["is_fast"], tok["len"], tok["cls_token_id"]) == (True, 21128, 101)
    assert tok["probe"][0] == [101, 2769, 6230, 2533, 679, 6121, 102]
    assert (mod["class"], mod["training"], mod["modules_training"]) == ("BertModel", False, 0)
    assert mod["config"]["num_hidden_layers"] == 12 and len(mod["fingerprint"]) == mod["parameters"]
    assert hubcache.loaded_facts("a str") == {}


def test_facts_that_are_not_a_mapping_are_refused():
    from bertkata import wire

    with pytest.raises(wire.WireError):
        sandbox._facts(wire.to_wire([1, 2]))
    assert sandbox._facts(wire.to_wire({"a": [1.5]})) == {"a": [1.5]}


# ---------------------------------------------------------------- what exercise 06 tells the learner


def test_what_transformers_does_with_bert_base_chinese_offline(source):
    """The library's behaviour the exercise's docstrings and hints state (transformers 5.x)."""
    import transformers
    from transformers import AutoTokenizer, BertModel, BertTokenizer, BertTokenizerFast

    folder = str(source.path)
    assert AutoTokenizer.from_pretrained(folder, use_fast=False).is_fast
    assert not transformers.BertTokenizerLegacy.from_pretrained(folder).is_fast
    assert BertTokenizerFast is BertTokenizer
    assert len(BertTokenizer(vocab_file=f"{folder}/vocab.txt")) == 5
    assert len(BertTokenizer.from_pretrained(folder)) == 21128
    with hubcache.unplugged(None) as notes:
        # files that are not there: a 5-token tokenizer from BertTokenizer, OSError from AutoTokenizer
        assert len(BertTokenizer.from_pretrained(hubcache.REPOS[0], local_files_only=True)) == 5
        with pytest.raises(OSError, match="We couldn't connect to 'https://huggingface.co'") as raised:
            AutoTokenizer.from_pretrained(hubcache.REPOS[0], local_files_only=True)
        assert "HF_ENDPOINT" not in str(raised.value)
        with pytest.raises(OSError):
            BertModel.from_pretrained(hubcache.REPOS[0], local_files_only=True)
    assert notes["network"] == []
    with hubcache.unplugged(folder) as notes:
        model = BertModel.from_pretrained(hubcache.REPOS[0], local_files_only=True)
        assert not model.training and not any(m.training for m in model.modules())
    assert notes["network"] == []
