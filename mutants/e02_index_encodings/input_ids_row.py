"""Returns the tensor row batch["input_ids"][i] as if it were the sentence's Encoding."""

from bertkata.reference import solution

EXPECT = "tensor row"
_ref = solution("e02_index_encodings")
tokens_at = _ref.tokens_at
token_char_span = _ref.token_char_span
token_for_char = _ref.token_for_char


def encoding_at(batch, i):
    return batch["input_ids"][i]
