"""Exercise 10: one fine-tuning step.

``BertForSequenceClassification`` puts a linear layer (``model.classifier``) on the pooled
``[CLS]`` vector and returns ``logits`` of shape ``[batch, num_labels]``. One training step is
always the same four moves: clear the old gradients (``backward()`` adds into ``.grad``), run
the forward in train mode (dropout on) with the autograd graph, ``backward()`` the
cross-entropy loss, and let the optimizer take its ``step()``. The loss wants class indices
(``int64``, shape ``[batch]``), not floats or one-hot rows: given float labels,
``F.cross_entropy`` reads them as probabilities and the model's own ``labels=`` loss switches to
multi-label ``BCEWithLogitsLoss``. Frozen parameters (``requires_grad`` False) must come out
bit-identical, and the caller's model goes back to the train/eval mode it came in.

练习 10：一步微调。BertForSequenceClassification 在池化后的 [CLS] 向量上加一个线性层（model.classifier），
输出形状为 [batch, num_labels] 的 logits。一个训练步骤总是这四步：先清空旧梯度（backward() 会把梯度累加进
.grad），在训练模式（dropout 开启）下带着计算图做前向计算，对交叉熵损失调用 backward()，再让优化器
step()。损失函数要的是类别下标（int64，形状 [batch]），不是浮点数，也不是 one-hot 行：拿到浮点标签时，
F.cross_entropy 会把它当作概率分布，模型自带的 labels= 损失则会改用多标签的 BCEWithLogitsLoss。
被冻结的参数（requires_grad 为 False）必须逐位保持不变，调用者的模型最后要回到它进来时的训练/评估模式。
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import torch
import torch.nn.functional as F


def classification_loss(logits, labels):
    """The mean cross-entropy of ``logits`` against class-index ``labels``.

    ``loss = mean over i of -log_softmax(logits[i])[labels[i]]``, what ``F.cross_entropy`` computes
    and what ``BertForSequenceClassification`` returns as ``.loss`` when it is given ``labels=``
    of an integer dtype (with float labels it switches to multi-label ``BCEWithLogitsLoss``,
    https://github.com/huggingface/transformers/pull/11012). The logits go in as they are:
    ``F.cross_entropy`` applies ``log_softmax`` itself. Neither input is changed.

    Args:
        logits: a floating-point tensor ``[batch, num_labels]`` (a model's ``.logits``).
        labels: an integer tensor ``[batch]`` (``int64``, or any integer dtype: it is converted)
            of class indices, each in ``0 .. num_labels - 1``.

    Returns:
        A 0-dim tensor of the logits' dtype; it keeps the autograd graph (``backward()`` on it
        reaches whatever made the logits).

    Raises:
        TypeError: ``logits`` is not a floating-point tensor; ``labels`` is not a tensor of an
            integer dtype (float labels, one-hot rows of float, bool).
        ValueError: ``logits`` is not 2-D or has no row; ``labels`` is not ``[batch]`` (one-hot
            rows ``[batch, num_labels]`` included); a label is outside ``0 .. num_labels - 1``.
    """
    # BEGIN SOLUTION: check both tensors, then the mean cross-entropy of the logits against the class indices
    if not isinstance(logits, torch.Tensor) or not logits.is_floating_point():
        raise TypeError(f"logits must be a floating-point tensor [batch, num_labels], got {_what(logits)}")
    if logits.dim() != 2 or logits.shape[0] == 0:
        raise ValueError(f"logits must be [batch, num_labels] with batch >= 1, got shape {list(logits.shape)}")
    if not isinstance(labels, torch.Tensor) or labels.is_floating_point() or labels.is_complex() \
            or labels.dtype == torch.bool:
        raise TypeError(f"labels must be a tensor of class indices (int64), got {_what(labels)}: "
                        "not float labels or one-hot rows")
    batch, num_labels = logits.shape
    if list(labels.shape) != [batch]:
        raise ValueError(f"labels must have shape [{batch}] (one class index per row of logits), got "
                         f"{list(labels.shape)}; one-hot rows become indices with labels.argmax(-1)")
    if ((labels < 0) | (labels >= num_labels)).any():
        raise ValueError(f"labels must be class indices in 0 .. {num_labels - 1} (the model has {num_labels} "
                         f"labels), got {labels.tolist()}")
    return F.cross_entropy(logits, labels.long())
    # END SOLUTION


def train_steps(model, batch, labels, steps, lr):
    """Fine-tune ``model`` on one batch for ``steps`` steps of AdamW; the loss of each step.

    The optimizer is ``torch.optim.AdamW(params, lr=lr)`` with its other settings left at their
    defaults (betas (0.9, 0.999), eps 1e-8, weight_decay 0.01), made afresh by this call. The usual
    ``params`` are the parameters whose ``requires_grad`` is True; AdamW skips a parameter whose
    ``.grad`` is None, but its weight decay moves one holding any ``.grad``, zeros included. Each step, in order: clear the gradients (they
    add up across ``backward()`` calls,
    https://discuss.pytorch.org/t/what-does-the-backward-function-do/9944/2; a ``.grad`` the
    caller left on the model counts for nothing), run ``model(**batch)`` in train mode (every
    submodule, so dropout is on) with the autograd graph (also when the caller is inside
    ``torch.no_grad()``, https://github.com/nianticlabs/monodepth2/issues/24), take
    :func:`classification_loss` of its ``logits``, ``backward()``, then ``optimizer.step()``.
    Dropout draws its masks from torch's global generator and nothing else does, so
    ``torch.manual_seed(s)`` before two calls on the same weights gives the same losses.

    Afterwards the model is in the train/eval mode the caller had it in, every submodule with it
    (``model.train(was_training)`` does that; for a model whose submodules the caller set to different
    modes, what comes back is not specified; https://github.com/huggingface/transformers/issues/9039), every ``requires_grad`` flag is as it
    was, and every frozen parameter (``requires_grad`` False) is bit-for-bit what it was, also
    when it holds a ``.grad`` from before it was frozen. ``batch`` and ``labels`` are not changed.
    What ``.grad`` holds afterwards is not specified (a training loop leaves the last step's).

    Args:
        model: a ``BertForSequenceClassification``; its trainable parameters are changed in place.
        batch: a ``BatchEncoding`` (or dict) of ``int64`` tensors ``[batch, seq_len]``:
            ``input_ids``, ``attention_mask`` and optionally ``token_type_ids``.
        labels: class indices as :func:`classification_loss` takes them, one per row of the batch,
            each in ``0 .. model.config.num_labels - 1``.
        steps: how many steps, an ``int`` >= 1.
        lr: the learning rate, a finite number > 0.

    Returns:
        A ``list`` of ``steps`` Python ``float``: the loss of each step, computed before that
        step's update (so the first one is the loss of the weights the caller passed in).

    Raises:
        TypeError: ``labels`` is not an integer tensor (float labels, one-hot rows of float);
            ``batch`` is not a mapping holding an ``input_ids`` tensor; ``steps`` is not an ``int``
            (``True`` is not a number of steps); ``lr`` is not a number (nor is ``True``).
        ValueError: ``labels`` is not ``[batch]`` or holds a label outside
            ``0 .. model.config.num_labels - 1``; ``steps`` < 1; ``lr`` is not finite and > 0;
            no parameter of ``model`` requires grad (nothing to train). Raised before anything
            is changed.
    """
    # BEGIN SOLUTION: check the arguments; AdamW steps (zero_grad, train-mode forward, loss, backward, step); restore the mode
    if not isinstance(batch, Mapping) or not isinstance(batch.get("input_ids"), torch.Tensor):
        raise TypeError(f"batch must be a mapping holding an input_ids tensor, got {_what(batch)}")
    if not isinstance(labels, torch.Tensor) or labels.is_floating_point() or labels.is_complex() \
            or labels.dtype == torch.bool:
        raise TypeError(f"labels must be a tensor of class indices (int64), got {_what(labels)}: "
                        "not float labels or one-hot rows")
    rows, num_labels = batch["input_ids"].shape[0], model.config.num_labels
    if list(labels.shape) != [rows]:
        raise ValueError(f"labels must have shape [{rows}] (one class index per row of the batch), got "
                         f"{list(labels.shape)}")
    if ((labels < 0) | (labels >= num_labels)).any():
        raise ValueError(f"labels must be class indices in 0 .. {num_labels - 1} (model.config.num_labels is "
                         f"{num_labels}), got {labels.tolist()}")
    if type(steps) is not int:
        raise TypeError(f"steps must be an int, got {_what(steps)}")
    if steps < 1:
        raise ValueError(f"steps must be at least 1, got {steps}")
    if isinstance(lr, bool) or not isinstance(lr, (int, float)):
        raise TypeError(f"lr must be a number, got {_what(lr)}")
    if not (math.isfinite(lr) and lr > 0):
        raise ValueError(f"lr must be a finite number > 0, got {lr}")
    params = [p for p in model.parameters() if p.requires_grad]
    if not params:
        raise ValueError("no parameter of the model requires grad: there is nothing to train")
    optimizer = torch.optim.AdamW(params, lr=lr)
    was_training = model.training
    losses = []
    try:
        model.train()
        with torch.enable_grad():  # the caller may be inside torch.no_grad()
            for _ in range(steps):
                optimizer.zero_grad()  # before backward: gradients add up
                loss = classification_loss(model(**batch).logits, labels)
                loss.backward()
                optimizer.step()
                losses.append(loss.item())
    finally:
        model.train(was_training)
    return losses
    # END SOLUTION


def _what(x) -> str:
    if isinstance(x, torch.Tensor):
        return f"a {x.dtype} tensor of shape {list(x.shape)}"
    return f"a {type(x).__name__}"
