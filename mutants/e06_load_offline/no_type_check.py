"""Passes any name straight to from_pretrained, so None or a number fails deep in transformers without saying what to pass."""

EXPECT = "check the argument first"


def load_tokenizer(name_or_path):
    from transformers import AutoTokenizer

    try:
        return AutoTokenizer.from_pretrained(name_or_path, local_files_only=True)
    except OSError as exc:
        raise OSError(f"cannot load {name_or_path!r} offline. Fixes: a local folder; `bert-kata model download`; "
                      "or HF_ENDPOINT=https://hf-mirror.com before Python starts") from exc


def load_model(name_or_path):
    from transformers import BertModel

    try:
        return BertModel.from_pretrained(name_or_path, local_files_only=True).eval()
    except OSError as exc:
        raise OSError(f"cannot load {name_or_path!r} offline. Fixes: a local folder; `bert-kata model download`; "
                      "or HF_ENDPOINT=https://hf-mirror.com before Python starts") from exc
