"""Calls model.train() after loading ("ready for fine-tuning"), so dropout is on for every forward."""

EXPECT = "returns the model in eval mode"

from bertkata.reference import solution


def load_model(name_or_path):
    from transformers import BertModel

    name = solution("e06_load_offline")._check_name(name_or_path)
    try:
        model = BertModel.from_pretrained(name, local_files_only=True)
    except OSError as exc:
        raise solution("e06_load_offline")._not_found(name, exc) from exc
    model.train()
    return model
