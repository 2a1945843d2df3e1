"""AdamW over every parameter is safe when zero_grad() sets .grad to None: optimizers skip a parameter without a gradient.
把所有参数都交给 AdamW 也没问题，只要 zero_grad() 把 .grad 设为 None：优化器会跳过没有梯度的参数。
"""

import math

import torch
import torch.nn.functional as F


def classification_loss(logits, labels):
    if not isinstance(logits, torch.Tensor) or not logits.dtype.is_floating_point:
        raise TypeError("logits must be a floating-point torch.Tensor")
    if logits.dim() != 2 or len(logits) == 0:
        raise ValueError("logits must be a non-empty [batch, num_labels] tensor")
    if not isinstance(labels, torch.Tensor) or labels.dtype.is_floating_point or labels.dtype.is_complex \
            or labels.dtype == torch.bool:
        raise TypeError("labels must hold integer class indices; one-hot or float labels are not accepted")
    if labels.shape != logits.shape[:1]:
        raise ValueError(f"labels must have shape {list(logits.shape[:1])}, got {list(labels.shape)}")
    if not ((labels >= 0) & (labels < logits.shape[1])).all():
        raise ValueError(f"labels out of range 0..{logits.shape[1] - 1}: {labels.tolist()}")
    return F.cross_entropy(logits, labels.to(torch.int64))


def train_steps(model, batch, labels, steps, lr):
    try:
        rows = batch["input_ids"].shape[0]
    except (TypeError, KeyError, AttributeError, IndexError):
        raise TypeError("batch must be a dict-like BatchEncoding with an input_ids tensor") from None
    fake_logits = torch.zeros(rows, model.config.num_labels)
    classification_loss(fake_logits, labels)  # the same label checks, before anything changes
    if type(steps) is not int or steps < 1:
        raise (TypeError if type(steps) is not int else ValueError)(f"steps must be an int >= 1, got {steps!r}")
    if type(lr) not in (int, float):
        raise TypeError(f"lr must be a float, got {type(lr).__name__}")
    if not lr > 0 or math.isinf(lr):
        raise ValueError(f"lr must be a finite float > 0, got {lr}")
    if not any(p.requires_grad for p in model.parameters()):
        raise ValueError("the model is entirely frozen; there is nothing to train")
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr)
    was_training = model.training
    losses = []
    try:
        model.train()
        with torch.enable_grad():
            for _ in range(steps):
                optimizer.zero_grad()  # set_to_none=True: frozen parameters keep no .grad, so AdamW skips them
                loss = classification_loss(model(**batch).logits, labels)
                loss.backward()
                optimizer.step()
                losses.append(loss.item())
    finally:
        model.train(was_training)
    return losses
