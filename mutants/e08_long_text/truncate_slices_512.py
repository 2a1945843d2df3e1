"""Tokenizes without truncation, then slices every tensor to [:, :512], which drops [SEP]."""

EXPECT = "slicing input_ids[:, :512]"


def truncate(tokenizer, text):
    if not isinstance(text, str):
        raise TypeError(f"text must be one str, got a {type(text).__name__}")
    batch = tokenizer(text, return_tensors="pt")
    for key in list(batch.keys()):
        batch[key] = batch[key][:, :512]
    return batch
