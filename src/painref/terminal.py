"""The terminal: a Console that never interprets catalogue text, the pager, and messages on stderr."""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from enum import StrEnum
from typing import TYPE_CHECKING, Any, NamedTuple, TextIO

from painref.text import whole_number

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
    columns = whole_number(environ.get("COLUMNS") or "")
    if columns is not None:
        width = columns
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


class Screen(NamedTuple):
    """What rich.console.Console decides for a console on stdout: see `screen`."""

    color_system: str | None  # "standard", "256", "truecolor" (rich.color.ColorSystem's names), or None
    no_color: bool  # NO_COLOR: styles without their colours
    width: int
    height: int
    is_terminal: bool


_TERM_COLORS = {"kitty": "256", "256color": "256", "16color": "standard"}


def screen(color: Color = Color.AUTO, env: Mapping[str, str] | None = None) -> Screen | None:
    """The colour system, NO_COLOR, size and terminal-ness `make_console(color=color)` would have,
    decided without importing rich.console (about a sixth of a run), by Rich's own rules
    (Console.__init__, is_terminal, is_dumb_terminal, _detect_color_system, size). None where
    Rich decides in ways not copied here (Windows, Jupyter and IPython, no stdout): use the console.
    tests/test_terminal.py checks it against Console for many environments.
    """
    import builtins
    import os

    if sys.platform == "win32" or hasattr(builtins, "get_ipython") or sys.stdout is None:
        return None
    environ = os.environ if env is None else env
    is_terminal = True if color is Color.ALWAYS else _rich_sees_a_terminal(environ)
    dumb = is_terminal and environ.get("TERM", "").lower() in ("dumb", "unknown")
    color_system: str | None
    if color is Color.ALWAYS:
        color_system = "standard"
    elif color is Color.NEVER or not is_terminal or dumb:
        color_system = None
    elif environ.get("COLORTERM", "").strip().lower() in ("truecolor", "24bit"):
        color_system = "truecolor"
    else:
        color_system = _TERM_COLORS.get(environ.get("TERM", "").strip().lower().rpartition("-")[2], "standard")
    no_color = False if color is Color.ALWAYS else environ.get("NO_COLOR", "") != ""
    columns, lines = environ.get("COLUMNS", ""), environ.get("LINES", "")
    width, height = whole_number(columns), whole_number(lines)
    size = _size(width, height, dumb)
    if size[0] < MIN_WIDTH:  # as make_console does
        size = _size(MIN_WIDTH, height, dumb)
    return Screen(color_system, no_color, *size, is_terminal)


def _size(width: int | None, height: int | None, dumb: bool) -> tuple[int, int]:
    """rich.console.Console.size, given the width and height it was made with (COLUMNS, LINES)."""
    import os

    if width is not None and height is not None:
        return width, height
    if dumb:
        return 80, 25
    measured = (0, 0)
    for descriptor in (0, 1, 2):
        try:
            measured = os.get_terminal_size(descriptor)
        except (AttributeError, ValueError, OSError):
            continue
        break
    return (measured[0] or 80) if width is None else width, (measured[1] or 25) if height is None else height


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
    import contextlib
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
    import signal

    # The reader may quit the pager before it has read everything: a broken pipe then, not the
    # default SIGPIPE death (status 141) painref's own output keeps for `painref list | head`.
    broken_pipe = getattr(signal, "SIGPIPE", None)
    previous = signal.signal(broken_pipe, signal.SIG_IGN) if broken_pipe is not None else None
    try:
        process.stdin.write(text)
        process.stdin.close()
    except BrokenPipeError:  # the reader quit the pager early
        with contextlib.suppress(OSError):
            process.stdin.close()  # what is still buffered has nowhere to go
    finally:
        if broken_pipe is not None:
            signal.signal(broken_pipe, previous)
    process.wait()
    return True


def one_line(text: str) -> str:
    """`clean` text that also stays on its line: a newline or tab in a file name or an argument is
    shown as \\n or \\t, so it cannot forge a line of its own (a `path:line:col:` problem)."""
    return clean(text).replace("\n", "\\n").replace("\t", "\\t")


def error(message: str, stream: TextIO | None = None) -> None:
    """One sentence on stderr, prefixed with the program's name: on one line, whatever it quotes."""
    (stream or sys.stderr).write(f"painref: {one_line(message)}\n")
