"""Cross-entropy written out, -log_softmax gathered at each label and averaged; model.zero_grad() and set_grad_enabled(True).
把交叉熵写开：在每行标签处取出 -log_softmax 再求平均；用 model.zero_grad() 清梯度，用 set_grad_enabled(True) 打开计算图。
"""

import math
from collections.abc import Mapping

import torch


def _labels(labels, rows, classes):
    if not torch.is_tensor(labels) or labels.dtype in (torch.bool,) or torch.is_floating_point(labels) \
            or torch.is_complex(labels):
        raise TypeError("labels should be integer class ids (e.g. torch.long), not floats, bools or one-hot rows")
    if labels.ndim != 1 or labels.numel() != rows:
        raise ValueError(f"expected {rows} labels in a 1-D tensor, found shape {tuple(labels.shape)}")
    if labels.numel() and (labels.min() < 0 or labels.max() >= classes):
        raise ValueError(f"every label must lie in [0, {classes}); these do not: {labels.tolist()}")
    return labels.long()


def classification_loss(logits, labels):
    if not torch.is_tensor(logits) or not torch.is_floating_point(logits):
        raise TypeError("logits should be a float tensor of shape [batch, num_labels]")
    if logits.ndim != 2 or logits.size(0) < 1:
        raise ValueError(f"logits should be [batch, num_labels] with at least one row, not {tuple(logits.shape)}")
    target = _labels(labels, logits.size(0), logits.size(1))
    picked = logits.log_softmax(dim=-1).gather(1, target.unsqueeze(1)).squeeze(1)
    return -picked.mean()


def train_steps(model, batch, labels, steps, lr):
    if not isinstance(batch, Mapping) or not torch.is_tensor(batch.get("input_ids")):
        raise TypeError("batch should map 'input_ids' (and the other model inputs) to tensors")
    _labels(labels, batch["input_ids"].size(0), model.config.num_labels)
    if isinstance(steps, bool) or not isinstance(steps, int):
        raise TypeError(f"steps should be a whole number, not {steps!r}")
    if steps <= 0:
        raise ValueError(f"steps should be 1 or more, not {steps}")
    if isinstance(lr, bool) or not isinstance(lr, (int, float)):
        raise TypeError(f"lr should be a number, not {lr!r}")
    if not math.isfinite(lr) or lr <= 0:
        raise ValueError(f"lr should be a positive finite number, not {lr}")
    trainable = [p for _, p in model.named_parameters() if p.requires_grad]
    if len(trainable) == 0:
        raise ValueError("every parameter is frozen (requires_grad False): nothing would be trained")
    optimizer = torch.optim.AdamW(trainable, lr=lr)
    mode = model.training
    out = []
    model.train(True)
    try:
        with torch.set_grad_enabled(True):
            for _ in range(steps):
                model.zero_grad(set_to_none=True)
                step_loss = classification_loss(model(**batch).logits, labels)
                step_loss.backward()
                optimizer.step()
                out.append(float(step_loss.detach()))
    finally:
        model.train(mode)
    return out
