"""Cuts the text at 510 characters, as if characters were tokens."""

EXPECT = "cut the text at 510 characters"


def truncate(tokenizer, text):
    if not isinstance(text, str):
        raise TypeError(f"text must be one str, got a {type(text).__name__}")
    return tokenizer(text[:510], return_tensors="pt")
