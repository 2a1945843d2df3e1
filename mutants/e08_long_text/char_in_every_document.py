"""Looks in every window, whichever document it belongs to."""

from bertkata.reference import solution

EXPECT = "is a window of another document"


def windows_of_char(windows, document, c):
    solution("e08_long_text").windows_of_char(windows, document, c)  # the checks
    found = []
    for window, encoding in enumerate(windows.encodings):
        t = encoding.char_to_token(c)
        if t is not None:
            found.append((window, t))
    return found
