"""Takes the span from the first and last offsets of the row, which belong to [CLS] and [SEP] or [PAD]: (0, 0)."""

from bertkata.reference import solution

EXPECT = "[CLS], [SEP] and [PAD] have offsets (0, 0)"


def window_char_span(windows, window):
    solution("e08_long_text").window_char_span(windows, window)  # the checks
    offsets = windows.encodings[window].offsets
    return (offsets[0][0], offsets[-1][1])
