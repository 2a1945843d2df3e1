"""Loads AutoModelForMaskedLM (BertForMaskedLM) instead of the encoder BertModel."""

EXPECT = "BERT with a head on top"

from bertkata.reference import solution


def load_model(name_or_path):
    from transformers import AutoModelForMaskedLM

    name = solution("e06_load_offline")._check_name(name_or_path)
    try:
        model = AutoModelForMaskedLM.from_pretrained(name, local_files_only=True)
    except OSError as exc:
        raise solution("e06_load_offline")._not_found(name, exc) from exc
    return model.eval()
