"""Pops overflow_to_sample_mapping so that model(**windows) takes the result, losing which document each window is."""

from bertkata.reference import solution

EXPECT = "keep overflow_to_sample_mapping"


def sliding_windows(tokenizer, documents, max_length=None, stride=128):
    windows = solution("e08_long_text").sliding_windows(tokenizer, documents, max_length, stride)
    windows.pop("overflow_to_sample_mapping")
    return windows
