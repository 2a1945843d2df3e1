"""Uses len(batch), the number of keys, as the number of sentences."""

from bertkata.reference import solution

EXPECT = "counts the keys"
_ref = solution("e02_index_encodings")
tokens_at = _ref.tokens_at
token_char_span = _ref.token_char_span
token_for_char = _ref.token_for_char


def encoding_at(batch, i):
    if batch.encodings is None:
        raise TypeError("only a tokenizers-backed tokenizer keeps Encodings")
    if not -len(batch) <= i < len(batch):
        raise IndexError(f"i={i} is out of range: the batch has {len(batch)} sentences")
    return batch[i]
