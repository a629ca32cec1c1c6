"""Tables and cards laid out as Rich Text, wrapped to the terminal's width by hand for speed."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, assert_never

from painref.terminal import clean
from painref.views import Block, Cell, Fields, Grid, Heading, Paragraph, Section

if TYPE_CHECKING:
    from rich.console import Console, RenderableType
    from rich.text import Text

# Table layout: below WIDE_ENOUGH columns a table drops its optional columns rather than
# squeezing every one; a name column keeps between NAME_WIDTH cells, other middle columns
# grow to OTHER_MAX at most, and GAP spaces separate columns.
WIDE_ENOUGH = 110
NAME_WIDTH = (26, 36)
OTHER_MAX = 24
GAP = 2


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
        # A long question as a row label wraps rather than taking a quarter of a narrow table.
        label = min(wants[0], max(16, available // 4))
        share = max((available - label) // max(len(keep) - 1, 1), 8)
        return [label, *(min(w, share) for w in wants[1:])]
    widths = []
    for position, index in enumerate(keep[:-1]):
        if index == block.name_column:
            cap = max(min(NAME_WIDTH[0], available // 2), min(NAME_WIDTH[1], width * 2 // 5))
            widths.append(min(wants[position], cap))
        else:
            widths.append(min(wants[position], OTHER_MAX))
    # The last column (a summary) keeps about a third of the table: narrow the others first.
    target = min(wants[-1], max(20, available // 3))
    # Narrow a column no further than its longest word (up to 14 cells), so words stay whole.
    floors = [max(16 if index == block.name_column else 8, min(_longest_word(block, index), 14)) for index in keep[:-1]]
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


def _longest_word(block: Grid, index: int) -> int:
    cells = [block.columns[index], *(row[index] for row in block.rows)]
    texts = [item for cell in cells for item in (cell if isinstance(cell, tuple) else (cell,))]
    return max((_cells(word) for text in texts for word in text.split()), default=0)


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

    width = max(width, 1)  # a column squeezed to nothing still shows one character a line
    lines: list[str] = []
    line, used = "", 0
    for word in text.split():
        size = _cells(word)
        pieces = _broken(word, width) if size > width else [word]
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


def _broken(word: str, width: int) -> list[str]:
    """A word too long for its cell, broken after its hyphens where it has them, else cut."""
    from rich.cells import chop_cells

    pieces: list[str] = []
    for part in re.findall(r"[^-]*-+|[^-]+$", word) or [word]:
        pieces += chop_cells(part, width) if _cells(part) > width else [part]
    # Join neighbours that still fit together ("self-" + "care" stays "self-care").
    joined: list[str] = []
    for piece in pieces:
        if joined and joined[-1].endswith("-") and _cells(joined[-1] + piece) <= width:
            joined[-1] += piece
        else:
            joined.append(piece)
    return joined


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


def print_blocks(blocks: Sequence[Block], console: Console) -> None:
    for index, block in enumerate(blocks):
        if index:
            console.print()
        # Every block is already wrapped to the width; asking Rich not to re-wrap saves its line splitting.
        console.print(_renderable(block, console.width), no_wrap=True, overflow="ignore", crop=False)
