"""Checks stride and max_length with isinstance(x, int), which lets True and False through as 1 and 0."""

import operator

EXPECT = "bool is a subclass of int"

from bertkata.reference import solution


def sliding_windows(tokenizer, documents, max_length=None, stride=128):
    for name, value in (("max_length", max_length), ("stride", stride)):
        if value is not None and not isinstance(value, int):
            raise TypeError(f"{name} must be an int, got {type(value).__name__}")
    documents = solution("e08_long_text")._check_documents(documents)
    limit = tokenizer.model_max_length
    max_length = limit if max_length is None else operator.index(max_length)
    if not 3 <= max_length <= limit:
        raise ValueError(f"max_length is {max_length}: from 3 to {limit}")
    if not 0 <= stride < max_length - 2:
        raise ValueError(f"stride is {stride}: from 0 to max_length - 3")
    return tokenizer(documents, max_length=max_length, stride=stride, truncation=True,
                     return_overflowing_tokens=True, padding=True, return_tensors="pt")
