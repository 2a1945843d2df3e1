"""Returns dict(batch), a plain dict of the tensors, instead of the BatchEncoding."""

EXPECT = "dict(batch) drops its Encodings"


def tokenize_batch(tokenizer, sentences):
    return dict(tokenizer(list(sentences), padding=True, truncation=True, return_tensors="pt"))
