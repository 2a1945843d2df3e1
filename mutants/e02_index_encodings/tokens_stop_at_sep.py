"""Drops the [PAD] tokens, as if a padded sentence's Encoding stopped at [SEP]."""

EXPECT = "keeps its [PAD]"


def tokens_at(batch, i):
    encoding = encoding_at(batch, i)
    return [tok for tok, m in zip(encoding.tokens, encoding.attention_mask) if m]
