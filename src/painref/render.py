"""Print a command's Output as a Rich table, JSON, CSV or Markdown; the only module that imports rich."""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from enum import StrEnum
from typing import IO, TYPE_CHECKING, Any, TextIO, assert_never

from painref.views import Block, Cell, Fields, Grid, Heading, Output, Paragraph, Section

if TYPE_CHECKING:
    from rich.console import Console, RenderableType
    from rich.text import Text


class Color(StrEnum):
    """--color: auto follows the terminal, NO_COLOR and FORCE_COLOR; always and never override them."""

    AUTO = "auto"
    ALWAYS = "always"
    NEVER = "never"


class Format(StrEnum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"
    MARKDOWN = "markdown"
    HTML = "html"


# Terminal control characters (C0 but newline and tab, DEL, C1) and invisible direction overrides:
# catalogue text is data, so these are shown as escapes rather than sent to the terminal.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|<>])")

# Table layout: below WIDE_ENOUGH columns a table drops its optional columns rather than
# squeezing every one; a name column keeps between NAME_WIDTH cells, other middle columns
# grow to OTHER_MAX at most, and GAP spaces separate columns.
WIDE_ENOUGH = 110
NAME_WIDTH = (26, 36)
OTHER_MAX = 24
GAP = 2


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


def emit(
    output: Output, fmt: Format, console: Console | None = None, *, color: Color = Color.AUTO, page: bool = False
) -> None:
    """Write one command's output to stdout (or the given console) in the chosen format.

    With `page`, a table longer than the terminal goes through a pager, and only on a terminal.
    """
    if fmt is Format.TABLE:
        target = console or make_console(color=color)
        if page and target.is_terminal and (pager := pager_command()):
            with target.capture() as captured:
                _table(output.blocks, target)
            text = captured.get()
            if text.count("\n") < target.height or not _page(text, pager):
                target.file.write(text)
                target.file.flush()
            return
        _table(output.blocks, target)
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


def _page(text: str, argv: list[str]) -> bool:
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
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_h(title)}</title>\n<style>{_HTML_STYLE}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )


# --- Rich tables -------------------------------------------------------------------------------


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
        lines = _cell_lines(value, value_width)
        card.append(clean(label) if stacked else clean(label).ljust(label_width - 2), style="bold cyan")
        card.append(("\n" if stacked else "") + "  " + ("\n" + " " * indent).join(lines) + "\n")
    card.rstrip()
    return card


def _cell_lines(cell: Cell, width: int | None = None) -> list[str]:
    """A cell as clean lines, wrapped to `width` if given; list items get bullets and hanging indents."""
    items, bullet = (cell, "• ") if isinstance(cell, tuple) else ((cell,), "")
    hang = " " * len(bullet)
    lines: list[str] = []
    for item in items:
        for number, part in enumerate(clean(item).split("\n")):
            wrapped = [part] if width is None else _wrap(part, width - len(bullet))
            lead = bullet if number == 0 else hang
            lines += [(lead if i == 0 else hang) + line for i, line in enumerate(wrapped)]
    return lines


def _column_widths(block: Grid, keep: Sequence[int], width: int) -> list[int]:
    """Column widths for a table `width` cells wide: names stay readable, the last column flexes."""

    def natural(index: int) -> int:
        cells = [block.columns[index], *(line for row in block.rows for line in _cell_lines(row[index]))]
        return max(_cells(text) for text in cells)

    available = width - GAP * (len(keep) - 1)
    wants = [natural(i) for i in keep]
    if sum(wants) <= available:
        return wants
    if block.row_labels:
        # Compare: the attribute names keep their width, the entries share the rest.
        share = max((available - wants[0]) // max(len(keep) - 1, 1), 8)
        return [wants[0], *(min(w, share) for w in wants[1:])]
    widths = []
    for position, index in enumerate(keep[:-1]):
        if index == block.name_column:
            cap = max(min(NAME_WIDTH[0], available // 2), min(NAME_WIDTH[1], width * 2 // 5))
            widths.append(min(wants[position], cap))
        else:
            widths.append(min(wants[position], OTHER_MAX))
    # The last column (a summary) keeps about a third of the table: narrow the others first.
    target = min(wants[-1], max(20, available // 3))
    floors = [16 if index == block.name_column else 8 for index in keep[:-1]]
    while available - sum(widths) < target:
        slack = [w - f for w, f in zip(widths, floors, strict=True)]
        if max(slack, default=0) <= 0:
            break
        widths[slack.index(max(slack))] -= 1
    widths.append(max(available - sum(widths), 10))
    while sum(widths) > available and max(widths) > 4:  # a very narrow terminal: shrink the widest
        widest = widths.index(max(widths))
        widths[widest] -= 1
    return widths


def _grid(block: Grid, width: int) -> Text:
    """A table laid out directly as one Text: a bold header, a rule, then wrapped, aligned rows.

    Rich's Table measured every word of every cell twice, about 0.5 ms a row; this keeps its
    look (a simple header rule, no borders) at a fraction of the cost.
    """
    from rich.text import Text

    keep = [i for i, c in enumerate(block.columns) if width >= WIDE_ENOUGH or c not in block.optional]
    widths = _column_widths(block, keep, width)
    table = Text()
    if block.title:
        table.append(clean(block.title) + "\n", style="bold")

    def add_row(cells: Sequence[list[str]], styles: Sequence[str], highlight: Sequence[str] = ()) -> None:
        for number in range(max(len(lines) for lines in cells)):
            # Stop at the last column with text on this line, so lines carry no trailing spaces.
            filled = [position for position, lines in enumerate(cells) if number < len(lines) and lines[number]]
            for position, lines in enumerate(cells[: filled[-1] + 1] if filled else []):
                text = lines[number] if number < len(lines) else ""
                if highlight and not (block.row_labels and position == 0):
                    piece = Text(text, style=styles[position])
                    _highlight(piece, highlight)
                    table.append_text(piece)
                else:
                    table.append(text, style=styles[position] or None)
                if position != filled[-1]:
                    table.append(" " * (widths[position] - _cells(text) + GAP))
            table.append("\n")

    add_row([_cell_lines(block.columns[i], w) for i, w in zip(keep, widths, strict=True)], ["bold"] * len(keep))
    table.append("─" * min(width, sum(widths) + GAP * (len(keep) - 1)) + "\n")
    styles = ["bold cyan" if block.row_labels and i == 0 else "" for i in keep]
    for number, row in enumerate(block.rows):
        if number and block.row_labels:
            table.append("\n")
        add_row([_cell_lines(row[i], w) for i, w in zip(keep, widths, strict=True)], styles, block.highlight)
    table.rstrip()
    return table


def _cells(text: str) -> int:
    """Terminal cells `text` takes: its length when ASCII (nearly always), else Rich's measure."""
    if text.isascii():
        return len(text)
    from rich.cells import cell_len

    return cell_len(text)


def _wrap(text: str, width: int) -> list[str]:
    """Words wrapped to a cell width; a word longer than the width (a URL) is cut into pieces."""
    from rich.cells import chop_cells

    lines: list[str] = []
    line, used = "", 0
    for word in text.split():
        size = _cells(word)
        pieces = chop_cells(word, width) if size > width else [word]
        for piece in pieces:
            size = _cells(piece) if len(pieces) > 1 else size
            if line and used + 1 + size <= width:
                line += " " + piece
                used += 1 + size
            else:
                if line:
                    lines.append(line)
                line, used = piece, size
    lines.append(line)
    return lines


def _highlight(text: Text, words: Sequence[str]) -> None:
    pattern = r"(?i)\b(?:" + "|".join(re.escape(w) for w in words) + r")\w*"
    text.highlight_regex(pattern, style="bold yellow")


def _renderable(block: Block, width: int) -> RenderableType:
    from rich.text import Text

    if isinstance(block, Heading):
        heading = Text("\n".join(_cell_lines(block.text, width)), style="bold")
        if block.subtitle:
            heading.append("\n" + "\n".join(_cell_lines(block.subtitle, width)), style="dim")
        return heading
    if isinstance(block, Paragraph):
        wrapped = "\n".join(_cell_lines(block.text, width))
        return Text(wrapped, style={"note": "dim italic", "label": "bold"}.get(block.style, ""))
    if isinstance(block, Fields):
        return _card(block, width)
    if isinstance(block, Grid):
        return _grid(block, width)
    if isinstance(block, Section):
        section = Text("\n".join(_cell_lines(block.title, width)), style="bold")
        if block.text:
            section.append("\n" + "\n".join(_cell_lines(block.text, width)))
        for item in block.items:
            lines = _cell_lines(item, max(width - 2, 10))
            section.append("\n• " + "\n  ".join(lines))
        return section
    assert_never(block)


def _table(blocks: Sequence[Block], console: Console) -> None:
    for index, block in enumerate(blocks):
        if index:
            console.print()
        # Every block is already wrapped to the width; asking Rich not to re-wrap saves its line splitting.
        console.print(_renderable(block, console.width), no_wrap=True, overflow="ignore", crop=False)


def error(message: str, stream: TextIO | None = None) -> None:
    """One sentence on stderr, prefixed with the program's name."""
    (stream or sys.stderr).write(f"painref: {clean(message)}\n")
