"""The terminal: a Console that never interprets catalogue text, the pager, and messages on stderr."""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from rich.console import Console


class Color(StrEnum):
    """--color: auto follows the terminal, NO_COLOR and FORCE_COLOR; always and never override them."""

    AUTO = "auto"
    ALWAYS = "always"
    NEVER = "never"


# What catalogue text, file names and arguments never send to a terminal raw: C0 controls but
# newline and tab, DEL and C1 (which start escape, CSI and OSC sequences such as OSC 52 clipboard
# writes and OSC 8 links), the bidi embeddings, overrides and isolates and the Arabic letter mark
# (text that reads differently than it runs), and invisible format characters: zero-width
# characters, the word joiner and invisible operators, the soft hyphen, line and paragraph
# separators, the byte-order mark, interlinear annotations and tag characters.
UNSAFE_CHARACTERS = (
    "\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064"
    "\u2066-\u206f\ufeff\ufff9-\ufffb\U000e0000-\U000e007f"
)
_UNSAFE = re.compile(f"[{UNSAFE_CHARACTERS}]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def clean(text: str) -> str:
    """Text safe for a terminal: every unsafe character becomes a visible escape like \\x1b or \\u202e.

    The one sanitizer for what reaches a terminal: tables, messages on stderr (through
    `CleanWriter`), validate lines, prompts and what the pager is given.
    """
    return _UNSAFE.sub(_escape, text)


class CleanWriter:
    """A text stream that passes everything written to it through `clean` (stderr, for Click's own
    usage errors, which echo the arguments they reject)."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        self.stream.write(clean(text))
        return len(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


# Narrower than this, tables are laid out as if the terminal were this wide (and wrap there).
MIN_WIDTH = 20


def make_console(file: TextIO | None = None, *, width: int | None = None, color: Color = Color.AUTO) -> Console:
    """A Console that never interprets catalogue text as markup, emoji or highlightable reprs."""
    from rich.console import Console

    options: dict[str, Any] = {}
    if color is Color.ALWAYS:
        # Basic colours and styles even where TERM says "dumb" or output is not a terminal.
        options = {"force_terminal": True, "no_color": False, "color_system": "standard"}
    elif color is Color.NEVER:
        options = {"color_system": None}
    console = Console(file=file, width=width, highlight=False, emoji=False, markup=False, soft_wrap=False, **options)
    if console.width < MIN_WIDTH:  # COLUMNS=0, 1 or 2, or a terminal that narrow: lay out for 20
        console.width = MIN_WIDTH
    return console


def plain_width(color: Color = Color.AUTO, env: Mapping[str, str] | None = None) -> int | None:
    """The width to lay a table out at when Rich would print it without a single escape code:
    output that is not a terminal (a pipe, a file) and not forced into colour. None when a Rich
    console should print it (a terminal, --color always, FORCE_COLOR, Jupyter, Windows).

    This follows rich.console.Console's own rules, so plain output is laid out at the width Rich
    would use: COLUMNS if it is a number, else the first of stdin, stdout and stderr that is a
    terminal (`painref list | less` in a terminal), else 80; never below MIN_WIDTH.
    """
    import os

    environ = os.environ if env is None else env
    if color is Color.ALWAYS or sys.platform == "win32" or _rich_sees_a_terminal(environ):
        return None
    columns = environ.get("COLUMNS")
    if columns is not None and columns.isdigit():
        width = int(columns)
    else:
        found = None
        for descriptor in (0, 1, 2):
            try:
                found = os.get_terminal_size(descriptor).columns
            except (AttributeError, ValueError, OSError):
                continue
            break
        width = found or 80
    return max(width, MIN_WIDTH)


def _rich_sees_a_terminal(environ: Mapping[str, str]) -> bool:
    """rich.console.Console.is_terminal for a console on stdout (True also for Jupyter, which Rich
    handles its own way)."""
    import builtins

    if getattr(sys.stdin, "__module__", "").startswith("idlelib"):
        return False
    if hasattr(builtins, "get_ipython"):
        return True
    compatible = environ.get("TTY_COMPATIBLE", "")
    if compatible in ("0", "1"):
        return compatible == "1"
    force = environ.get("FORCE_COLOR")
    if force is not None:
        return force != ""
    isatty = getattr(sys.stdout, "isatty", None)
    try:
        return False if isatty is None else bool(isatty())
    except ValueError:
        return False


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
