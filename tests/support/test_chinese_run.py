"""A learner whose locale is Chinese works exercise 03 from `check` to `hint` to `watch` to a failure,
and reads no English but code and identifiers."""

import ast
import re
import signal
import subprocess
import sys

from bertkata import catalog
from bertkata.impl import project_root
from bertkata.reference import standalone
from tests.support.helpers import WatchProcess, child_env

ROOT = project_root()
E03 = catalog.by_number(3)
CHINESE = {"LANG": "zh_CN.UTF-8", "LC_ALL": "", "LC_MESSAGES": "", "BERT_KATA_LANG": "", "NO_COLOR": "1"}
# Words that are code wherever they appear: the libraries' names, Python's, the kata's commands
CODE_WORDS = {
    "bert", "kata", "check", "watch", "hint", "show", "list", "reset", "solution", "lang", "zh", "en",
    "torch", "nn", "transformers", "tokenizers", "pytest", "python", "py", "pt", "eval", "train", "training",
    "no", "grad", "Dropout", "dropout", "True", "False", "None", "int", "float", "str", "dict", "list", "tuple",
    "BertModel", "BertTokenizer", "BatchEncoding", "Encoding", "Tensor", "Module", "PyTorch", "CLS", "SEP", "PAD",
    "UNK", "TypeError", "ValueError", "AttributeError", "KeyError", "IndexError", "RuntimeError", "Ctrl", "batch",
    "model", "tokenizer", "encode", "exercises", "solutions", "tests", "TODO", "dtype", "long", "shape", "tensor",
    "id", "ids", "mask", "forward", "backward", "requires", "output", "outputs", "with", "return", "self", "def",
    "if", "not", "is", "in", "and", "or", "for", "import", "from", "as", "raise", "BaseModelOutputWithPoolingAndCrossAttentions",
    "ModelOutput", "size", "get", "keys", "items", "pooler", "hidden", "state", "last", "input", "token", "type",
    "attention", "inference", "mode", "set", "enabled", "bool", "vocab", "config", "max", "position",
    "embeddings", "cpu", "s", "x", "e", "i", "t", "n", "tokens", "offsets", "hub",
}


def identifiers() -> set[str]:
    """Every name in the exercise's module, its solution and alternatives, and its tests' code."""
    names = set(CODE_WORDS)
    # `list` shows every exercise: the names of every solution are identifiers too
    files = [*sorted((ROOT / "solutions").glob("e[0-9][0-9]_*.py")), ROOT / "exercises" / f"{E03.name}.py",
             ROOT / E03.test_file, *sorted((ROOT / "alternatives" / E03.name).glob("*.py"))]
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Name):
                names.add(node.id)
            elif isinstance(node, ast.Attribute):
                names.add(node.attr)
            elif isinstance(node, (ast.FunctionDef, ast.arg)):
                names.add(getattr(node, "name", None) or node.arg)
            elif isinstance(node, ast.keyword) and node.arg:  # local_files_only=True
                names.add(node.arg)
            elif isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.isidentifier():
                names.add(node.value)  # a key: batch["overflow_to_sample_mapping"]
    return {n for name in names for n in (name, *name.split("_"))}


def english_words(text: str, known: set[str]) -> list[str]:
    """English prose left in ``text``: words outside `code`, paths, calls, reprs and identifiers."""
    text = re.sub(r"`[^`]*`", " ", text)  # code spans
    text = re.sub(r"[（，][A-Za-z][A-Za-z -]*）", "）", text)  # a field term's English name glossed: 截断（truncation）
    text = re.sub(r"\S*[/\\]\S*", " ", text)  # paths
    text = re.sub(r"'[^'\n]*'|\"[^\"\n]*\"", " ", text)  # quoted values, reprs
    text = re.sub(r"\b\w+(?:\.\w+)+(?:\(\))?", " ", text)  # dotted names: model.eval(), torch.no_grad
    text = re.sub(r"\b\w+\([^()\n]*\)", " ", text)  # calls
    text = re.sub(r"\[[^\]\n]*\]", " ", text)  # [CLS], shapes, lists
    words = re.findall(r"[A-Za-z][A-Za-z']+", text)
    return [w for w in words if w not in known and w.lower() not in known and not re.search(r"[A-Z].*[A-Z]", w)]


def run(project, *args: str) -> str:
    proc = subprocess.run([sys.executable, "-m", "bertkata", *args], cwd=project,
                          env={**child_env(project), **CHINESE}, capture_output=True, text=True, timeout=600)
    return proc.stdout + proc.stderr


def test_a_chinese_learner_reads_chinese_from_check_to_a_failure(project):
    known = identifiers()
    seen = {"check (not started)": run(project, "check", "3"), "hint": run(project, "hint", "3"),
            "list": run(project, "list"), "show": run(project, "show", "3")}
    assert "练习 03" in seen["hint"] and "提示 1/" in seen["hint"] and "下一步" in seen["check (not started)"]
    # a wrong answer: dropout left on (no model.eval())
    mutant = (ROOT / "mutants" / E03.name / "no_eval.py").read_text(encoding="utf-8")
    target = project / "exercises" / f"{E03.name}.py"
    w = WatchProcess(project, "3", "--only", env=CHINESE)
    try:
        w.until(r"正在监视")
        target.write_text(standalone(E03.name, mutant), encoding="utf-8")
        w.until(r"^03 模型前向计算：")
        w.until(r"正在监视")
    finally:
        w.proc.send_signal(signal.SIGINT)
        w.proc.wait(timeout=30)
    seen["watch"] = "\n".join(w.seen)
    assert "可能的错误：" in seen["watch"], seen["watch"]
    seen["check (a failure)"] = run(project, "check", "3")
    assert "第一个失败的测试" in seen["check (a failure)"]
    english = {step: english_words(text, known) for step, text in seen.items()}
    assert not any(english.values()), "\n\n".join(f"{step}: {words}\n{seen[step]}"
                                                 for step, words in english.items() if words)
