"""Raises its own OSError naming the mirror but not `bert-kata model download`, one of the fixes."""

EXPECT = "your OSError leaves out"

from bertkata.reference import solution


def load_model(name_or_path):
    from transformers import BertModel

    name = solution("e06_load_offline")._check_name(name_or_path)
    try:
        model = BertModel.from_pretrained(name, local_files_only=True)
    except OSError as exc:
        raise OSError(f"cannot load {name!r} offline: set HF_ENDPOINT=https://hf-mirror.com and try again") from exc
    return model.eval()
