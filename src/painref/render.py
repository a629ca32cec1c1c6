"""Print a command's Output in the chosen format: a table on the terminal, or JSON, CSV, Markdown, HTML."""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from enum import StrEnum
from typing import IO, TYPE_CHECKING, Any, assert_never

from painref.i18n import language
from painref.layout import ansi_blocks, plain_blocks, print_blocks
from painref.terminal import (
    UNSAFE_CHARACTERS,
    Color,
    clean,
    make_console,
    page_through,
    pager_command,
    plain_width,
    screen,
)
from painref.views import Block, Cell, Fields, Grid, Heading, Output, Paragraph, Section

if TYPE_CHECKING:
    from rich.console import Console  # noqa: TID251 - a type only: render never imports rich itself


class Format(StrEnum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"
    MARKDOWN = "markdown"
    HTML = "html"


# JSON escapes C0 itself; the rest of what a terminal must not get raw is written as \\u escapes
# (a surrogate pair above U+FFFF), so `painref ... -f json` on a terminal is as safe as a table.
_JSON_UNSAFE = re.compile(f"[{UNSAFE_CHARACTERS}]")
# Spreadsheets run a cell starting with one of these as a formula (OWASP "CSV injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|<>])")


def emit(
    output: Output, fmt: Format, console: Console | None = None, *, color: Color = Color.AUTO, page: bool = False
) -> None:
    """Write one command's output to stdout (or the given console) in the chosen format.

    With `page`, a table longer than the terminal goes through a pager, and only on a terminal.
    A table to a pipe or a file, with no colour forced, is written without a Rich console: the
    same text, at the width Rich would choose (see terminal.plain_width). On a terminal or with
    colour forced, terminal.screen makes Rich's console's choices (colour system, NO_COLOR, width,
    height for the pager) and layout.ansi_blocks writes the codes Rich's console would.
    """
    if fmt is Format.TABLE:
        width = plain_width(color) if console is None else None
        if width is not None:
            for piece in plain_blocks(output.blocks, width):
                sys.stdout.write(piece)
            sys.stdout.flush()
            return
        shown = screen(color) if console is None else None
        text = None if shown is None else ansi_blocks(output.blocks, shown.width, shown.color_system, shown.no_color)
        if shown is not None and text is not None:
            # A terminal, or colour forced: Rich's choices and codes, without Rich's console.
            pager = pager_command() if page and shown.is_terminal else []
            if not pager or text.count("\n") < shown.height or not page_through(text, pager):
                sys.stdout.write(text)
                sys.stdout.flush()
            return
        target = console or make_console(color=color)
        if page and target.is_terminal and (pager := pager_command()):
            with target.capture() as captured:
                print_blocks(output.blocks, target)
            text = captured.get()
            if text.count("\n") < target.height or not page_through(text, pager):
                target.file.write(text)
                target.file.flush()
            return
        print_blocks(output.blocks, target)
        return
    stream: IO[str] = console.file if console is not None else sys.stdout
    if fmt is Format.JSON:
        stream.write(to_json(output.data()) + "\n")
    elif fmt is Format.CSV:
        stream.write(to_csv(output.records(), output.columns))
    elif fmt is Format.MARKDOWN:
        stream.write(to_markdown(output.blocks))
    elif fmt is Format.HTML:
        stream.write(to_html(output.blocks))
    else:
        assert_never(fmt)


def to_json(data: Any) -> str:
    import json

    text = json.dumps(data, indent=2, ensure_ascii=False)
    return _JSON_UNSAFE.sub(lambda m: json.dumps(m.group()).strip('"'), text)


def to_csv(records: Sequence[dict[str, Any]], columns: Sequence[str]) -> str:
    """RFC 4180 CSV: a header row, then one row per record, CRLF line ends; no cell is a formula."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    for row in records:
        writer.writerow({key: csv_cell(value) for key, value in row.items()})
    return buffer.getvalue()


def csv_cell(value: object) -> str:
    """A value as a CSV cell that no spreadsheet runs: one starting with = + - @ TAB or CR gets a
    leading single quote, as OWASP advises; control characters are shown as escapes."""
    text = clean(str(value))
    return "'" + text if text.startswith(_FORMULA_START) else text


# --- Markdown ----------------------------------------------------------------------------------


def _md(text: str) -> str:
    return _MARKDOWN_SPECIAL.sub(r"\\\1", clean(text))


def _md_label(label: str) -> str:
    """A card label as Markdown: "Risks:" but "Diagnostic?" (no colon after a question)."""
    return _md(label) if label.endswith("?") else f"{_md(label)}:"


def _md_cell(cell: Cell) -> str:
    items = cell if isinstance(cell, tuple) else (cell,)
    return "<br>".join(_md(item).replace("\n", "<br>") for item in items)


def to_markdown(blocks: Sequence[Block]) -> str:
    parts: list[str] = []
    for block in blocks:
        if isinstance(block, Heading):
            parts.append(f"# {_md(block.text)}" + (f"\n\n*{_md(block.subtitle)}*" if block.subtitle else ""))
        elif isinstance(block, Paragraph):
            text = _md(block.text)
            parts.append({"note": f"*{text}*", "label": f"**{text}**"}.get(block.style, text))
        elif isinstance(block, Fields):
            for label, value in block.rows:
                if isinstance(value, tuple):
                    parts.append(
                        f"**{_md_label(label)}**\n\n"
                        + "\n".join("- " + _md(item).replace("\n", "  \n  ") for item in value)
                    )
                else:
                    parts.append(f"**{_md_label(label)}** {_md(value)}")
        elif isinstance(block, Section):
            lines = [f"## {_md(block.title)}"]
            if block.text:
                lines.append(_md(block.text))
            if block.items:
                lines.append("\n".join("- " + _md(item).replace("\n", "  \n  ") for item in block.items))
            parts.append("\n\n".join(lines))
        elif isinstance(block, Grid):
            lines = [f"## {_md(block.title)}\n"] if block.title else []
            header = [_md(c) if c else " " for c in block.columns]
            lines.append("| " + " | ".join(header) + " |")
            lines.append("|" + "|".join(" --- " for _ in header) + "|")
            for row in block.rows:
                cells = [_md_cell(c) for c in row]
                if block.row_labels and cells:
                    cells[0] = f"**{cells[0]}**"
                lines.append("| " + " | ".join(cells) + " |")
            parts.append("\n".join(lines))
        else:
            assert_never(block)
    return "\n\n".join(parts) + "\n"


# --- HTML --------------------------------------------------------------------------------------

_HTML_STYLE = """
body { font: 16px/1.5 system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; color: #1a1a1a; }
h1 { font-size: 1.7rem; margin-bottom: .2rem; } h2 { font-size: 1.2rem; margin-top: 1.6rem; }
.sub, .note { color: #555; } .note { font-style: italic; font-size: .9rem; }
table { border-collapse: collapse; width: 100%; } th, td { border: 1px solid #ccc; padding: .3rem .5rem; }
th { background: #f3f3f3; text-align: left; } dt { font-weight: 600; margin-top: .5rem; }
li { margin: .2rem 0; } a { color: inherit; overflow-wrap: anywhere; }
@media print { body { margin: 0; max-width: none; font-size: 12pt; } }
"""


def _h(text: str) -> str:
    import html

    return html.escape(clean(text)).replace("\n", "<br>")


def _html_cell(cell: Cell) -> str:
    items = cell if isinstance(cell, tuple) else (cell,)
    return "<br>".join(_h(item) for item in items)


def to_html(blocks: Sequence[Block]) -> str:
    """A self-contained HTML page (inline style, no scripts, nothing fetched) for printing."""
    title = next((block.text for block in blocks if isinstance(block, Heading)), "painref")
    body: list[str] = []
    for block in blocks:
        if isinstance(block, Heading):
            body.append(
                f"<h1>{_h(block.text)}</h1>" + (f'<p class="sub">{_h(block.subtitle)}</p>' if block.subtitle else "")
            )
        elif isinstance(block, Paragraph):
            css = {"note": ' class="note"', "label": ' class="label"'}.get(block.style, "")
            body.append(f"<p{css}>{_h(block.text)}</p>")
        elif isinstance(block, Fields):
            rows = "".join(f"<dt>{_h(label)}</dt><dd>{_html_cell(value)}</dd>" for label, value in block.rows)
            body.append(f"<dl>{rows}</dl>")
        elif isinstance(block, Section):
            parts = [f"<h2>{_h(block.title)}</h2>"]
            if block.text:
                parts.append(f"<p>{_h(block.text)}</p>")
            if block.items:
                parts.append("<ul>" + "".join(f"<li>{_h(item)}</li>" for item in block.items) + "</ul>")
            body.append("".join(parts))
        elif isinstance(block, Grid):
            head = "".join(f"<th>{_h(column)}</th>" for column in block.columns)
            rows = "".join("<tr>" + "".join(f"<td>{_html_cell(c)}</td>" for c in row) + "</tr>" for row in block.rows)
            caption = f"<h2>{_h(block.title)}</h2>" if block.title else ""
            body.append(f"{caption}<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")
        else:
            assert_never(block)
    return (
        f'<!DOCTYPE html>\n<html lang="{language()}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_h(title)}</title>\n<style>{_HTML_STYLE}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )
