"""Print a command's Output as a Rich table, JSON, CSV or Markdown; the only module that imports rich."""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from enum import StrEnum
from typing import IO, TYPE_CHECKING, Any, TextIO, assert_never

from painref.views import Block, Cell, Fields, Grid, Heading, Output, Paragraph

if TYPE_CHECKING:
    from rich.console import Console, RenderableType
    from rich.text import Text


class Format(StrEnum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"
    MARKDOWN = "markdown"


# Terminal control characters (C0 but newline and tab, DEL, C1) and invisible direction overrides:
# catalogue text is data, so these are shown as escapes rather than sent to the terminal.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|<>])")


def clean(text: str) -> str:
    """Text safe for a terminal: control characters become visible escapes like \\x1b."""
    return _CONTROL.sub(
        lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}", text
    )


def make_console(file: TextIO | None = None, *, width: int | None = None) -> Console:
    """A Console that never interprets catalogue text as markup, emoji or highlightable reprs."""
    from rich.console import Console

    return Console(file=file, width=width, highlight=False, emoji=False, markup=False, soft_wrap=False)


def emit(output: Output, fmt: Format, console: Console | None = None) -> None:
    """Write one command's output to stdout (or the given console) in the chosen format."""
    if fmt is Format.TABLE:
        _table(output.blocks, console or make_console())
        return
    stream: IO[str] = console.file if console is not None else sys.stdout
    if fmt is Format.JSON:
        stream.write(to_json(output.data) + "\n")
    elif fmt is Format.CSV:
        stream.write(to_csv(output.records, output.columns))
    elif fmt is Format.MARKDOWN:
        stream.write(to_markdown(output.blocks))
    else:
        assert_never(fmt)


def to_json(data: Any) -> str:
    import json

    text = json.dumps(data, indent=2, ensure_ascii=False)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def to_csv(records: Sequence[dict[str, Any]], columns: Sequence[str]) -> str:
    """RFC 4180 CSV: a header row, then one row per record, CRLF line ends."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    for row in records:
        writer.writerow({key: clean(str(value)) for key, value in row.items()})
    return buffer.getvalue()


# --- Markdown ----------------------------------------------------------------------------------


def _md(text: str) -> str:
    return _MARKDOWN_SPECIAL.sub(r"\\\1", clean(text))


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
                        f"**{_md(label)}:**\n\n" + "\n".join("- " + _md(item).replace("\n", "  \n  ") for item in value)
                    )
                else:
                    parts.append(f"**{_md(label)}:** {_md(value)}")
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


# --- Rich tables -------------------------------------------------------------------------------


def _text(value: Cell, style: str = "") -> Text:
    from rich.text import Text

    if isinstance(value, tuple):
        return Text("\n".join(f"• {clean(item)}" for item in value), style=style)
    return Text(clean(value), style=style)


def _card(block: Fields, width: int) -> Text:
    """Label/value rows laid out directly as one Text, with hanging indents for wrapped lines.

    A Rich table would measure every word of every cell twice; a card's layout is simple
    enough to wrap here, which makes `show` several milliseconds faster.
    """
    from rich.cells import cell_len
    from rich.text import Text

    label_width = max((cell_len(label) for label, _ in block.rows), default=0) + 2
    # On a narrow terminal each label goes on its own line, with the value indented below it.
    stacked = width - label_width < 30
    indent = 2 if stacked else label_width
    value_width = max(width - indent, 10)
    card = Text()
    for label, value in block.rows:
        items = value if isinstance(value, tuple) else (value,)
        bullet = "• " if isinstance(value, tuple) else ""
        lines: list[str] = []
        for item in items:
            for number, part in enumerate(clean(item).split("\n")):
                lead = bullet if number == 0 else " " * len(bullet)
                wrapped = _wrap(part, value_width - len(bullet))
                lines += [(lead if i == 0 else " " * len(bullet)) + line for i, line in enumerate(wrapped)]
        card.append(clean(label) if stacked else clean(label).ljust(label_width - 2), style="bold cyan")
        card.append(("\n" if stacked else "") + "  " + ("\n" + " " * indent).join(lines) + "\n")
    card.rstrip()
    return card


def _wrap(text: str, width: int) -> list[str]:
    """Words wrapped to a cell width; a word longer than the width (a URL) is cut into pieces."""
    from rich.cells import cell_len, chop_cells

    lines: list[str] = []
    line = ""
    for word in text.split():
        pieces = chop_cells(word, width) if cell_len(word) > width else [word]
        for piece in pieces:
            if line and cell_len(line) + 1 + cell_len(piece) <= width:
                line += " " + piece
            else:
                if line:
                    lines.append(line)
                line = piece
    lines.append(line)
    return lines


def _highlight(text: Text, words: Sequence[str]) -> Text:
    if words:
        pattern = r"(?i)\b(?:" + "|".join(re.escape(w) for w in words) + r")\w*"
        text.highlight_regex(pattern, style="bold yellow")
    return text


# Below this width a table drops its optional columns rather than squeezing every column.
WIDE_ENOUGH = 110


def _renderable(block: Block, width: int) -> RenderableType:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    if isinstance(block, Heading):
        heading = Text(clean(block.text), style="bold")
        if block.subtitle:
            heading.append("\n" + clean(block.subtitle), style="dim")
        return heading
    if isinstance(block, Paragraph):
        return _text(block.text, {"note": "dim italic", "label": "bold"}.get(block.style, ""))
    if isinstance(block, Fields):
        return _card(block, width)
    if isinstance(block, Grid):
        table = Table(
            box=box.SIMPLE_HEAD,
            title=Text(clean(block.title), style="bold") if block.title else None,
            title_justify="left",
            header_style="bold",
            show_lines=block.row_labels,
            pad_edge=False,
            show_edge=False,
        )
        keep = [i for i, c in enumerate(block.columns) if width >= WIDE_ENOUGH or c not in block.optional]
        last = keep[-1]
        for index in keep:
            first = index == 0
            named = index == block.name_column and not block.row_labels
            table.add_column(
                clean(block.columns[index]),
                style="bold cyan" if first and block.row_labels else "",
                no_wrap=False,
                overflow="fold",
                # Compare's entry columns share the width; elsewhere the last (summary) column flexes.
                ratio=1 if (block.row_labels and not first) or index == last else None,
                # Names may wrap past 36 columns so that the summary keeps room to read.
                max_width=None if block.row_labels or index == last else 36 if named else 24,
                min_width=min(26, width // 4) if named else None,
            )
        for row in block.rows:
            table.add_row(*(_highlight(_text(row[i]), block.highlight) for i in keep))
        return table
    assert_never(block)


def _table(blocks: Sequence[Block], console: Console) -> None:
    for index, block in enumerate(blocks):
        if index:
            console.print()
        console.print(_renderable(block, console.width))


def error(message: str, stream: TextIO | None = None) -> None:
    """One sentence on stderr, prefixed with the program's name."""
    (stream or sys.stderr).write(f"painref: {clean(message)}\n")
