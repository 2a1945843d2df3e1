"""Builds BertModel(config) from the folder's config.json: the right architecture with new random weights."""

EXPECT = "new random weights"

from bertkata.reference import solution


def load_model(name_or_path):
    from transformers import BertConfig, BertModel

    name = solution("e06_load_offline")._check_name(name_or_path)
    try:
        config = BertConfig.from_pretrained(name, local_files_only=True)
    except OSError as exc:
        raise solution("e06_load_offline")._not_found(name, exc) from exc
    return BertModel(config).eval()
