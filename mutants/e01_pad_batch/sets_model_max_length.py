"""Sets tokenizer.model_max_length = 128 on the caller's tokenizer to keep batches short."""

EXPECT = "tokenizer.model_max_length = ..."


def tokenize_batch(tokenizer, sentences):
    tokenizer.model_max_length = 128
    return tokenizer(list(sentences), padding=True, truncation=True, return_tensors="pt")
