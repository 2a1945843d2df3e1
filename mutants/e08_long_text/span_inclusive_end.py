"""Returns the last character's index as end, an inclusive end, not the exclusive end of a slice."""

from bertkata.reference import solution

EXPECT = "end is exclusive"


def window_char_span(windows, window):
    span = solution("e08_long_text").window_char_span(windows, window)
    return None if span is None else (span[0], span[1] - 1)
