"""Tells special tokens by their text (token in {"[CLS]", "[SEP]", "[PAD]"}) instead of special_tokens_mask, so a literal "[SEP]" typed in the sentence (a real token with offsets) gives None."""
from transformers import BatchEncoding

EXPECT = "typed into the sentence"


def _encoding(batch, i):
    if not isinstance(batch, BatchEncoding) or batch.encodings is None:
        raise TypeError("batch keeps no Encodings: pass the BatchEncoding of a fast tokenizer")
    if isinstance(i, bool) or not isinstance(i, int):
        raise TypeError(f"i must be an int, got {type(i).__name__}")
    n = len(batch.encodings)
    if not -n <= i < n:
        raise IndexError(f"i={i} is out of range: the batch has {n} sentences")
    return batch.encodings[i]


def token_char_span(batch, i, t):
    enc = _encoding(batch, i)
    if isinstance(t, bool) or not isinstance(t, int):
        raise TypeError(f"t must be an int, got {type(t).__name__}")
    n = len(enc.tokens)
    if not -n <= t < n:
        raise IndexError(f"t={t} is out of range: the row has {n} positions")
    if enc.tokens[t] in {"[CLS]", "[SEP]", "[PAD]"}:
        return None
    start, end = enc.offsets[t]
    return (start, end)
