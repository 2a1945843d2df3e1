"""Lets max_length past the model's 512 positions through to the tokenizer."""

import operator

EXPECT = "check max_length against tokenizer.model_max_length"


def sliding_windows(tokenizer, documents, max_length=None, stride=128):
    if isinstance(documents, str):
        raise TypeError("documents must be a list of str, not a single str")
    if not documents:
        raise ValueError("documents is empty")
    if not all(isinstance(d, str) for d in documents):
        raise TypeError("every document must be a str")
    max_length = tokenizer.model_max_length if max_length is None else max_length
    for name, value in (("max_length", max_length), ("stride", stride)):
        if isinstance(value, bool) or not hasattr(value, "__index__"):
            raise TypeError(f"{name} must be an int")
    if not 0 <= operator.index(stride) < max_length - 2:
        raise ValueError(f"stride must be from 0 to max_length - 3, got {stride}")
    return tokenizer(list(documents), max_length=max_length, stride=stride, truncation=True,
                     return_overflowing_tokens=True, padding=True, return_tensors="pt")
