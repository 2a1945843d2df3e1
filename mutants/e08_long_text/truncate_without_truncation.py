"""Never truncates: a long text keeps all its tokens, more than BertModel's 512 positions."""

EXPECT = "no truncation"


def truncate(tokenizer, text):
    if not isinstance(text, str):
        raise TypeError(f"text must be one str, got a {type(text).__name__}")
    return tokenizer(text, return_tensors="pt")
