"""Goes through the word (char_to_word, then word_to_tokens(...).start), returning the first token of the word instead of the token covering c: c=3 in "embeddings" gives 1 ("em"), not 2 ("##be")."""

EXPECT = "is the first piece of the character's word"
from transformers import BatchEncoding


def token_for_char(batch, i, c):
    if not isinstance(batch, BatchEncoding) or batch.encodings is None:
        raise TypeError("batch keeps no Encodings: pass the BatchEncoding of a fast tokenizer")
    if isinstance(i, bool) or not isinstance(i, int):
        raise TypeError(f"i must be an int, got {type(i).__name__}")
    n = len(batch.encodings)
    if not -n <= i < n:
        raise IndexError(f"i={i} is out of range: the batch has {n} sentences")
    i = i % n
    if isinstance(c, bool) or not isinstance(c, int):
        raise TypeError(f"c must be an int, got {type(c).__name__}")
    if c < 0:
        raise IndexError(f"c={c} is negative")
    word = batch.encodings[i].char_to_word(c)
    if word is None:
        return None
    span = batch.encodings[i].word_to_tokens(word)
    return None if span is None else span[0]
