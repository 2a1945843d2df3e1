"""Takes True and False for ids 1 and 0 (isinstance(True, int) holds)."""

from bertkata.reference import solution

EXPECT = "a bool is not a token id"


def pad_token_ids(id_lists, pad_token_id):
    rows = [[int(t) if isinstance(t, bool) else t for t in r] if isinstance(r, list) else r for r in id_lists]
    return solution("e01_pad_batch").pad_token_ids(rows, pad_token_id)
