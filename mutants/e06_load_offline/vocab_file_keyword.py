"""Builds the tokenizer with BertTokenizer(vocab_file=...), which transformers 5.x ignores: a 5-token vocabulary."""

EXPECT = "ignores vocab_file"

from bertkata.reference import solution


def load_tokenizer(name_or_path):
    import os

    from huggingface_hub import snapshot_download
    from transformers import BertTokenizer

    name = solution("e06_load_offline")._check_name(name_or_path)
    try:
        folder = name if os.path.isdir(name) else snapshot_download(name, local_files_only=True)
    except Exception as exc:
        raise solution("e06_load_offline")._not_found(name, exc) from exc
    return BertTokenizer(vocab_file=os.path.join(folder, "vocab.txt"), do_lower_case=False)
