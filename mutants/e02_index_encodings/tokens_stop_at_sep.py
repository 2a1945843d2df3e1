"""Drops the [PAD] tokens, as if a padded sentence's Encoding stopped at [SEP]."""

from bertkata.reference import solution

EXPECT = "keeps its [PAD]"
_ref = solution("e02_index_encodings")
encoding_at = _ref.encoding_at
token_char_span = _ref.token_char_span
token_for_char = _ref.token_for_char


def tokens_at(batch, i):
    encoding = encoding_at(batch, i)
    return [tok for tok, m in zip(encoding.tokens, encoding.attention_mask) if m]
