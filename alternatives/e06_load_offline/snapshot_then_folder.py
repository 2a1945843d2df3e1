"""A hub id is first turned into its snapshot folder with huggingface_hub.snapshot_download(local_files_only=True), which raises LocalEntryNotFoundError when it is not cached; then everything loads from a folder.
hub id 先用 huggingface_hub.snapshot_download(local_files_only=True) 变成缓存中的快照文件夹（不在缓存中时抛 LocalEntryNotFoundError）；然后一律从文件夹加载。
"""

import os
from pathlib import Path

FIXES = ("set HF_ENDPOINT=https://hf-mirror.com before starting Python and download it, run `bert-kata model download` "
         "where huggingface.co can be reached, or pass the folder that holds config.json, vocab.txt and the weights")


def _folder(name_or_path) -> str:
    if not isinstance(name_or_path, (str, os.PathLike)):
        raise TypeError(f"expected a folder (str or Path) or a hub id, got {type(name_or_path).__name__}")
    name = os.fspath(name_or_path)
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"expected a folder or a hub id, got {name!r}")
    if Path(name).is_dir():
        return name
    from huggingface_hub import snapshot_download

    try:
        return snapshot_download(name, local_files_only=True)
    except (OSError, ValueError) as exc:  # not cached (LocalEntryNotFoundError), or not a valid id
        raise FileNotFoundError(f"{name!r} is neither a folder nor in the Hugging Face cache ({exc.__class__.__name__}); "
                                f"to get it: {FIXES}") from exc


def load_tokenizer(name_or_path):
    from transformers import BertTokenizer

    return BertTokenizer.from_pretrained(_folder(name_or_path))


def load_model(name_or_path):
    from transformers import BertModel

    model = BertModel.from_pretrained(_folder(name_or_path))
    model.eval()
    return model
