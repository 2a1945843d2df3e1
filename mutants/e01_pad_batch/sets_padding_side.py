"""Sets tokenizer.padding_side = "left" on the caller's tokenizer, as decoder-model recipes do."""

EXPECT = "tokenizer.padding_side = ..."


def tokenize_batch(tokenizer, sentences):
    tokenizer.padding_side = "left"
    return tokenizer(list(sentences), padding=True, truncation=True, return_tensors="pt")
