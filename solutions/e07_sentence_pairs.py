"""Exercise 07: Sentence pairs.

What this exercise teaches, where the behaviour comes from (transformers, tokenizers, torch), and the
pitfalls learners hit. Then the same in 简体中文.

练习 07：句子对。……
"""

from __future__ import annotations


def encode_pair(tokenizer, sentences):
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
    raise NotImplementedError("the reference solution of e07_sentence_pairs.encode_pair is not written yet")
    # END SOLUTION
