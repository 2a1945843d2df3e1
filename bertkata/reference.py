"""The reference solutions, for mutants and comparisons: ``solution("e01_pad_batch")``."""

from __future__ import annotations

from types import ModuleType

from bertkata.impl import load, project_root


def solution(name: str) -> ModuleType:
    """The module ``solutions/<name>.py`` of this kata."""
    return load(project_root() / "solutions", name)


# A mutant or alternative holds only the functions it changes; the rest come from the solution.
PRELUDE = '''from bertkata.reference import solution as _kata_solution

globals().update({{_n: getattr(_kata_solution({name!r}), _n) for _n in {functions!r}}})
'''


def laid_over(name: str, functions, text: str) -> str:
    """A whole exercise module: ``text`` (a mutant or alternative) over the solution's ``functions``."""
    return PRELUDE.format(name=name, functions=tuple(functions)) + "\n" + text


def standalone(name: str, text: str) -> str:
    """A whole exercise module as a learner hands it in: the solution's text with ``text``'s imports and
    functions (a mutant or alternative) written over it. Unlike :func:`laid_over` it never imports the solutions, which a
    grading sandbox hides; a ``solution(name).f`` inside those functions becomes the solution's own ``f``."""
    import ast
    import re

    body = ast.parse(text).body
    imports = "\n".join(ast.get_source_segment(text, node) for node in body
                        if isinstance(node, (ast.Import, ast.ImportFrom)) and "bertkata.reference" not in
                        ast.get_source_segment(text, node))
    lines = text.splitlines()
    defs = "\n\n".join("\n".join(lines[min([n.lineno for n in node.decorator_list] + [node.lineno]) - 1:node.end_lineno])
                        for node in body if isinstance(node, ast.FunctionDef))  # with its decorators
    pattern = rf"""solution\(["']{name}["']\)\.(\w+)"""
    kept = "".join(f"_solution_{f} = {f}\n" for f in sorted(set(re.findall(pattern, defs))))
    defs = re.sub(pattern, r"_solution_\1", defs)
    solution_text = (project_root() / "solutions" / f"{name}.py").read_text(encoding="utf-8")
    return f"{solution_text}\n\n{imports}\n{kept}\n\n{defs}\n"
