"""Rendering: catalogue text is data (no markup, no control codes); CSV, Markdown and JSON shapes."""

from __future__ import annotations

import csv
import io
import json

import pytest

from painref import render, terminal
from painref.render import Format
from painref.views import Fields, Grid, Heading, Output, Paragraph

HOSTILE = "[bold red]x[/] \x1b[31mred\x1b[0m \x07bell \u202eevil | *star* <script>"


def _output(text: str) -> Output:
    return Output(
        (
            Heading(text, text),
            Paragraph(text),
            Fields((("Label", text), ("List", (text, "b")))),
            Grid(("A", "B"), ((text, "plain"),)),
        ),
        lambda: {"text": text},
        lambda: ({"a": text, "b": "x,y"},),
        ("a", "b"),
    )


def _render(fmt: Format, output: Output, *, width: int = 100, force_terminal: bool = False) -> str:
    from rich.console import Console

    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=width,
        force_terminal=force_terminal,
        color_system="standard" if force_terminal else None,
        no_color=False,
        highlight=False,
        emoji=False,
        markup=False,
    )
    render.emit(output, fmt, console)
    return buffer.getvalue()


@pytest.mark.parametrize("fmt", list(Format))
def test_no_control_character_reaches_the_output(fmt):
    out = _render(fmt, _output(HOSTILE))
    assert "\x1b" not in out
    assert "\x07" not in out
    assert "\u202e" not in out


def test_markup_and_escapes_are_shown_literally_in_tables():
    out = _render(Format.TABLE, _output(HOSTILE))
    assert "[bold red]x[/]" in out
    assert "\\x1b[31mred" in out
    assert "\\u202eevil" in out


def test_a_terminal_gets_styles_but_never_the_catalogue_escape_codes():
    out = _render(Format.TABLE, _output(HOSTILE), force_terminal=True)
    assert "\x1b[1m" in out, "headings are bold on a terminal"
    assert "\x1b[31m" not in out


def test_json_escapes_c1_and_bidi_characters():
    text = _render(Format.JSON, _output("a\x9bb\u202ec\x1bd"))
    assert json.loads(text) == {"text": "a\x9bb\u202ec\x1bd"}
    assert "\\u009b" in text
    assert "\\u202e" in text


def test_csv_is_rfc_4180():
    text = _render(Format.CSV, _output('he said "hi", twice\nthen left'))
    assert text.endswith("\r\n")
    assert text.startswith("a,b\r\n")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows == [["a", "b"], ['he said "hi", twice\nthen left', "x,y"]]


def test_markdown_escapes_what_would_change_the_table():
    text = _render(Format.MARKDOWN, _output("a | b *c* <d>"))
    assert "a \\| b \\*c\\* \\<d\\>" in text
    table_lines = [line for line in text.splitlines() if line.startswith("|")]
    assert all(line.count(" | ") + 2 == table_lines[0].count(" | ") + 2 for line in table_lines[2:])


def test_narrow_terminals_still_render():
    out = _render(Format.TABLE, _output("a fairly long piece of catalogue text that must wrap"), width=20)
    assert out
    assert all(len(line) <= 20 for line in out.splitlines())


def test_error_messages_are_cleaned():
    buffer = io.StringIO()
    terminal.error("no entry named '\x1b[2J'", buffer)
    assert buffer.getvalue() == "painref: no entry named '\\x1b[2J'\n"


def test_cli_table_output_has_no_ansi_when_piped(run):
    result = run("show", "rfa", env={"NO_COLOR": None, "TERM": "xterm-256color"})
    assert result.exit_code == 0
    assert "\x1b[" not in result.stdout


def test_disclaimer_appears_once(run):
    for args in (("show", "rfa"), ("condition", "sciatica"), ("compare", "esi", "rfa")):
        out = run(*args).stdout
        assert out.count("not medical advice") == 1, args


# --- colour without Rich's console: byte for byte what the console printed ------------------------

_COMMANDS = [
    ["show", "rfa"],
    ["list"],
    ["search", "slipped", "disc"],
    ["compare", "epidural", "rfa"],
    ["condition", "sciatica"],
    ["guide", "procedure-day"],
]
# painref, or painref with render.screen saying "ask Rich": the table goes through make_console.
_RUN = (
    "import sys\n"
    "from painref import render\n"
    "if sys.argv[1] == 'rich':\n"
    "    render.screen = lambda *args, **kwargs: None\n"
    "sys.argv = ['painref', *sys.argv[2:]]\n"
    "from painref.cli import main\n"
    "main()\n"
)


def _colour_env(**extra: str) -> dict[str, str]:
    import os

    drop = ("NO_COLOR", "FORCE_COLOR", "COLUMNS", "LINES", "COLORTERM", "TTY_COMPATIBLE", "PAINREF_CATALOG")
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env |= {"TERM": "xterm-256color", "PAINREF_PAGER": ""}
    return env | extra


# Every command at 80 columns and two at 120 (each case runs painref twice): CI stays quick.
@pytest.mark.parametrize(
    ("args", "columns"),
    [*((args, "80") for args in _COMMANDS), *((args, "120") for args in _COMMANDS[:2])],
    ids=lambda value: " ".join(value) if isinstance(value, tuple | list) else value,
)
def test_forced_colour_is_what_rich_console_printed(args, columns):
    import subprocess
    import sys

    def run(path: str, env: dict[str, str]) -> str:
        argv = [sys.executable, "-c", _RUN, path, *args]
        result = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=60, check=False)
        assert result.returncode == 0, result.stderr
        return result.stdout

    for env in (_colour_env(FORCE_COLOR="1", COLUMNS=columns), _colour_env(COLUMNS=columns, NO_COLOR="1")):
        ours = run("ours", env | {"FORCE_COLOR": "1"})
        assert ours == run("rich", env | {"FORCE_COLOR": "1"})
    assert "\x1b[1m" in run("ours", _colour_env(FORCE_COLOR="1", COLUMNS=columns))
    piped = _colour_env(COLUMNS=columns)
    assert run("ours", piped) == run("rich", piped)
    assert "\x1b[" not in run("ours", piped)


@pytest.mark.skipif(not hasattr(__import__("os"), "fork"), reason="needs a pty")
@pytest.mark.parametrize("args", [["show", "rfa"], ["search", "slipped", "disc"], ["list", "all"]], ids=" ".join)
@pytest.mark.parametrize("extra", [{"COLUMNS": "80"}, {"COLUMNS": "120", "COLORTERM": "truecolor"}, {}])
def test_colour_on_a_terminal_is_what_rich_console_printed(args, extra):
    import sys

    import ptys

    env = _colour_env(**extra)
    ours, code = ptys.run([sys.executable, "-c", _RUN, "ours", *args], env)
    assert code == 0, ours[-400:]
    rich, code = ptys.run([sys.executable, "-c", _RUN, "rich", *args], env)
    assert code == 0, rich[-400:]
    assert b"\x1b[1m" in ours
    assert ours == rich
