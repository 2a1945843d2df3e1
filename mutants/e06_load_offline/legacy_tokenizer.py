"""Loads BertTokenizerLegacy, the pure-Python tokenizer (is_fast False, no tokenizers.Encoding), for "the slow one"."""

EXPECT = "pure-Python tokenizer"

from bertkata.reference import solution


def load_tokenizer(name_or_path):
    from transformers import BertTokenizerLegacy

    name = solution("e06_load_offline")._check_name(name_or_path)
    try:
        return BertTokenizerLegacy.from_pretrained(name, local_files_only=True)
    except OSError as exc:
        raise solution("e06_load_offline")._not_found(name, exc) from exc
