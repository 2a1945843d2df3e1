"""word_ids None marks the same special positions as special_tokens_mask, and char_to_token is no magic: a scan of the offsets for the span that holds the character.
word_ids 为 None 的位置正是 special_tokens_mask 标出的特殊位置；char_to_token 也没有什么神秘之处：就是在 offsets 中找出包含该字符的区间。
"""

import operator


def encoding_at(batch, i):
    encodings = getattr(batch, "encodings", None)
    if encodings is None:
        raise TypeError(f"{type(batch).__name__} has no Encodings; only a fast tokenizer's BatchEncoding does")
    if isinstance(i, bool) or not isinstance(i, int):
        raise TypeError(f"sentence index must be int, not {type(i).__name__}")
    try:
        return encodings[i]
    except IndexError:
        raise IndexError(f"no sentence {i}: the batch holds {len(encodings)}") from None


def tokens_at(batch, i):
    return [str(tok) for tok in encoding_at(batch, i).tokens]


def token_char_span(batch, i, t):
    encoding = encoding_at(batch, i)
    if isinstance(t, bool):
        raise TypeError("t must be an int position, not a bool")
    t = operator.index(t)  # TypeError for float or str
    word_ids, offsets = encoding.word_ids, encoding.offsets
    if word_ids[t] is None:  # IndexError past either end
        return None
    start, end = offsets[t]
    return start, end


def token_for_char(batch, i, c):
    encoding = encoding_at(batch, i)
    if isinstance(c, bool) or not isinstance(c, int):
        raise TypeError("c must be an int character index")
    if c < 0:
        raise IndexError(f"c must be >= 0, got {c}")
    for t, (word, (start, end)) in enumerate(zip(encoding.word_ids, encoding.offsets)):
        if word is not None and start <= c < end:
            return t
    return None
