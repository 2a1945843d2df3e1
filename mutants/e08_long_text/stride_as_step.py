"""Takes the tokenizer's stride for the step between windows and passes it max_length - 2 - stride."""

from bertkata.reference import solution

EXPECT = "stride is the overlap, not the step"


def sliding_windows(tokenizer, documents, max_length=None, stride=128):
    solution("e08_long_text").sliding_windows(tokenizer, documents, max_length, stride)  # the checks
    max_length = tokenizer.model_max_length if max_length is None else max_length
    step = max_length - 2 - stride  # the windows should move on by this much
    return tokenizer(list(documents), max_length=max_length, stride=step, truncation=True,
                     return_overflowing_tokens=True, padding=True, return_tensors="pt")
