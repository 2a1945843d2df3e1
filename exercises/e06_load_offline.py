"""Exercise 06: Load it offline.

What this exercise teaches, where the behaviour comes from (transformers, tokenizers, torch), and the
pitfalls learners hit. Then the same in 简体中文.

练习 06：离线加载。……
"""

from __future__ import annotations


def load_bert(tokenizer, sentences):
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
        "e06_load_offline.load_bert is not written yet: see its docstring, then `bert-kata hint 6`"
    )
