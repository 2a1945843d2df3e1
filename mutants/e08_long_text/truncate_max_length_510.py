"""Passes max_length=510 to leave room for [CLS] and [SEP], which max_length already counts."""

EXPECT = "max_length=510"


def truncate(tokenizer, text):
    if not isinstance(text, str):
        raise TypeError(f"text must be one str, got a {type(text).__name__}")
    return tokenizer(text, truncation=True, max_length=510, return_tensors="pt")
