"""Encoding.token_to_chars gives a token's span (None for a special token) but takes only a non-negative index, an unsigned one in Rust: check t, then use t % len(encoding).
Encoding.token_to_chars 给出 token 的字符区间（特殊 token 为 None），但只接受非负下标（在 Rust 中是无符号数）：先检查 t，再改用 t % len(encoding)。
"""

import operator


def _as_index(value, name):
    if isinstance(value, bool):
        raise TypeError(f"{name}={value!r}: a bool is not an index")
    try:
        return operator.index(value)
    except TypeError:
        raise TypeError(f"{name}={value!r}: expected an integer index") from None


def encoding_at(batch, i):
    if getattr(batch, "encodings", None) is None:
        raise TypeError("this batch keeps no tokenizers.Encoding (not from a tokenizers-backed tokenizer)")
    i, size = _as_index(i, "i"), len(batch.encodings)
    if not -size <= i < size:
        raise IndexError(f"i={i}, but there are only {size} sentences in this batch")
    return batch[i]


def tokens_at(batch, i):
    encoding_at(batch, i)
    return batch.tokens(_as_index(i, "i") % len(batch.encodings))


def token_char_span(batch, i, t):
    encoding = encoding_at(batch, i)
    t, size = _as_index(t, "t"), len(encoding)
    if not -size <= t < size:
        raise IndexError(f"t={t}, but this row has only {size} positions")
    t %= size
    if encoding.special_tokens_mask[t]:
        return None
    start, end = encoding.token_to_chars(t)
    return (start, end)


def token_for_char(batch, i, c):
    encoding = encoding_at(batch, i)
    c = _as_index(c, "c")
    if c < 0:
        raise IndexError(f"c={c}, but character indices start at 0")
    return encoding.char_to_token(c)
