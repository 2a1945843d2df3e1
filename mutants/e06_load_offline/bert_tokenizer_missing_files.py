"""Loads with BertTokenizerFast.from_pretrained, which in transformers 5.x returns a 5-token tokenizer instead of raising when the files are not there."""

EXPECT = "builds a 5-token tokenizer of the special tokens"

from bertkata.reference import solution


def load_tokenizer(name_or_path):
    from transformers import BertTokenizerFast

    name = solution("e06_load_offline")._check_name(name_or_path)
    try:
        return BertTokenizerFast.from_pretrained(name, local_files_only=True)
    except OSError as exc:
        raise solution("e06_load_offline")._not_found(name, exc) from exc
