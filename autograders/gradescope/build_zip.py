"""Build the Gradescope autograder zip: the kata as committed, without the reference solutions,
mutants and alternatives (learners' code runs in the same container), with ``setup.sh`` and
``run_autograder`` at the top, where Gradescope looks for them.

    python autograders/gradescope/build_zip.py OUT.zip
"""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LEFT_OUT = ("solutions/", "mutants/", "alternatives/", ".ci/", "bench/", "autograders/")
AT_TOP = ("setup.sh", "run_autograder")


def build(out: Path) -> list[str]:
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    names = [n for n in tracked.decode().split("\0") if n and not n.startswith(LEFT_OUT)]
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in names:
            if (ROOT / name).is_file():
                zf.write(ROOT / name, name)
        for name in AT_TOP:
            info = zipfile.ZipInfo(name)
            info.external_attr = 0o100755 << 16  # executable, as Gradescope runs them
            zf.writestr(info, (ROOT / "autograders" / "gradescope" / name).read_bytes())
    return names


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    print(f"{sys.argv[1]}: {len(build(Path(sys.argv[1])))} files of the kata, plus {', '.join(AT_TOP)}")
