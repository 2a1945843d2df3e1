"""Truncates each document without return_overflowing_tokens=True: one window per document, the rest lost."""

from bertkata.reference import solution

EXPECT = "return_overflowing_tokens=True returns the other windows"


def sliding_windows(tokenizer, documents, max_length=None, stride=128):
    solution("e08_long_text").sliding_windows(tokenizer, documents, max_length, stride)  # the checks
    max_length = tokenizer.model_max_length if max_length is None else max_length
    batch = tokenizer(list(documents), max_length=max_length, stride=stride, truncation=True, padding=True,
                      return_tensors="pt")
    batch["overflow_to_sample_mapping"] = __import__("torch").arange(len(documents))
    return batch
