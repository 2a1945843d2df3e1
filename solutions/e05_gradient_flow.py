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
    """The gradient of a sentence-vector loss with respect to the word embeddings.

    The loss: ``v`` is the mean of ``last_hidden_state`` over each sentence's
    real tokens (``attention_mask`` 1), shape ``[batch, hidden]``, and
    ``loss = v.pow(2).mean()``. (``last_hidden_state.sum()`` would not do: the
    last layer ends in LayerNorm, and with its weight 1 and bias 0, as in the
    offline replica, every token vector sums to 0, so that loss is constant and
    its gradient is rounding noise.)

    The gradient is computed from zero, whatever ``.grad`` the model held
    (``backward()`` adds to ``.grad``,
    https://discuss.pytorch.org/t/what-does-the-backward-function-do/9944/2),
    also when the caller is inside ``torch.no_grad()``
    (https://github.com/nianticlabs/monodepth2/issues/24), and also when the
    embeddings are frozen. The model is left as it was found: same train/eval
    mode (the forward runs in it), same ``requires_grad`` flags, and its
    ``.grad`` either restored or cleared.

    Args:
        model: a ``BertModel`` (bert-base-chinese).
        inputs: a ``BatchEncoding`` (or dict) of ``int64`` tensors ``[batch, seq_len]``:
            ``input_ids``, ``attention_mask`` and optionally ``token_type_ids``.

    Returns:
        A float32 tensor of the shape of ``model.embeddings.word_embeddings.weight``
        (``[21128, 768]`` for bert-base-chinese), detached, not shared with the model:
        a later call or ``zero_grad()`` does not change it.

    Raises:
        KeyError: ``inputs`` has no ``attention_mask``.
    """
    # BEGIN SOLUTION: clear the old gradient, build a graph even under no_grad, backward, copy, put the model back
    weight = model.embeddings.word_embeddings.weight
    saved_grad, saved_flag = weight.grad, weight.requires_grad
    try:
        weight.grad = None  # backward() adds to .grad: start from nothing
        weight.requires_grad_(True)  # a frozen table still has a gradient to compute
        with torch.enable_grad():  # the caller may be inside torch.no_grad()
            hidden = model(**inputs).last_hidden_state
            mask = inputs["attention_mask"].unsqueeze(-1).to(hidden.dtype)
            loss = ((hidden * mask).sum(dim=1) / mask.sum(dim=1)).pow(2).mean()
            loss.backward(inputs=[weight])  # fill this .grad only; other parameters' .grad stay as they were
        return weight.grad.detach().clone()
    finally:
        weight.grad = saved_grad
        weight.requires_grad_(saved_flag)
    # END SOLUTION


def rows_with_gradient(grad):
    """The token ids whose row of an embedding gradient is not all zero.

    A row counts if any entry is non-zero (entries may cancel: a row summing to
    0 can still be non-zero). For bert-base-chinese these are exactly the ids in
    the input, except [PAD] (0): ``padding_idx=0`` keeps row 0 zero
    (https://github.com/huggingface/transformers/issues/5567).

    Args:
        grad: float tensor ``[vocab_size, hidden]``, e.g. from :func:`embedding_gradient`.

    Returns:
        A sorted ``list`` of Python ``int`` row indices, each once.

    Raises:
        TypeError: ``grad`` is None (no backward ran, or the parameter is frozen) or not a tensor.
        ValueError: ``grad`` is not 2-D.
    """
    # BEGIN SOLUTION: check the input, find the rows with any non-zero entry, return their indices as sorted ints
    if grad is None:
        raise TypeError("grad is None: backward() has not reached this parameter "
                        "(no backward yet, run under torch.no_grad(), or the parameter is frozen)")
    if not isinstance(grad, torch.Tensor):
        raise TypeError(f"grad must be a torch.Tensor [vocab_size, hidden], got a {type(grad).__name__}")
    if grad.dim() != 2:
        raise ValueError(f"grad must be 2-D [vocab_size, hidden], got shape {list(grad.shape)}")
    return (grad != 0).any(dim=1).nonzero().flatten().tolist()
    # END SOLUTION


def freeze_embeddings(model):
    """Freeze the embeddings (word, position, token type and their LayerNorm) of ``model``.

    Every parameter under ``model.embeddings`` gets ``requires_grad`` False, so
    ``backward()`` leaves its ``.grad`` None; the encoder and pooler stay
    trainable. Note ``model.embeddings.requires_grad = False`` freezes nothing:
    it only sets a plain attribute on the module
    (https://github.com/huggingface/transformers/issues/95).

    Args:
        model: a ``BertModel``; changed in place.

    Returns:
        None.
    """
    # BEGIN SOLUTION: switch requires_grad off for every parameter of model.embeddings
    model.embeddings.requires_grad_(False)
    # END SOLUTION


def count_trainable_parameters(model):
    """The number of trainable numbers in ``model``: the elements of the parameters with ``requires_grad``.

    bert-base-chinese's ``BertModel`` has 102,267,648; with the embeddings
    (16,622,592) frozen, 85,645,056 remain.

    Args:
        model: a ``torch.nn.Module``.

    Returns:
        An ``int``: the sum of ``numel()`` over parameters whose ``requires_grad`` is True.
    """
    # BEGIN SOLUTION: add up the sizes of the parameters that require a gradient
    return sum(p.numel() for p in model.parameters() if p.requires_grad)
    # END SOLUTION
