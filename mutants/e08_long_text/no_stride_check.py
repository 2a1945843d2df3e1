"""Passes any stride to the tokenizer, which panics (PanicException) when stride >= max_length - 2."""

from bertkata.reference import solution

EXPECT = "the tokenizer panicked"


def sliding_windows(tokenizer, documents, max_length=None, stride=128):
    solution("e08_long_text").sliding_windows(tokenizer, documents, max_length, 0)  # the other checks
    max_length = tokenizer.model_max_length if max_length is None else max_length
    if isinstance(stride, bool) or not isinstance(stride, int) or stride < 0:
        raise (TypeError if not isinstance(stride, int) or isinstance(stride, bool) else ValueError)(
            f"stride is {stride!r}, expected an int >= 0")
    return tokenizer(list(documents), max_length=max_length, stride=stride, truncation=True,
                     return_overflowing_tokens=True, padding=True, return_tensors="pt")
