"""Make a learner's stub from a reference solution.

A solution marks what the learner writes::

    # BEGIN SOLUTION: <what to do, shown to the learner as a TODO>
    ...
    # END SOLUTION

Inside a function the region becomes ``# TODO`` plus a ``NotImplementedError``
naming the exercise and function; at the top level it is dropped. So
``exercises/`` is derived from ``solutions/`` (``bert-kata stubs``) and
``bert-kata reset`` can always rebuild a stub.
"""

from __future__ import annotations

import re
from pathlib import Path

BEGIN = re.compile(r"^(?P<indent>\s*)# BEGIN SOLUTION(?::\s*(?P<todo>.*))?$")
END = re.compile(r"^\s*# END SOLUTION\s*$")
DEF = re.compile(r"^\s*def (?P<name>\w+)\(")


class StubError(ValueError):
    pass


def make_stub(source: str, module: str, number: int) -> str:
    """The stub text for a solution's ``source``."""
    out: list[str] = []
    current_def = None
    inside = False
    for lineno, line in enumerate(source.splitlines(), 1):
        if inside:
            if END.match(line):
                inside = False
            continue
        m = BEGIN.match(line)
        if m:
            inside = True
            indent = m.group("indent")
            if indent and current_def:
                todo = m.group("todo") or "write this function"
                out.append(f"{indent}# TODO: {todo}")
                out.append(f'{indent}raise NotImplementedError(')
                out.append(f'{indent}    "{module}.{current_def} is not written yet: '
                           f'see its docstring, then `bert-kata hint {number}`"')
                out.append(f"{indent})")
            continue
        if END.match(line):
            raise StubError(f"line {lineno}: END SOLUTION without BEGIN SOLUTION")
        d = DEF.match(line)
        if d and not line.startswith((" ", "\t")):
            current_def = d.group("name")
        out.append(line)
    if inside:
        raise StubError("BEGIN SOLUTION without END SOLUTION")
    text = "\n".join(out) + "\n"
    return re.sub(r"\n{4,}", "\n\n\n", text)


def stub_for(root: Path, module: str, number: int) -> str:
    return make_stub((root / "solutions" / f"{module}.py").read_text(encoding="utf-8"), module, number)
