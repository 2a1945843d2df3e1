"""Sets os.environ["HF_HUB_OFFLINE"] = "1" inside the function, after huggingface_hub has read it, instead of local_files_only=True."""

EXPECT = "too late"

from bertkata.reference import solution


def load_tokenizer(name_or_path):
    import os

    from transformers import AutoTokenizer

    os.environ["HF_HUB_OFFLINE"] = "1"
    name = solution("e06_load_offline")._check_name(name_or_path)
    try:
        return AutoTokenizer.from_pretrained(name)
    except OSError as exc:
        raise solution("e06_load_offline")._not_found(name, exc) from exc


def load_model(name_or_path):
    import os

    from transformers import BertModel

    os.environ["HF_HUB_OFFLINE"] = "1"
    name = solution("e06_load_offline")._check_name(name_or_path)
    try:
        model = BertModel.from_pretrained(name)
    except OSError as exc:
        raise solution("e06_load_offline")._not_found(name, exc) from exc
    return model.eval()
