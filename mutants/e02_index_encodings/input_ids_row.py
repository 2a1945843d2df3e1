"""Returns the tensor row batch["input_ids"][i] as if it were the sentence's Encoding."""

EXPECT = "tensor row"


def encoding_at(batch, i):
    return batch["input_ids"][i]
