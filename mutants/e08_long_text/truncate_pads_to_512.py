"""Pads every text to 512 with padding="max_length", though one text needs no padding."""

EXPECT = 'padding="max_length" pads to model_max_length'


def truncate(tokenizer, text):
    if not isinstance(text, str):
        raise TypeError(f"text must be one str, got a {type(text).__name__}")
    return tokenizer(text, truncation=True, padding="max_length", return_tensors="pt")
