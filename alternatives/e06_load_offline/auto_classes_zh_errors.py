"""AutoTokenizer with use_fast=False, which in transformers 5.x still gives the tokenizers-backed tokenizer, and AutoModel, which reads config.json's model_type and builds a BertModel; the errors are written in Chinese.
AutoTokenizer 加 use_fast=False（在 transformers 5.x 中得到的仍是基于 tokenizers 的分词器），以及 AutoModel（它读取 config.json 的 model_type，构造出 BertModel）；错误消息用中文写。
"""

import os


def _name(name_or_path):
    try:
        name = os.fspath(name_or_path)
    except TypeError:
        raise TypeError(f"name_or_path 应是文件夹路径（str 或 pathlib.Path）或 hub id，收到的是 "
                        f"{type(name_or_path).__name__}") from None
    if not isinstance(name, str):
        raise TypeError(f"name_or_path 应是 str 形式的路径或 hub id，收到的是 {type(name).__name__}")
    if name.strip() == "":
        raise ValueError("name_or_path 为空：请给出文件夹路径或 hub id，例如 'bert-base-chinese'")
    return name


def _missing(name):
    return OSError(f"无法离线加载 {name!r}：本地没有这个文件夹，Hugging Face 缓存中也没有。解决办法：传入存有模型文件的本地文件夹；"
                   "在能访问 hub 的机器上运行 `bert-kata model download`；或在启动 Python 前设置镜像 "
                   "HF_ENDPOINT=https://hf-mirror.com 后下载。")


def load_tokenizer(name_or_path):
    from transformers import AutoTokenizer

    name = _name(name_or_path)
    try:
        return AutoTokenizer.from_pretrained(name, use_fast=False, local_files_only=True)
    except OSError as exc:
        raise _missing(name) from exc


def load_model(name_or_path):
    from transformers import AutoModel

    name = _name(name_or_path)
    try:
        return AutoModel.from_pretrained(name, local_files_only=True).eval()
    except OSError as exc:
        raise _missing(name) from exc
