"""Asks for PyTorch tensors without padding, though the last window of a document is shorter."""

from bertkata.reference import solution

EXPECT = "padding=True pads them to the longest"


def sliding_windows(tokenizer, documents, max_length=None, stride=128):
    solution("e08_long_text").sliding_windows(tokenizer, documents, max_length, stride)  # the checks
    max_length = tokenizer.model_max_length if max_length is None else max_length
    return tokenizer(list(documents), max_length=max_length, stride=stride, truncation=True,
                     return_overflowing_tokens=True, return_tensors="pt")
