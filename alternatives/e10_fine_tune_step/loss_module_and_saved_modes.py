"""nn.CrossEntropyLoss as a module, nll_loss of log_softmax, and every submodule's own mode saved and put back.
把 nn.CrossEntropyLoss 当作模块使用，或用 log_softmax 之后的 nll_loss；逐个保存并恢复每个子模块自己的模式。
"""

import math
import numbers

import torch
import torch.nn.functional as F


def classification_loss(logits, labels):
    if not (torch.is_tensor(logits) and logits.is_floating_point()):
        raise TypeError(f"expected float logits [batch, num_labels], got {type(logits).__name__}")
    if logits.dim() != 2 or logits.shape[0] == 0:
        raise ValueError(f"logits of shape {list(logits.shape)}: expected [batch >= 1, num_labels]")
    if not torch.is_tensor(labels) or labels.is_floating_point() or labels.is_complex() or labels.dtype == torch.bool:
        raise TypeError("labels: expected an int64 tensor of class indices (argmax one-hot rows first)")
    if labels.dim() != 1 or labels.shape[0] != logits.shape[0]:
        raise ValueError(f"labels of shape {list(labels.shape)}: expected [{logits.shape[0]}]")
    bad = [v for v in labels.tolist() if not 0 <= v < logits.shape[1]]
    if bad:
        raise ValueError(f"labels {bad} are not class indices of a {logits.shape[1]}-label model")
    return F.nll_loss(F.log_softmax(logits, dim=1), labels.long())


def train_steps(model, batch, labels, steps, lr):
    if not hasattr(batch, "keys") or not torch.is_tensor(batch.get("input_ids", None)):
        raise TypeError("batch: expected a mapping with an input_ids tensor")
    classification_loss(torch.zeros(batch["input_ids"].shape[0], model.config.num_labels), labels)
    if isinstance(steps, bool) or not isinstance(steps, numbers.Integral) or isinstance(steps, float):
        raise TypeError(f"steps: expected an int, got {steps!r}")
    if steps < 1:
        raise ValueError(f"steps: expected at least 1, got {steps}")
    if isinstance(lr, (bool, str)) or not isinstance(lr, numbers.Real):
        raise TypeError(f"lr: expected a real number, got {lr!r}")
    if not (lr > 0 and math.isfinite(lr)):
        raise ValueError(f"lr: expected a finite value above 0, got {lr}")
    params = list(filter(lambda p: p.requires_grad, model.parameters()))
    if not params:
        raise ValueError("nothing to train: no parameter requires grad")
    optimizer = torch.optim.AdamW(params, lr=lr)
    criterion = torch.nn.CrossEntropyLoss()
    modes = [(m, m.training) for m in model.modules()]
    losses = []
    try:
        model.train()
        for _ in range(steps):
            optimizer.zero_grad(set_to_none=True)
            with torch.enable_grad():
                logits = model(**batch).logits
                loss = criterion(logits, labels.long())
                loss.backward()
            optimizer.step()
            losses.append(loss.item())
    finally:
        for module, mode in modes:
            module.training = mode
    return losses
