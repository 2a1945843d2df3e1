"""Exercise 06: load it offline.

The first lines of every notebook load the tokenizer and the model with
``from_pretrained``. Given a folder, it reads the files there; given a hub id
(``"bert-base-chinese"``, ``"google-bert/bert-base-chinese"``), it looks in the
Hugging Face cache (``~/.cache/huggingface/hub/models--google-bert--bert-base-chinese/
snapshots/<commit>/``) and, unless told otherwise, asks huggingface.co first.
When the files are not there and the hub cannot be reached (a firewall, no
network), that ends in ``OSError: We couldn't connect to 'https://huggingface.co'``.
``local_files_only=True`` makes it read the folder or the cache and ask no one.
``from_pretrained`` hands back a model in eval mode, with its ``config``; in
transformers 5.x ``AutoTokenizer`` gives a tokenizers-backed tokenizer
(``is_fast`` True) even with ``use_fast=False``.

练习 06：离线加载。每个笔记本的前几行都用 from_pretrained 加载分词器和模型。给它一个文件夹，
它就读那里的文件；给它一个 hub id（"bert-base-chinese"、"google-bert/bert-base-chinese"），
它会在 Hugging Face 缓存（~/.cache/huggingface/hub/models--google-bert--bert-base-chinese/snapshots/<commit>/）
中查找，而且默认先去询问 huggingface.co。文件不在本地、又连不上 hub（防火墙、没有网络）时，
得到 OSError: We couldn't connect to 'https://huggingface.co'。local_files_only=True 让它只读文件夹或缓存，
不访问网络。from_pretrained 返回的模型处于评估（eval）模式，并带有 config；在 transformers 5.x 中，
即使传 use_fast=False，AutoTokenizer 给出的也是基于 tokenizers 的分词器（is_fast 为 True）。
"""

from __future__ import annotations

import os


def load_tokenizer(name_or_path):
    """bert-base-chinese's tokenizer, from a folder or the Hugging Face cache, never the network.

    Loads with ``AutoTokenizer.from_pretrained(name_or_path, local_files_only=True)``:
    a folder's files are read as they are; a hub id is looked up in the Hugging
    Face cache only (``huggingface_hub``'s ``HF_HUB_CACHE``), with no request
    to huggingface.co. Environment variables are left as they were: ``HF_HUB_OFFLINE`` set from inside a running program is
    read too late, since huggingface_hub reads it once, when it is imported.

    Args:
        name_or_path: a folder (``str`` or ``pathlib.Path``) holding
            ``tokenizer_config.json`` and ``vocab.txt``, or a hub id such as
            ``"bert-base-chinese"`` or ``"google-bert/bert-base-chinese"``.

    Returns:
        The tokenizer ``from_pretrained`` returns: tokenizers-backed
        (``is_fast`` True, so ``batch[i]`` is a ``tokenizers.Encoding``), with
        all 21128 entries of bert-base-chinese's vocabulary ([CLS] is id 101,
        [PAD] id 0). In transformers 5.x ``use_fast=False`` changes nothing
        here; only ``BertTokenizerLegacy`` is pure Python (``is_fast`` False),
        and ``BertTokenizer(vocab_file=...)`` ignores the file and builds a
        5-token vocabulary. ``BertTokenizer.from_pretrained`` (``BertTokenizerFast``
        is the same class) builds that 5-token vocabulary too, without an error,
        when the files are not there; ``AutoTokenizer`` raises ``OSError``.

    Raises:
        TypeError: ``name_or_path`` is not a ``str`` or a path.
        ValueError: ``name_or_path`` is empty or only whitespace.
        OSError: neither a folder nor in the cache; the message names
            ``name_or_path`` and the fixes: a local folder, ``bert-kata model
            download``, or the mirror ``HF_ENDPOINT=https://hf-mirror.com``.
    """
    # TODO: check the name, load with local_files_only=True, turn OSError into one that names the fixes
    raise NotImplementedError(
        "e06_load_offline.load_tokenizer is not written yet: see its docstring, then `bert-kata hint 6`"
    )


def load_model(name_or_path):
    """bert-base-chinese's ``BertModel`` with its pretrained weights, from a folder or the cache, never the network.

    Loads with ``BertModel.from_pretrained(name_or_path, local_files_only=True)``,
    which reads the weights from ``model.safetensors`` (``BertModel(config)``
    would draw new random ones) and returns the model in eval mode (dropout
    off; ``model.train()`` is for fine-tuning). Like :func:`load_tokenizer`, it
    reads a folder or the Hugging Face cache and asks huggingface.co for
    nothing, and leaves environment variables as they were.

    Args:
        name_or_path: a folder (``str`` or ``pathlib.Path``) holding
            ``config.json`` and ``model.safetensors``, or a hub id such as
            ``"bert-base-chinese"``.

    Returns:
        A ``transformers.BertModel`` (not ``BertForMaskedLM`` or another head)
        in eval mode, every submodule included, with ``model.config`` read from
        ``config.json`` (12 layers, hidden 768, vocab 21128) and every weight
        as stored, float32.

    Raises:
        TypeError: ``name_or_path`` is not a ``str`` or a path.
        ValueError: ``name_or_path`` is empty or only whitespace.
        OSError: neither a folder nor in the cache; the message names
            ``name_or_path`` and the fixes, as :func:`load_tokenizer`'s does.
    """
    # TODO: check the name, BertModel.from_pretrained with local_files_only=True, eval mode, the same OSError
    raise NotImplementedError(
        "e06_load_offline.load_model is not written yet: see its docstring, then `bert-kata hint 6`"
    )
