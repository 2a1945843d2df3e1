"""Exercise 07: Sentence pairs. The tests come first, the diagnosis helpers after them."""

from bertkata import seed
from bertkata.calls import observe

SEED = list(seed.SEED)


def test_encode_pair_on_the_seed_batch(impl, tokenizer):
    rec = observe("encode_pair(tokenizer, SEED)", impl.encode_pair, tokenizer, list(SEED), tokenizer=tokenizer)
    out = rec.result()
    assert out is not None  # replace with what bert-base-chinese really does
