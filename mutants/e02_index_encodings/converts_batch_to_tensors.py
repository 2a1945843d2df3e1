"""Calls batch.convert_to_tensors("pt") first, converting the caller's list batch in place."""

from bertkata.reference import solution

EXPECT = "converts the caller's batch in place"


def encoding_at(batch, i):
    if hasattr(batch, "convert_to_tensors"):
        batch.convert_to_tensors("pt")
    return solution("e02_index_encodings").encoding_at(batch, i)
