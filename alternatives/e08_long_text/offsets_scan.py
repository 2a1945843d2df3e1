"""Reads offsets directly: word_ids is None on [CLS], [SEP] and [PAD]; a character is in token t when start <= c < end.
直接读取 offsets：word_ids 在 [CLS]、[SEP] 和 [PAD] 处为 None；当 start <= c < end 时，字符 c 属于 token t。
"""

import operator

from transformers import BatchEncoding


def _index(value, name):
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name}={value!r}: expected an int")
    return operator.index(value)


def _mapping(windows):
    mapping = windows.get("overflow_to_sample_mapping") if isinstance(windows, BatchEncoding) else None
    if mapping is None or windows.encodings is None:
        raise TypeError("expected the BatchEncoding from sliding_windows, with overflow_to_sample_mapping")
    return [int(x) for x in mapping]


def truncate(tokenizer, text):
    if type(text) is not str:
        raise TypeError(f"truncate takes one str, not a {type(text).__name__}")
    return tokenizer(text, truncation="longest_first", return_tensors="pt")


def sliding_windows(tokenizer, documents, max_length=None, stride=128):
    if isinstance(documents, str) or not isinstance(documents, (list, tuple)):
        raise TypeError("documents: pass a list of str ([document] for one)")
    if not documents:
        raise ValueError("documents: the list is empty")
    for d in documents:
        if not isinstance(d, str):
            raise TypeError(f"documents: {d!r} is not a str")
    limit = tokenizer.model_max_length
    max_length = limit if max_length is None else _index(max_length, "max_length")
    stride = _index(stride, "stride")
    if max_length not in range(3, limit + 1):
        raise ValueError(f"max_length={max_length}: a window has 3 to {limit} positions")
    if stride not in range(0, max_length - 2):
        raise ValueError(f"stride={stride}: the overlap must be 0 to {max_length - 3} tokens")
    return tokenizer(list(documents), max_length=max_length, stride=stride, truncation=True,
                     return_overflowing_tokens=True, padding=True, return_tensors="pt")


def window_char_span(windows, window):
    count = len(_mapping(windows))
    window = _index(window, "window")
    if window < -count or window >= count:
        raise IndexError(f"window={window}: there are {count} windows")
    encoding = windows.encodings[window]
    spans = [span for span, word in zip(encoding.offsets, encoding.word_ids) if word is not None]
    if not spans:
        return None
    return (min(s for s, _ in spans), max(e for _, e in spans))


def windows_of_char(windows, document, c):
    mapping = _mapping(windows)
    document, c = _index(document, "document"), _index(c, "c")
    count = mapping[-1] + 1
    if document < -count or document >= count:
        raise IndexError(f"document={document}: there are {count} documents")
    if c < 0:
        raise IndexError(f"c={c}: character indices are >= 0")
    document %= count
    found = []
    for k, owner in enumerate(mapping):
        if owner != document:
            continue
        encoding = windows.encodings[k]
        for t, ((start, end), special) in enumerate(zip(encoding.offsets, encoding.special_tokens_mask)):
            if not special and start <= c < end:
                found.append((k, t))
                break
    return found
