"""The shared model and tokenizer, and torch's global state, cannot leak from one test into the next.

Tests come in pairs, run in file order: the first does what a careless test or a learner's code
could do; the second, right after it, finds everything as it was loaded.
"""

import os

import pytest
import torch

from bertkata import shared

# Run in file order in one process, also when the suite runs on several workers.
pytestmark = pytest.mark.xdist_group("isolation")

ROW_OF_WO = 2769  # 我


def pristine(model, tokenizer):
    """The model and tokenizer as loaded, and torch's defaults."""
    assert torch.is_grad_enabled()
    assert torch.get_default_dtype() == torch.float32
    assert not torch.are_deterministic_algorithms_enabled()
    assert not model.training and not any(m.training for m in model.modules())
    assert all(p.requires_grad for p in model.parameters())
    assert all(p.grad is None for p in model.parameters())
    for name, t in [*model.named_parameters(), *model.named_buffers()]:
        assert torch.equal(t, shared._STATE["weights"][name]), f"{name} differs from the weights as loaded"
    assert all(not getattr(m, h) for m in model.modules() for h in ("_forward_hooks", "_forward_pre_hooks"))
    assert "forward" not in vars(model)
    assert model.config.return_dict is True and model.config.output_hidden_states is False
    assert all(m.eps == 1e-12 for m in model.modules() if isinstance(m, torch.nn.LayerNorm))
    assert len(tokenizer) == 21128 and tokenizer.pad_token == "[PAD]" and tokenizer.pad_token_id == 0
    assert tokenizer.padding_side == "right" and tokenizer.model_max_length == 512
    out = model(**tokenizer(["我觉得不行"], return_tensors="pt"))
    assert out.last_hidden_state.shape == (1, 7, 768)


def test_a_test_that_messes_up_modes_flags_grads_and_settings(model, tokenizer):
    model.train()
    model.embeddings.requires_grad_(False)
    model(input_ids=torch.tensor([[101, 2769, 102]])).last_hidden_state.sum().backward()
    with torch.no_grad():
        model.encoder.layer[0].attention.self.query.weight.mul_(0)
    torch.set_grad_enabled(False)
    tokenizer.padding_side = "left"
    tokenizer.model_max_length = 8


def test_then_modes_flags_grads_and_settings_are_back(model, tokenizer):
    pristine(model, tokenizer)


def test_a_test_that_writes_through_data_where_no_sample_looks(model):
    """Writes through .data bypass the version counter; one row of 21128 is all that changes."""
    model.embeddings.word_embeddings.weight.data[ROW_OF_WO] -= 0.5
    model.pooler.dense.weight.data.mul_(3)


def test_then_every_element_of_the_weights_is_back(model, tokenizer):
    pristine(model, tokenizer)


def test_a_test_that_adds_hooks(model):
    model.register_forward_hook(lambda module, args, output: None)
    model.encoder.layer[3].register_forward_pre_hook(lambda module, args: None)
    torch.nn.modules.module.register_module_forward_hook(lambda module, args, output: None)


def test_then_no_hook_is_left(model, tokenizer):
    from torch.nn.modules import module as nn_module

    assert not nn_module._global_forward_hooks
    pristine(model, tokenizer)


def test_a_test_that_edits_the_position_ids_buffer(model):
    model.embeddings.position_ids.data[0, 3] = 7


def test_then_the_buffer_is_back(model, tokenizer):
    assert model.embeddings.position_ids[0, :5].tolist() == [0, 1, 2, 3, 4]
    pristine(model, tokenizer)


def test_a_test_that_changes_the_config(model):
    model.config.return_dict = False
    model.config.output_hidden_states = True


def test_then_the_config_is_back(model, tokenizer):
    pristine(model, tokenizer)


def test_a_test_that_changes_a_module_attribute(model):
    model.encoder.layer[0].output.LayerNorm.eps = 1e-3


def test_then_the_attribute_is_back(model, tokenizer):
    pristine(model, tokenizer)


def test_a_test_that_replaces_forward_on_the_instance(model):
    model.forward = lambda *args, **kwargs: None


def test_then_forward_is_the_class_method_again(model, tokenizer):
    pristine(model, tokenizer)


def test_a_test_that_changes_the_vocabulary_and_the_pad_token(tokenizer):
    tokenizer.add_tokens(["新词"])
    tokenizer.pad_token = "[UNK]"


def test_then_the_tokenizer_is_back(model, tokenizer):
    pristine(model, tokenizer)


def test_a_test_that_changes_the_default_dtype():
    torch.set_default_dtype(torch.float64)


def test_then_the_default_dtype_is_float32(model, tokenizer):
    pristine(model, tokenizer)


def test_a_test_that_asks_for_deterministic_algorithms():
    torch.use_deterministic_algorithms(True)


def test_then_deterministic_algorithms_are_off_again(model, tokenizer):
    pristine(model, tokenizer)


_FIRST: dict = {}


def test_a_test_that_notes_its_process():
    _FIRST["pid"] = os.getpid()


def test_then_the_pair_ran_in_the_same_process():
    """Every pair above means something only when its two tests share a process (make test spreads
    tests over workers): this one fails if the file's tests were split."""
    assert _FIRST.get("pid") == os.getpid(), "the tests of this file ran in different processes"
