"""The terminal: a Console that never interprets catalogue text, the pager, and messages on stderr."""

from __future__ import annotations

import re
import sys
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from rich.console import Console


class Color(StrEnum):
    """--color: auto follows the terminal, NO_COLOR and FORCE_COLOR; always and never override them."""

    AUTO = "auto"
    ALWAYS = "always"
    NEVER = "never"


# Terminal control characters (C0 but newline and tab, DEL, C1) and invisible direction overrides:
# catalogue text is data, so these are shown as escapes rather than sent to the terminal.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def clean(text: str) -> str:
    """Text safe for a terminal: control characters become visible escapes like \\x1b."""
    return _CONTROL.sub(
        lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}", text
    )


def make_console(file: TextIO | None = None, *, width: int | None = None, color: Color = Color.AUTO) -> Console:
    """A Console that never interprets catalogue text as markup, emoji or highlightable reprs."""
    from rich.console import Console

    options: dict[str, Any] = {}
    if color is Color.ALWAYS:
        # Basic colours and styles even where TERM says "dumb" or output is not a terminal.
        options = {"force_terminal": True, "no_color": False, "color_system": "standard"}
    elif color is Color.NEVER:
        options = {"color_system": None}
    return Console(file=file, width=width, highlight=False, emoji=False, markup=False, soft_wrap=False, **options)


def pager_command(env: dict[str, str] | None = None) -> list[str]:
    """PAINREF_PAGER, else PAGER, else less; an empty PAINREF_PAGER turns paging off."""
    import os
    import shlex

    environ = os.environ if env is None else env
    chosen = environ.get("PAINREF_PAGER", environ.get("PAGER", "less"))
    try:
        return shlex.split(chosen)
    except ValueError:
        return []


def page_through(text: str, argv: list[str]) -> bool:
    """Show text through the pager; False if it could not be started (then print it instead)."""
    import os
    import subprocess

    env = dict(os.environ)
    # less: quit at once if it fits, keep colours, leave the text on screen afterwards.
    env.setdefault("LESS", "FRX")
    try:
        process = subprocess.Popen(argv, stdin=subprocess.PIPE, env=env, encoding="utf-8", errors="replace")
    except OSError:
        return False
    assert process.stdin is not None
    try:
        process.stdin.write(text)
        process.stdin.close()
    except BrokenPipeError:
        pass  # the reader quit the pager early
    process.wait()
    return True


def error(message: str, stream: TextIO | None = None) -> None:
    """One sentence on stderr, prefixed with the program's name."""
    (stream or sys.stderr).write(f"painref: {clean(message)}\n")
