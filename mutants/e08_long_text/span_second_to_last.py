"""Skips [CLS] and [SEP] by position (offsets[1], offsets[-2]), which is a [PAD] in a padded window."""

from bertkata.reference import solution

EXPECT = "the last window is padded"


def window_char_span(windows, window):
    if solution("e08_long_text").window_char_span(windows, window) is None:  # the checks
        return None
    offsets = windows.encodings[window].offsets
    return (offsets[1][0], offsets[-2][1])
