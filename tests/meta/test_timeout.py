"""A learner's endless loop fails its tests with a clear message; it never hangs the run,
not even inside a hypothesis property (which replays a failing example)."""

from bertkata import catalog
from bertkata.runner import run

LOOP = '''
from bertkata.reference import solution

pad_token_ids = solution("e01_pad_batch").pad_token_ids


def tokenize_batch(tokenizer, sentences):
    while True:
        pass
'''


def test_an_endless_loop_times_out_with_a_message(tmp_path):
    (tmp_path / "e01_pad_batch.py").write_text(LOOP, encoding="utf-8")
    [result] = run([catalog.by_number(1)], tmp_path, extra_args=(
        "--timeout=2", "-k", "seed_batch_is_padded or matches_the_tokenizers_own_padding"))
    assert result.total == 2 and result.passed == 0
    for failure in result.failures:
        assert "endless loop" in failure.message and "e01_pad_batch.py" in failure.message, failure.message
