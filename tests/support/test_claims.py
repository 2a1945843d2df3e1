"""What the kata tells learners about the libraries, checked against the libraries installed.

Each test backs one sentence a learner reads (catalog hints, README), so a new release of
transformers or torch that changes the behaviour fails here instead of misleading a learner.
"""

import pytest
import torch
from transformers import BertTokenizer, BertTokenizerFast

SEED = ["我觉得不行", "我觉得其实还可以"]


def test_model_of_the_input_ids_alone_drops_the_mask_and_model_of_the_batch_fails(model, tokenizer):
    """catalog 03: model(batch["input_ids"]) silently drops the attention_mask; model(batch) fails."""
    batch = tokenizer(SEED, padding=True, return_tensors="pt")
    with torch.no_grad():
        whole = model(**batch).last_hidden_state
        ids_only = model(batch["input_ids"]).last_hidden_state
        with pytest.raises(Exception):
            model(batch)
    short = int(batch["attention_mask"][0].sum())  # the padded row: its real tokens now see [PAD]
    assert not torch.allclose(whole[0, :short], ids_only[0, :short], atol=1e-5)
    assert torch.allclose(whole[1], ids_only[1], atol=1e-5)  # the longest row has no padding to see


def test_zero_grad_lets_go_of_the_tensor_and_backward_adds_into_it(model, tokenizer):
    """catalog 05: the next backward() adds into weight.grad in place; zero_grad() (set_to_none=True since
    torch 2.0) leaves a tensor already held untouched, zero_grad(set_to_none=False) zeroes it in place."""
    batch = tokenizer(SEED[:1], return_tensors="pt")
    weight = model.embeddings.word_embeddings.weight
    model.zero_grad()
    model(**batch).last_hidden_state.pow(2).mean().backward()
    held = weight.grad
    first = held.clone()
    model(**batch).last_hidden_state.pow(2).mean().backward()
    assert weight.grad is held and torch.allclose(held, 2 * first)  # added into the same tensor
    model.zero_grad()
    assert weight.grad is None and torch.allclose(held, 2 * first)  # let go of, not changed
    weight.grad = held
    model.zero_grad(set_to_none=False)
    assert weight.grad is held and not held.any()


def test_padding_max_length_pads_to_model_max_length_unless_max_length_is_given(tokenizer):
    """catalog 01: padding="max_length" pads to 512 only when no max_length is given."""
    assert tokenizer(SEED, padding="max_length", return_tensors="pt")["input_ids"].shape == (2, 512)
    assert tokenizer(SEED, padding="max_length", max_length=16, return_tensors="pt")["input_ids"].shape == (2, 16)


def test_bert_tokenizer_ignores_vocab_file_given_by_keyword(source):
    """README: BertTokenizer(vocab_file=...) builds a 5-token vocabulary (BertTokenizerFast is the same class);
    the path given positionally works."""
    assert BertTokenizerFast is BertTokenizer
    vocab = str(source.path / "vocab.txt")
    assert len(BertTokenizer(vocab_file=vocab)) == 5
    assert len(BertTokenizer(vocab)) == 21128
