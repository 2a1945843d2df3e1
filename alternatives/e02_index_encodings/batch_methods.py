"""BatchEncoding has its own token_to_chars, char_to_token and tokens(i), which take the sentence index and ask that Encoding; token_to_chars returns None for special tokens but rejects a negative token index.
BatchEncoding 自带 token_to_chars、char_to_token 和 tokens(i)：它们接受句子下标，再去问对应的 Encoding；token_to_chars 对特殊 token 返回 None，但不接受负数的 token 下标。
"""

from transformers import BatchEncoding


def _index(value, size, what):
    if type(value) is not int:
        raise TypeError(f"{what} must be an int, got {type(value).__name__}")
    if not -size <= value < size:
        raise IndexError(f"{what}={value} is outside 0..{size - 1} (size {size})")
    return value % size


def encoding_at(batch, i):
    if not isinstance(batch, BatchEncoding) or not batch.encodings:
        raise TypeError("no tokenizers.Encoding in this batch: tokenize with a fast (tokenizers-backed) tokenizer")
    return batch.encodings[_index(i, len(batch.encodings), "i")]


def tokens_at(batch, i):
    encoding_at(batch, i)  # checks the batch and i
    return batch.tokens(i % len(batch.encodings))


def token_char_span(batch, i, t):
    i = _index(i, len(encoding_at(batch, i) and batch.encodings), "i")
    t = _index(t, len(batch.encodings[i]), "t")
    if batch.encodings[i].special_tokens_mask[t]:
        return None
    span = batch.token_to_chars(i, t)
    return None if span is None else (span.start, span.end)


def token_for_char(batch, i, c):
    i = _index(i, len(encoding_at(batch, i) and batch.encodings), "i")
    if type(c) is not int:
        raise TypeError(f"c must be an int, got {type(c).__name__}")
    if c < 0:
        raise IndexError(f"c={c}: character positions are counted from 0")
    return batch.char_to_token(i, c)
