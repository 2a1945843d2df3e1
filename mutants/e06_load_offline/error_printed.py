"""Catches the OSError, prints the fixes and returns None, so the caller fails later on None."""

EXPECT = "returned None"

from bertkata.reference import solution


def load_tokenizer(name_or_path):
    from transformers import AutoTokenizer

    name = solution("e06_load_offline")._check_name(name_or_path)
    try:
        return AutoTokenizer.from_pretrained(name, local_files_only=True)
    except OSError as exc:
        print(solution("e06_load_offline")._not_found(name, exc))
        return None


def load_model(name_or_path):
    from transformers import BertModel

    name = solution("e06_load_offline")._check_name(name_or_path)
    try:
        return BertModel.from_pretrained(name, local_files_only=True).eval()
    except OSError as exc:
        print(solution("e06_load_offline")._not_found(name, exc))
        return None
