"""The shared model and tokenizer cannot leak state from one test into the next.

The first test does everything a careless test or learner could do; the second
(run right after it, in file order) finds the model and tokenizer pristine.
"""

import pytest
import torch

from bertkata import plugin

# Run in file order in one process, also when the suite runs on several workers.
pytestmark = pytest.mark.xdist_group("isolation")


def test_a_test_that_messes_everything_up(model, tokenizer):
    model.train()
    model.embeddings.requires_grad_(False)
    model(input_ids=torch.tensor([[101, 2769, 102]])).last_hidden_state.sum().backward()
    with torch.no_grad():
        model.encoder.layer[0].attention.self.query.weight.mul_(0)
    torch.set_grad_enabled(False)
    tokenizer.padding_side = "left"
    tokenizer.model_max_length = 8


def test_the_next_test_gets_them_pristine(model, tokenizer):
    assert torch.is_grad_enabled()
    assert not model.training
    assert all(p.requires_grad for p in model.parameters())
    assert all(p.grad is None for p in model.parameters())
    assert model.encoder.layer[0].attention.self.query.weight.abs().sum() > 0
    assert plugin._fingerprint(model) == plugin._CACHE["fingerprint"]
    assert tokenizer.padding_side == "right" and tokenizer.model_max_length == 512


def test_a_test_that_writes_through_data(model):
    """Writes through .data bypass the version counter; the guard still sees them."""
    model.pooler.dense.weight.data.mul_(3)


def test_the_next_test_gets_the_weights_back(model):
    assert plugin._fingerprint(model) == plugin._CACHE["fingerprint"]
    import torch
    from safetensors import safe_open

    from bertkata.source import resolve

    with safe_open(str(resolve().path / "model.safetensors"), "pt") as f:
        if "pooler.dense.weight" in f.keys():
            assert torch.equal(model.pooler.dense.weight, f.get_tensor("pooler.dense.weight"))
