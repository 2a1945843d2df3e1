"""Loads without local_files_only=True, so from_pretrained asks huggingface.co before looking in the cache."""

EXPECT = "pass local_files_only=True"

from bertkata.reference import solution


def load_tokenizer(name_or_path):
    from transformers import AutoTokenizer

    name = solution("e06_load_offline")._check_name(name_or_path)
    try:
        return AutoTokenizer.from_pretrained(name)
    except OSError as exc:
        raise solution("e06_load_offline")._not_found(name, exc) from exc


def load_model(name_or_path):
    from transformers import BertModel

    name = solution("e06_load_offline")._check_name(name_or_path)
    try:
        model = BertModel.from_pretrained(name)
    except OSError as exc:
        raise solution("e06_load_offline")._not_found(name, exc) from exc
    return model.eval()
