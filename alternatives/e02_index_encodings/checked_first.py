"""One helper that checks every argument and returns the Encoding keeps the four functions' errors alike; the Encoding's tokens, offsets and special_tokens_mask are plain Python lists, so negative indices just work.
用一个辅助函数检查全部参数并返回 Encoding，四个函数的报错就能保持一致；Encoding 的 tokens、offsets 和 special_tokens_mask 都是普通的 Python 列表，负数下标可以直接用。
"""


def _checked(batch, i, **more):
    if not hasattr(batch, "encodings") or batch.encodings is None:
        raise TypeError("expected the BatchEncoding of a tokenizers-backed tokenizer (it keeps Encodings)")
    for name, v in (("i", i), *more.items()):
        if type(v) is not int:
            raise TypeError(f"expected an int {name}, got {v!r}")
    n = len(batch.encodings)
    if i >= n or i < -n:
        raise IndexError(f"expected -{n} <= i < {n} for a batch of {n} sentences, got {i}")
    return batch.encodings[i]


def encoding_at(batch, i):
    return _checked(batch, i)


def tokens_at(batch, i):
    return list(_checked(batch, i).tokens)


def token_char_span(batch, i, t):
    encoding = _checked(batch, i, t=t)
    if t >= len(encoding) or t < -len(encoding):
        raise IndexError(f"expected a position inside the row of {len(encoding)}, got {t}")
    if encoding.special_tokens_mask[t] == 1:
        return None
    return tuple(encoding.offsets[t])


def token_for_char(batch, i, c):
    encoding = _checked(batch, i, c=c)
    if c < 0:
        raise IndexError(f"expected a character index >= 0, got {c}")
    return encoding.char_to_token(c)
