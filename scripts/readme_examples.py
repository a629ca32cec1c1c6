"""Refresh the example output in README.md by running each `$ painref ...` command shown there.

    python scripts/readme_examples.py [--check]

Each ```console block whose first line is `$ painref ...` (and has no `#` comment) gets the
command's real output at 80 columns; a block may keep only its first N lines with a trailing
`...` line, which is kept. With --check, nothing is written and the exit status says whether
the README is current.
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"
BLOCK = re.compile(r"```console\n\$ (painref [^\n#]*)\n(.*?)```", re.S)


def run(command: str) -> str:
    env = {**os.environ, "COLUMNS": "80", "NO_COLOR": "1"}
    env.pop("PAINREF_CATALOG", None)
    result = subprocess.run(shlex.split(command), capture_output=True, text=True, env=env, check=False)
    return result.stdout + result.stderr


def refresh(text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        command, old = match.group(1).strip(), match.group(2)
        output = run(command).rstrip("\n")
        old_lines = old.rstrip("\n").split("\n")
        if old_lines and old_lines[-1] == "...":
            output = "\n".join([*output.split("\n")[: len(old_lines) - 1], "..."])
        return f"```console\n$ {command}\n{output}\n```"

    return BLOCK.sub(replace, text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="only report whether the README is current")
    args = parser.parse_args()
    text = README.read_text(encoding="utf-8")
    fresh = refresh(text)
    if args.check:
        sys.exit(0 if fresh == text else "README examples are out of date: run python scripts/readme_examples.py")
    README.write_text(fresh, encoding="utf-8")


if __name__ == "__main__":
    main()
