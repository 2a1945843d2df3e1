"""A contextlib context manager ties switching the mode to restoring it, and saving every module's own training flag brings back even a model whose submodules were in different modes.
用 contextlib 写的上下文管理器把切换模式和恢复模式绑在一起；逐个保存每个模块自己的 training 标志，即使各子模块原本处于不同模式，也能原样恢复。
"""

from contextlib import contextmanager

import torch


@contextmanager
def _evaluating(model):
    saved = [(m, m.training) for m in model.modules()]
    model.eval()
    try:
        yield model
    finally:
        for m, flag in saved:
            m.training = flag  # this module only: its children have their own entries


def encode(model, batch):
    ids = batch.get("input_ids") if hasattr(batch, "get") and not torch.is_tensor(batch) else None
    if not torch.is_tensor(ids):
        raise TypeError("pass a BatchEncoding of tensors: tokenizer(texts, padding=True, return_tensors='pt')")
    limit, vocab = model.config.max_position_embeddings, model.config.vocab_size
    checks = [
        (ids.is_floating_point(), TypeError, "ids are token numbers: an integer tensor, not floats"),
        (ids.dim() != 2, ValueError, "input_ids must have a batch axis: [batch, seq_len]"),
        ("attention_mask" in batch and batch["attention_mask"].shape != ids.shape, ValueError,
         "the attention_mask does not line up with input_ids"),
        (ids.dim() == 2 and ids.shape[1] > limit, ValueError, f"at most {limit} positions: truncate longer text"),
        (ids.numel() > 0 and (ids.min().item() < 0 or ids.max().item() >= vocab), ValueError,
         f"token ids must lie in 0..{vocab - 1}"),
    ]
    for bad, error, message in checks:
        if bad:
            raise error(message)
    with _evaluating(model), torch.no_grad():
        return model(**batch)
