"""Passes max_length - 2 to the tokenizer, as if [CLS] and [SEP] came on top of max_length."""

from bertkata.reference import solution

EXPECT = "windows of max_length - 2 positions"


def sliding_windows(tokenizer, documents, max_length=None, stride=128):
    solution("e08_long_text").sliding_windows(tokenizer, documents, max_length, stride)  # the checks
    max_length = tokenizer.model_max_length if max_length is None else max_length
    return tokenizer(list(documents), max_length=max_length - 2, stride=min(stride, max_length - 5), truncation=True,
                     return_overflowing_tokens=True, padding=True, return_tensors="pt")
