"""Exercise 08: Long text. The tests come first, the diagnosis helpers after them."""

from bertkata import seed
from bertkata.calls import observe

SEED = list(seed.SEED)


def test_sliding_windows_on_the_seed_batch(impl, tokenizer):
    rec = observe("sliding_windows(tokenizer, SEED)", impl.sliding_windows, tokenizer, list(SEED), tokenizer=tokenizer)
    out = rec.result()
    assert out is not None  # replace with what bert-base-chinese really does
