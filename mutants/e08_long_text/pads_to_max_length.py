"""Pads every window to max_length with padding="max_length" instead of to the longest window."""

from bertkata.reference import solution

EXPECT = "every window was padded to max_length"


def sliding_windows(tokenizer, documents, max_length=None, stride=128):
    solution("e08_long_text").sliding_windows(tokenizer, documents, max_length, stride)  # the checks
    max_length = tokenizer.model_max_length if max_length is None else max_length
    return tokenizer(list(documents), max_length=max_length, stride=stride, truncation=True,
                     return_overflowing_tokens=True, padding="max_length", return_tensors="pt")
