"""Exercise 09: Fill the mask by hand.

What this exercise teaches, where the behaviour comes from (transformers, tokenizers, torch), and the
pitfalls learners hit. Then the same in 简体中文.

练习 09：亲手填空。……
"""

from __future__ import annotations


def mask_logits(tokenizer, sentences):
    """One line on what it returns.

    Args:
        tokenizer: ...
        sentences: ...

    Returns:
        ... (shape, dtype)

    Raises:
        TypeError: ...
        ValueError: ...
    """
    # TODO: what the learner writes here, in one line
    raise NotImplementedError(
        "e09_fill_mask.mask_logits is not written yet: see its docstring, then `bert-kata hint 9`"
    )
