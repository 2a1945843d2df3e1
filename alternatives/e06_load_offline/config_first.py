"""AutoConfig.from_pretrained first, which raises OSError when the model is not there; then BertTokenizerFast (the same class as BertTokenizer in 5.x, which alone would build a 5-token tokenizer from missing files) and BertModel with that config, returned without a model.eval() call: from_pretrained already puts it in eval mode.
先调用 AutoConfig.from_pretrained：模型不在本地时它抛 OSError；然后加载 BertTokenizerFast（在 5.x 中与 BertTokenizer 是同一个类，单独使用时会从缺失的文件建出 5 个 token 的分词器）和使用该 config 的 BertModel，不调用 model.eval()：from_pretrained 已经让它处于 eval 模式。
"""

import os


def _config(name_or_path):
    if isinstance(name_or_path, os.PathLike):
        name_or_path = str(name_or_path)
    if type(name_or_path) is not str:
        raise TypeError("name_or_path: pass a folder path or a hub id like 'bert-base-chinese', "
                        f"not {name_or_path!r}")
    if not name_or_path.strip():
        raise ValueError("name_or_path is blank; pass a folder path or a hub id like 'bert-base-chinese'")
    from transformers import AutoConfig

    try:
        return name_or_path, AutoConfig.from_pretrained(name_or_path, local_files_only=True)
    except OSError as exc:
        raise OSError(f"{name_or_path!r} is not available offline. Either point at a local copy (a folder), or "
                      "fetch it once: `bert-kata model download`, or via the mirror with "
                      f"HF_ENDPOINT=https://hf-mirror.com [{exc.__class__.__name__}]") from None


def load_tokenizer(name_or_path):
    from transformers import BertTokenizerFast

    name, _ = _config(name_or_path)
    return BertTokenizerFast.from_pretrained(name, local_files_only=True)


def load_model(name_or_path):
    from transformers import BertModel

    name, config = _config(name_or_path)
    return BertModel.from_pretrained(name, config=config, local_files_only=True)
