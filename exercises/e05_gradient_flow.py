"""Exercise 05: gradient flow.

Fine-tuning works because a loss computed from ``last_hidden_state`` sends
gradients back through every layer to the word embeddings. Only the rows of
``word_embeddings.weight`` whose token ids were in the input get a gradient;
[PAD] (row 0) never does. Gradients add up over ``backward()`` calls until
they are cleared, ``torch.no_grad()`` stops them altogether, and
``requires_grad_(False)`` freezes parameters so they get none.

练习 05：梯度流动。微调之所以有效，是因为由 last_hidden_state 算出的损失会把梯度一路传回词嵌入。
word_embeddings.weight 中只有输入里出现过的 token id 对应的行才有梯度；[PAD]（第 0 行）永远没有。
梯度在多次 backward() 之间累加，直到被清空；torch.no_grad() 会完全阻断梯度；
requires_grad_(False) 冻结参数，使它们不再得到梯度。
"""

from __future__ import annotations

import torch


def embedding_gradient(model, inputs):
    """The gradient of the notebook's loss, ``last_hidden_state.sum()``, with respect to the word embeddings.

    The loss: ``model(**inputs).last_hidden_state.sum()``, the sum of every entry of
    ``last_hidden_state`` ``[batch, seq_len, hidden]``, as the seed notebook computes it.
    In a padded batch that includes the [PAD] positions: their vectors are computed
    too (they attend to the real tokens), so they add to the gradient of the real
    tokens' rows; row 0 ([PAD]) itself still gets none (``padding_idx=0``). The
    forward gets every model input the batch holds: for a sentence pair,
    ``token_type_ids`` marks the second sentence with 1, and leaving it out (or
    zeroing it) changes the gradient.

    The gradient is computed from zero, whatever ``.grad`` the model held
    (``backward()`` adds to ``.grad``,
    https://discuss.pytorch.org/t/what-does-the-backward-function-do/9944/2),
    also when the caller is inside ``torch.no_grad()``
    (https://github.com/nianticlabs/monodepth2/issues/24), and also when the
    embeddings are frozen. The model is left as it was found: the forward runs
    in the caller's train/eval mode (every submodule's, each ``Dropout``) and
    the mode is the same after; every ``requires_grad`` flag is as the caller
    set it (a model frozen in part stays frozen in exactly that part); the
    parameters' ``.grad`` are either restored or cleared; and
    ``torch.is_grad_enabled()`` is what it was. ``inputs`` is not changed.

    Args:
        model: a ``BertModel`` (bert-base-chinese).
        inputs: a ``BatchEncoding`` (or dict) of ``int64`` tensors ``[batch, seq_len]``:
            ``input_ids``, ``attention_mask`` and optionally ``token_type_ids``.

    Returns:
        A float32 tensor of the shape of ``model.embeddings.word_embeddings.weight``
        (``[21128, 768]`` for bert-base-chinese), detached, not shared with the model:
        a later call or ``zero_grad()`` does not change it.

    Raises:
        KeyError: ``inputs`` has no ``attention_mask`` (without it the model takes
            every position as a real token, and the real tokens attend to [PAD]).
        ValueError: ``seq_len`` is more than ``model.config.max_position_embeddings``
            (512 for bert-base-chinese: the position embeddings have no row past it).
            512 positions are fine.
    """
    # TODO: check the mask and the length; clear the old gradient, graph even under no_grad, backward, copy, restore
    raise NotImplementedError(
        "e05_gradient_flow.embedding_gradient is not written yet: see its docstring, then `bert-kata hint 5`"
    )


def rows_with_gradient(grad):
    """The token ids whose row of an embedding gradient is not all zero.

    A row counts if any entry is non-zero (entries may cancel: a row summing to
    0 can still be non-zero). For bert-base-chinese these are exactly the ids in
    the input, except [PAD] (0): ``padding_idx=0`` keeps row 0 zero
    (https://github.com/huggingface/transformers/issues/5567). The function
    reports what ``grad`` holds, row 0 included where it is non-zero; a tiny
    entry (1e-30) counts too. ``grad`` is not changed.

    Args:
        grad: float tensor ``[vocab_size, hidden]``, e.g. from :func:`embedding_gradient`.

    Returns:
        A sorted ``list`` of Python ``int`` row indices, each once.

    Raises:
        TypeError: ``grad`` is None (no backward ran, or the parameter is frozen) or not a tensor.
        ValueError: ``grad`` is not 2-D.
    """
    # TODO: check the input, find the rows with any non-zero entry, return their indices as sorted ints
    raise NotImplementedError(
        "e05_gradient_flow.rows_with_gradient is not written yet: see its docstring, then `bert-kata hint 5`"
    )


def freeze_embeddings(model):
    """Freeze the embeddings (word, position, token type and their LayerNorm) of ``model``.

    Every parameter under ``model.embeddings`` gets ``requires_grad`` False, so
    ``backward()`` leaves its ``.grad`` None. Every other parameter's
    ``requires_grad`` is left as the caller had it (the encoder and pooler stay
    trainable, or frozen where the caller froze them), and the train/eval mode
    is not changed: freezing is about gradients, not dropout. Note
    ``model.embeddings.requires_grad = False`` freezes nothing: it only sets a
    plain attribute on the module
    (https://github.com/huggingface/transformers/issues/95).

    Args:
        model: a ``BertModel``; changed in place.

    Returns:
        None.
    """
    # TODO: switch requires_grad off for every parameter of model.embeddings
    raise NotImplementedError(
        "e05_gradient_flow.freeze_embeddings is not written yet: see its docstring, then `bert-kata hint 5`"
    )


def count_trainable_parameters(model):
    """The number of trainable numbers in ``model``: the elements of the parameters with ``requires_grad``.

    bert-base-chinese's ``BertModel`` has 102,267,648; with the embeddings
    (16,622,592) frozen, 85,645,056 remain. A parameter shared by several
    modules (a tied weight: ``BertForMaskedLM``'s output layer reuses
    ``word_embeddings.weight``) is one parameter and counts once, as
    ``model.parameters()`` lists it once. The model is not changed.

    Args:
        model: a ``torch.nn.Module``.

    Returns:
        A Python ``int``: the sum of ``numel()`` over the distinct parameters whose
        ``requires_grad`` is True.
    """
    # TODO: add up the sizes of the parameters that require a gradient
    raise NotImplementedError(
        "e05_gradient_flow.count_trainable_parameters is not written yet: see its docstring, then `bert-kata hint 5`"
    )
