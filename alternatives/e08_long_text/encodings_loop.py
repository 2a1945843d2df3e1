"""Loops over windows.encodings beside overflow_to_sample_mapping, and asks each Encoding with token_to_chars and char_to_token.
同时遍历 windows.encodings 和 overflow_to_sample_mapping，用 token_to_chars 和 char_to_token 去问每个 Encoding。
"""

from transformers import BatchEncoding


def _need_int(name, value):
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, not {type(value).__name__}")


def _owners(windows):
    if not (isinstance(windows, BatchEncoding) and windows.encodings and "overflow_to_sample_mapping" in windows):
        raise TypeError("pass the BatchEncoding that sliding_windows returned (it keeps overflow_to_sample_mapping)")
    return windows["overflow_to_sample_mapping"].tolist()


def truncate(tokenizer, text):
    if not isinstance(text, str):
        raise TypeError("text: one str is expected; call truncate once per text")
    return tokenizer(text, truncation=True, max_length=tokenizer.model_max_length, padding=False,
                     return_tensors="pt")


def sliding_windows(tokenizer, documents, max_length=None, stride=128):
    if type(documents) not in (list, tuple):
        raise TypeError("documents must be a list of str; one document is [document]")
    if not documents:
        raise ValueError("documents is empty")
    if any(not isinstance(d, str) for d in documents):
        raise TypeError("documents must hold only str")
    if max_length is None:
        max_length = tokenizer.model_max_length
    _need_int("max_length", max_length)
    _need_int("stride", stride)
    if not 3 <= max_length <= tokenizer.model_max_length:
        raise ValueError(f"max_length {max_length} is outside 3..{tokenizer.model_max_length}")
    if not 0 <= stride <= max_length - 3:
        raise ValueError(f"stride {stride} is outside 0..{max_length - 3} (max_length - 3)")
    return tokenizer(list(documents), truncation="longest_first", max_length=max_length, stride=stride,
                     return_overflowing_tokens=True, padding="longest", return_tensors="pt")


def window_char_span(windows, window):
    owners = _owners(windows)
    _need_int("window", window)
    try:
        encoding = windows.encodings[window] if -len(owners) <= window < len(owners) else None
    except IndexError:
        encoding = None
    if encoding is None:
        raise IndexError(f"window {window} does not exist: {len(owners)} windows")
    chars = [encoding.token_to_chars(t) for t, special in enumerate(encoding.special_tokens_mask) if not special]
    return (chars[0][0], chars[-1][1]) if chars else None


def windows_of_char(windows, document, c):
    owners = _owners(windows)
    _need_int("document", document)
    _need_int("c", c)
    total = owners[-1] + 1
    if not -total <= document < total:
        raise IndexError(f"document {document} does not exist: {total} documents")
    if c < 0:
        raise IndexError("c must not be negative")
    wanted = document % total
    out = []
    for k, (encoding, owner) in enumerate(zip(windows.encodings, owners)):
        t = encoding.char_to_token(c, 0) if owner == wanted else None
        if t is not None:
            out.append((k, t))
    return out
