"""Returns the span of the whole word (batch.word_to_chars of the token's word id) instead of the token's own offsets, so "##ing" of "playing"-like words gets the word's span."""

EXPECT = "is the whole word's span"
from transformers import BatchEncoding


def token_char_span(batch, i, t):
    if not isinstance(batch, BatchEncoding) or batch.encodings is None:
        raise TypeError("batch keeps no Encodings: pass the BatchEncoding of a fast tokenizer")
    if isinstance(i, bool) or not isinstance(i, int):
        raise TypeError(f"i must be an int, got {type(i).__name__}")
    n = len(batch.encodings)
    if not -n <= i < n:
        raise IndexError(f"i={i} is out of range: the batch has {n} sentences")
    i = i % n
    enc = batch.encodings[i]
    if isinstance(t, bool) or not isinstance(t, int):
        raise TypeError(f"t must be an int, got {type(t).__name__}")
    m = len(enc)
    if not -m <= t < m:
        raise IndexError(f"t={t} is out of range: the row has {m} positions")
    if enc.special_tokens_mask[t]:
        return None
    word = enc.word_ids[t]
    span = batch.word_to_chars(i, word)
    return (span.start, span.end)
