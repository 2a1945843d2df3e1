"""Lets the library's OSError through, which says only "check your internet connection", not the fixes."""

EXPECT = "the library's message says only to check the connection"

from bertkata.reference import solution


def load_tokenizer(name_or_path):
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(solution("e06_load_offline")._check_name(name_or_path), local_files_only=True)


def load_model(name_or_path):
    from transformers import BertModel

    return BertModel.from_pretrained(solution("e06_load_offline")._check_name(name_or_path), local_files_only=True).eval()
