"""Numbers each document's windows from 0 instead of giving their rows in the whole batch."""

from bertkata.reference import solution

EXPECT = "not counted from 0 within the document"


def windows_of_char(windows, document, c):
    solution("e08_long_text").windows_of_char(windows, document, c)  # the checks
    mapping = windows["overflow_to_sample_mapping"].tolist()
    document %= mapping[-1] + 1
    found = []
    own = [w for w, owner in enumerate(mapping) if owner == document]
    for k, window in enumerate(own):
        t = windows.encodings[window].char_to_token(c)
        if t is not None:
            found.append((k, t))
    return found
