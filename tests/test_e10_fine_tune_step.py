"""Exercise 10: One fine-tuning step. The tests come first, the diagnosis helpers after them."""

from bertkata import seed
from bertkata.calls import observe

SEED = list(seed.SEED)


def test_train_step_on_the_seed_batch(impl, tokenizer):
    rec = observe("train_step(tokenizer, SEED)", impl.train_step, tokenizer, list(SEED), tokenizer=tokenizer)
    out = rec.result()
    assert out is not None  # replace with what bert-base-chinese really does
