"""What the tests of the learner's commands share: the environment of a child process, and a
running `bert-kata watch` read line by line."""

import os
import queue
import re
import subprocess
import sys
import threading
import time
from pathlib import Path


def child_env(root: Path) -> dict:
    env = {**os.environ, "KATA_ROOT": str(root), "PYTHONUNBUFFERED": "1", "HF_HUB_OFFLINE": "1", "COLUMNS": "200"}
    env.pop("NO_COLOR", None)
    return env


class WatchProcess:
    def __init__(self, root: Path, *args: str, env: dict | None = None):
        self.proc = subprocess.Popen([sys.executable, "-m", "bertkata", "watch", *args], cwd=root,
                                     env={**child_env(root), "NO_COLOR": "1", **(env or {})}, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, text=True, bufsize=1)
        self.lines: queue.Queue = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def until(self, pattern: str, timeout: float = 90) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.2)
            except queue.Empty:
                continue
            if line is None:
                break
            self.seen.append(line)
            if re.search(pattern, line):
                return line
        raise AssertionError(f"no line matching {pattern!r}; watch printed:\n" + "\n".join(self.seen))
