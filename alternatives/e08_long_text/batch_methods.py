"""BatchEncoding's own methods take the window's index: sequence_ids(k) marks the special tokens None, token_to_chars(k, t) and char_to_token(k, c) ask that window's Encoding; convert_to_tensors turns lists into tensors afterwards.
BatchEncoding 自带的方法接受窗口下标：sequence_ids(k) 把特殊 token 标为 None，token_to_chars(k, t) 和 char_to_token(k, c) 去问这个窗口的 Encoding；convert_to_tensors 事后把列表转成张量。
"""

from transformers import BatchEncoding


def _int(value, name):
    if type(value) is not int:
        raise TypeError(f"{name} must be an int, got {type(value).__name__}")
    return value


def _windows(windows):
    if not isinstance(windows, BatchEncoding) or not windows.encodings or "overflow_to_sample_mapping" not in windows:
        raise TypeError("windows must be the BatchEncoding sliding_windows returns "
                        "(with its Encodings and overflow_to_sample_mapping)")
    return windows["overflow_to_sample_mapping"].tolist()


def truncate(tokenizer, text):
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    return tokenizer([text], truncation=True, max_length=tokenizer.model_max_length, return_tensors="pt")


def sliding_windows(tokenizer, documents, max_length=None, stride=128):
    if not isinstance(documents, (list, tuple)):
        raise TypeError(f"documents must be a list of str, got {type(documents).__name__}")
    if len(documents) == 0:
        raise ValueError("documents is empty: give at least one document")
    if not all(isinstance(d, str) for d in documents):
        raise TypeError("every document must be a str")
    if max_length is None:
        max_length = tokenizer.model_max_length
    _int(max_length, "max_length")
    _int(stride, "stride")
    if max_length < 3 or max_length > tokenizer.model_max_length:
        raise ValueError(f"max_length must be from 3 to {tokenizer.model_max_length}, got {max_length}")
    if stride < 0 or stride > max_length - 3:
        raise ValueError(f"stride must be from 0 to max_length - 3 = {max_length - 3}, got {stride}")
    windows = tokenizer(documents, max_length=max_length, stride=stride, truncation=True,
                        return_overflowing_tokens=True, padding="longest")
    windows.convert_to_tensors("pt")
    return windows


def window_char_span(windows, window):
    n = len(_windows(windows))
    _int(window, "window")
    if not -n <= window < n:
        raise IndexError(f"window {window} is out of range for {n} windows")
    window %= n
    real = [t for t, s in enumerate(windows.sequence_ids(window)) if s is not None]
    if not real:
        return None
    return (windows.token_to_chars(window, real[0]).start, windows.token_to_chars(window, real[-1]).end)


def windows_of_char(windows, document, c):
    mapping = _windows(windows)
    _int(document, "document")
    _int(c, "c")
    documents = max(mapping) + 1
    if not -documents <= document < documents:
        raise IndexError(f"document {document} is out of range for {documents} documents")
    if c < 0:
        raise IndexError(f"c must be >= 0, got {c}")
    document %= documents
    pairs = [(k, windows.char_to_token(k, c)) for k, d in enumerate(mapping) if d == document]
    return [(k, t) for k, t in pairs if t is not None]
