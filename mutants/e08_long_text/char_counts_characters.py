"""Counts characters as tokens: t = c - the window's first character + 1 when c is in the window's span."""

from bertkata.reference import solution

EXPECT = "no token covers this character"


def windows_of_char(windows, document, c):
    sol = solution("e08_long_text")
    sol.windows_of_char(windows, document, c)  # the checks
    mapping = windows["overflow_to_sample_mapping"].tolist()
    document %= mapping[-1] + 1
    found = []
    for window, owner in enumerate(mapping):
        span = sol.window_char_span(windows, window)
        if owner == document and span is not None and span[0] <= c < span[1]:
            found.append((window, c - span[0] + 1))
    return found
