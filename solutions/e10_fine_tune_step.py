"""Exercise 10: One fine-tuning step.

What this exercise teaches, where the behaviour comes from (transformers, tokenizers, torch), and the
pitfalls learners hit. Then the same in 简体中文.

练习 10：一步微调。……
"""

from __future__ import annotations


def train_step(tokenizer, sentences):
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
    # BEGIN SOLUTION: what the learner writes here, in one line
    raise NotImplementedError("the reference solution of e10_fine_tune_step.train_step is not written yet")
    # END SOLUTION
