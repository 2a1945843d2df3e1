"""Compares overflow_to_sample_mapping with a negative document as it is, so document=-1 finds no window."""

from bertkata.reference import solution

EXPECT = "document is Python-style"


def windows_of_char(windows, document, c):
    solution("e08_long_text").windows_of_char(windows, document, c)  # the checks
    found = []
    for window, owner in enumerate(windows["overflow_to_sample_mapping"].tolist()):
        if owner == document:
            t = windows.encodings[window].char_to_token(c)
            if t is not None:
                found.append((window, t))
    return found
