"""Leaves out truncation=True, so a long sentence gives a row longer than BertModel's 512 positions."""

EXPECT = "no truncation"


def tokenize_batch(tokenizer, sentences):
    return tokenizer(list(sentences), padding=True, return_tensors="pt")
