"""Exercise 06: Load it offline. The tests come first, the diagnosis helpers after them."""

from bertkata import seed
from bertkata.calls import observe

SEED = list(seed.SEED)


def test_load_bert_on_the_seed_batch(impl, tokenizer):
    rec = observe("load_bert(tokenizer, SEED)", impl.load_bert, tokenizer, list(SEED), tokenizer=tokenizer)
    out = rec.result()
    assert out is not None  # replace with what bert-base-chinese really does
