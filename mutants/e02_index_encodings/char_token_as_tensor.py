"""Finds the covering token with tensor arithmetic on the offsets and returns a 0-d tensor, not an int."""

import torch

EXPECT = "plain Python int"


def token_for_char(batch, i, c):
    encoding = encoding_at(batch, i)
    if isinstance(c, bool) or not isinstance(c, int):
        raise TypeError(f"c is {c!r}, expected an int")
    if c < 0:
        raise IndexError(f"c={c} is negative: character indices start at 0")
    offsets = torch.tensor(encoding.offsets)
    real = torch.tensor(encoding.special_tokens_mask) == 0
    hits = ((offsets[:, 0] <= c) & (c < offsets[:, 1]) & real).nonzero()
    return hits[0, 0] if len(hits) else None
