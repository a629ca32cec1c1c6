"""Tables and cards laid out by hand, wrapped to the terminal's width: plain text for a pipe,
styled text (Rich's codes) for a terminal.

Layout builds each block once as `Styled` text: runs of text with the style each would have.
`plain` joins the runs, which is exactly what Rich prints when it has no colour to add, so output
to a pipe never imports Rich's console (about a fifth of a run); `ansi_blocks` cuts the same runs
into the segments Rich's console would print and writes the codes rich.style.Style would for its
few styles (importing rich.style costs about a sixth of a run), so a colour terminal needs no Rich
at all; `print_blocks` hands the runs to a Rich console as Text
(a console given by the caller, tabs, Windows, Jupyter). Widths are measured in terminal cells by
`cell_len`, which gives rich.cells.cell_len's answer without importing Rich for the characters a
catalogue holds."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from functools import cache
from itertools import pairwise
from typing import TYPE_CHECKING, TypeGuard, assert_never, cast

from painref.terminal import clean
from painref.views import Block, Cell, Fields, Grid, Heading, Paragraph, Section

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

# Table layout: below WIDE_ENOUGH columns a table drops its optional columns rather than
# squeezing every one; a name column keeps between NAME_WIDTH cells, other middle columns
# grow to OTHER_MAX at most, and GAP spaces separate columns.
WIDE_ENOUGH = 110
NAME_WIDTH = (26, 36)
OTHER_MAX = 24
GAP = 2


# Characters one terminal cell wide in every Unicode version Rich knows, beyond ASCII: Latin-1,
# Latin Extended, Greek and Cyrillic, box drawing, Braille (rich.cells' own single-cell ranges),
# and general punctuation, letter-like symbols, arrows and mathematical operators (dashes, quotes,
# bullets, "→", "≥"). tests/test_layout.py checks every one against rich.cells for every version.
SINGLE_CELL_RANGES: tuple[tuple[int, int], ...] = (
    (0x20, 0x7E),
    (0xA0, 0xAC),
    (0xAE, 0x2FF),
    (0x370, 0x482),
    (0x2010, 0x2027),
    (0x202F, 0x205F),
    (0x2100, 0x2319),
    (0x2500, 0x25FC),
    (0x2800, 0x28FF),
)
_SINGLE_CELLS = frozenset(chr(code) for start, end in SINGLE_CELL_RANGES for code in range(start, end + 1))
_all_single_cell = _SINGLE_CELLS.issuperset


def cell_len(text: str) -> int:
    """Terminal cells `text` takes, as rich.cells.cell_len measures it; Rich is imported only for
    characters outside SINGLE_CELL_RANGES (wide East Asian text, emoji, combining marks)."""
    if _all_single_cell(text):
        return len(text)
    from rich.cells import cell_len as rich_cell_len

    return rich_cell_len(text)


def chop_cells(text: str, width: int) -> list[str]:
    """`text` cut into pieces at most `width` cells wide, as rich.cells.chop_cells cuts it."""
    if _all_single_cell(text):
        return [text[index : index + width] for index in range(0, len(text), width)]
    from rich.cells import chop_cells as rich_chop_cells

    return rich_chop_cells(text, width)


class Styled:
    """Text built in runs, each with the style it has on a colour terminal (Rich style names).

    `plain` is the text itself; `rich` the same as rich.text.Text. A run may also carry words to
    highlight within it (search results).
    """

    __slots__ = ("base", "runs", "stripped")

    def __init__(self, text: str = "", style: str = "") -> None:
        self.base = (text, style)
        self.runs: list[tuple[str, str, Sequence[str]]] = []
        self.stripped = False

    def append(self, text: str, style: str = "", highlight: Sequence[str] = ()) -> None:
        self.runs.append((text, style, highlight))

    def rstrip(self) -> None:
        """Drop trailing whitespace (of the whole text; nothing may be appended after)."""
        self.stripped = True

    @property
    def plain(self) -> str:
        text = self.base[0] + "".join(run for run, _, _ in self.runs)
        return text.rstrip() if self.stripped else text

    def rich(self) -> Text:
        from rich.text import Text

        text = Text(self.base[0], style=self.base[1])
        for run, style, highlight in self.runs:
            if highlight:
                piece = Text(run, style=style)
                _highlight(piece, highlight)
                text.append_text(piece)
            else:
                text.append(run, style=style or None)
        if self.stripped:
            text.rstrip()
        return text


def _card(block: Fields, width: int) -> Styled:
    """Label/value rows laid out directly as one text, with hanging indents for wrapped lines.

    A Rich table would measure every word of every cell twice; a card's layout is simple
    enough to wrap here, which makes `show` several milliseconds faster.
    """
    label_width = max((cell_len(label) for label, _ in block.rows), default=0) + 2
    # On a narrow terminal each label goes on its own line, with the value indented below it.
    stacked = width - label_width < 30
    indent = 2 if stacked else label_width
    value_width = max(width - indent, 10)
    card = Styled()
    for label, value in block.rows:
        lines = _cell_lines(value, value_width)
        card.append(clean(label) if stacked else clean(label).ljust(label_width - 2), style="bold cyan")
        card.append(("\n" if stacked else "") + "  " + ("\n" + " " * indent).join(lines) + "\n")
    card.rstrip()
    return card


def _one_clean_line(cell: Cell) -> TypeGuard[str]:
    """Whether a cell is one line of plain ASCII text, with nothing to clean or split (most are)."""
    return isinstance(cell, str) and cell.isascii() and cell.isprintable()


def _cell_lines(cell: Cell, width: int | None = None) -> list[str]:
    """A cell as clean lines, wrapped to `width` if given; list items get bullets and hanging indents."""
    if _one_clean_line(cell):
        return [cell] if width is None else _wrap(cell, width)
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
        widest = _cells(block.columns[index])
        cells = [row[index] for row in block.rows]
        for start in range(0, len(cells), ROWS_A_PIECE):
            piece = cells[start : start + ROWS_A_PIECE]
            texts = _simple_texts(piece)  # as wide as they are long
            widest = max(widest, max(map(len, texts) if texts is not None else map(_natural, piece), default=0))
        return widest

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
    floors = [
        max(16 if index == block.name_column else 8, min(_longest_word(block, index, 14), 14)) for index in keep[:-1]
    ]
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


def _natural(cell: Cell) -> int:
    """A cell's widest line unwrapped (as `_cell_lines` lays it out), in terminal cells."""
    if _one_clean_line(cell):
        return len(cell)
    return max(map(_cells, _cell_lines(cell)), default=0)


def _longest_word(block: Grid, index: int, enough: int) -> int:
    """The widest word in a column, or a width of at least `enough` as soon as a piece of the
    column (ROWS_A_PIECE rows) has a word that wide."""
    longest = _widest_word(block.columns[index])
    cells = [row[index] for row in block.rows]
    for start in range(0, len(cells), ROWS_A_PIECE):
        if longest >= enough:
            break
        piece = cells[start : start + ROWS_A_PIECE]
        texts = _simple_texts(piece)  # one cell a character: the piece's words at once
        widest = max(map(len, " ".join(texts).split()), default=0) if texts is not None else 0
        longest = max(longest, widest, *(map(_widest_word, piece) if texts is None else ()))
    return longest


def _widest_word(cell: Cell) -> int:
    """The widest word of a cell, in terminal cells."""
    widest = 0
    for text in cell if isinstance(cell, tuple) else (cell,):
        if text.isascii():
            widest = max(widest, max(map(len, text.split()), default=0))
        else:
            widest = max(widest, max((_cells(word) for word in text.split()), default=0))
    return widest


def _grid(block: Grid, width: int) -> Styled:
    """A table laid out directly as one text: a bold header, a rule, then wrapped, aligned rows.

    Rich's Table measured every word of every cell twice, about 0.5 ms a row; this keeps its
    look (a simple header rule, no borders) at a fraction of the cost.
    """
    table = Styled()
    for piece in _grid_pieces(block, width):
        table.runs += piece.runs
    table.rstrip()
    return table


def _grid_pieces(block: Grid, width: int, columns: tuple[list[int], list[int]] | None = None) -> Iterator[Styled]:
    """A table as pieces of whole lines: the title, header and rule, then one piece per row (joined,
    and stripped of the trailing whitespace, they are `_grid`). `columns`: the kept columns and
    their widths (`_grid_columns`), when the caller has them."""
    keep, widths = columns or _grid_columns(block, width)
    table = Styled()
    if block.title:
        table.append(clean(block.title) + "\n", style="bold")

    def add_row(cells: Sequence[list[str]], styles: Sequence[str], highlight: Sequence[str] = ()) -> None:
        if not highlight and not any(styles):  # a list's rows: one run of text, at a fraction of the cost
            table.append(_plain_row(cells, widths))
            return
        for number in range(max(len(lines) for lines in cells)):
            # Stop at the last column with text on this line, so lines carry no trailing spaces.
            filled = [position for position, lines in enumerate(cells) if number < len(lines) and lines[number]]
            for position, lines in enumerate(cells[: filled[-1] + 1] if filled else []):
                text = lines[number] if number < len(lines) else ""
                if highlight and not (block.row_labels and position == 0):
                    table.append(text, styles[position], highlight)
                else:
                    table.append(text, styles[position])
                if position != filled[-1]:
                    table.append(" " * (widths[position] - _cells(text) + GAP))
            table.append("\n")

    add_row([_cell_lines(block.columns[i], w) for i, w in zip(keep, widths, strict=True)], ["bold"] * len(keep))
    table.append("─" * min(width, sum(widths) + GAP * (len(keep) - 1)) + "\n")
    styles = ["bold cyan" if block.row_labels and i == 0 else "" for i in keep]
    for number, row in enumerate(block.rows):
        yield table
        table = Styled()
        if number and block.row_labels:
            table.append("\n")
        add_row([_cell_lines(row[i], w) for i, w in zip(keep, widths, strict=True)], styles, block.highlight)
    yield table


def _grid_columns(block: Grid, width: int) -> tuple[list[int], list[int]]:
    """The columns a table shows at this width (all of them on a wide terminal, else the required
    ones), and their widths."""
    keep = [i for i, c in enumerate(block.columns) if width >= WIDE_ENOUGH or c not in block.optional]
    return keep, _column_widths(block, keep, width)


def _plain_grid(block: Grid, width: int) -> Iterator[str]:
    """A table's text in pieces of whole lines, as `_grid_pieces` lays it out. A table without
    styled rows (a list) comes as plain strings, many rows a piece, never as Styled text, so a
    list of 50,000 entries is written as it is laid out, at a few microseconds a row."""
    if block.highlight or block.row_labels:
        for piece in _grid_pieces(block, width):
            yield piece.plain
        return
    columns = _grid_columns(block, width)
    yield next(_grid_pieces(block, width, columns)).plain  # the title, header and rule
    yield from _plain_rows(block.rows, *columns)


# How many rows of a long table are joined into one piece of text (one write).
ROWS_A_PIECE = 256


def _plain_rows(rows: Sequence[Sequence[Cell]], keep: Sequence[int], widths: Sequence[int]) -> Iterator[str]:
    """Rows as `_plain_row` lays them out, ROWS_A_PIECE rows a string, each piece laid out column
    by column (`_column_lines`); a row of simple cells (`_simple`: nearly every row of a list) is
    put together by `_simple_row`."""
    pads = [size + GAP for size in widths[:-1]]
    indent = " " * sum(pads)
    for start in range(0, len(rows), ROWS_A_PIECE):
        piece = rows[start : start + ROWS_A_PIECE]
        columns = [_column_lines([row[index] for row in piece], size) for index, size in zip(keep, widths, strict=True)]
        cells = zip(*(lines for lines, _ in columns), strict=True)
        marks = [simple for _, simple in columns if simple is not None]
        if not marks:
            yield "".join([_simple_row(row, pads, indent) for row in cells])
        else:
            simple_rows = map(all, zip(*marks, strict=True))
            yield "".join(
                [
                    _simple_row(row, pads, indent) if simple else _plain_row(row, widths)
                    for row, simple in zip(cells, simple_rows, strict=True)
                ]
            )


def _simple(text: str) -> bool:
    """Whether `text` is one line of printable text, each character one cell wide (nearly every
    cell of a list): nothing to clean or split, and as wide as it is long."""
    return text.isprintable() and (text.isascii() or _all_single_cell(text))


def _simple_texts(cells: list[Cell]) -> list[str] | None:
    """The cells, if every one is simple text (`_simple`), checked at once."""
    if set(map(type, cells)) <= {str}:
        texts = cast("list[str]", cells)
        if _simple("".join(texts)):
            return texts
    return None


def _simple_lines(text: str, width: int) -> list[str]:
    """A simple text's lines (`_simple`) at this width, as `_cell_lines` gives them."""
    return _wrap(text, width, single_cell=True)


def _column_lines(cells: list[Cell], width: int) -> tuple[list[list[str]], list[bool] | None]:
    """Each cell's lines as `_cell_lines` gives them at this width, and which cells are simple text
    (None: all of them, as in nearly every column of a list)."""
    texts = _simple_texts(cells)
    if texts is not None:
        return [_simple_lines(text, width) for text in texts], None
    simple = [isinstance(cell, str) and _simple(cell) for cell in cells]
    return [
        _simple_lines(cell, width) if isinstance(cell, str) and plain else _cell_lines(cell, width)
        for cell, plain in zip(cells, simple, strict=True)
    ], simple


def _simple_row(cells: Sequence[list[str]], pads: Sequence[int], indent: str) -> str:
    """`_plain_row` for cells of simple lines (`_simple`), which have no spaces at either end:
    padding every text but the last to its column (and the gap), then dropping the spaces at the
    end of the line, stops each line at its last text, as `_plain_line` does. `indent`: the pads'
    sum."""
    *heads, last = cells
    if max(map(len, heads), default=1) == 1:  # only the last cell wraps, if any
        first = ("".join([lines[0].ljust(pad) for lines, pad in zip(heads, pads, strict=True)]) + last[0]).rstrip(" ")
        if len(last) == 1:
            return first + "\n"
        return first + "\n" + indent + ("\n" + indent).join(last[1:]) + "\n"
    height = max(map(len, cells))
    columns = [
        [text.ljust(pad) for text in lines] + [" " * pad] * (height - len(lines))
        for lines, pad in zip(heads, pads, strict=True)
    ]
    columns.append(last + [""] * (height - len(last)))
    return "\n".join(["".join(parts).rstrip(" ") for parts in zip(*columns, strict=True)]) + "\n"


def _plain_row(cells: Sequence[list[str]], widths: Sequence[int]) -> str:
    """A row's lines as `add_row` lays them out, without styles: each cell padded to its column
    and the gap, up to the last cell with text on that line."""
    *heads, last = cells
    if last and all(len(lines) == 1 for lines in heads):  # a list's row: only its summary wraps
        indent = " " * sum(width + GAP for width in widths[: len(heads)])
        return _plain_line([lines[0] for lines in (*heads, last)], widths) + "".join(
            indent + text + "\n" if text else "\n" for text in last[1:]
        )
    return "".join(
        _plain_line([lines[number] if number < len(lines) else "" for lines in cells], widths)
        for number in range(max(map(len, cells)))
    )


def _plain_line(texts: list[str], widths: Sequence[int]) -> str:
    """One line of a row: each cell's text padded to its column and the gap, up to the last with text."""
    while texts and not texts[-1]:
        texts.pop()
    padded = [
        text.ljust(width + GAP) if text.isascii() else text + " " * (width - _cells(text) + GAP)
        for text, width in zip(texts[:-1], widths, strict=False)
    ]
    return "".join(padded) + (texts[-1] if texts else "") + "\n"


def _cells(text: str) -> int:
    """Terminal cells `text` takes: its length when ASCII (nearly always), else Rich's measure."""
    if text.isascii():
        return len(text)
    return cell_len(text)


def _wrap(text: str, width: int, single_cell: bool = False) -> list[str]:
    """Words wrapped to a cell width; a word longer than the width (a URL) is cut into pieces.
    `single_cell`: the caller knows every character is one cell wide, as ASCII's are."""

    width = max(width, 1)  # a column squeezed to nothing still shows one character a line
    single_cell = single_cell or text.isascii()
    if single_cell:
        if len(text) <= width:  # it fits (most cells of a list): one line, as below
            return [" ".join(text.split())]
        # Greedy wrapping as below, in one pass of the regular expression: the longest runs of at
        # most `width` characters that end at a word's end. They hold every word unless one is
        # longer than the width, which the loop below breaks.
        single = " ".join(text.split())
        # Not where a word is longer than the width: the expression would try every start in it,
        # each as long as the width (a 400 KB word took 20 s), for runs the loop below cuts anyway.
        if not _too_long(width).search(single):
            fitted: list[str] = _fitting(width).findall(single)
            if sum(map(len, fitted)) + len(fitted) - 1 == len(single):
                return fitted
    lines: list[str] = []
    line, used = "", 0
    measure = len if single_cell else _cells  # an ASCII character is one cell
    for word in text.split():
        size = measure(word)
        if size <= width:  # the usual case, as the loop below would place it
            if line and used + 1 + size <= width:
                line += " " + word
                used += 1 + size
            else:
                if line:
                    lines.append(line)
                line, used = word, size
            continue
        pieces = _broken(word, width)
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


@cache
def _fitting(width: int) -> re.Pattern[str]:
    return re.compile(rf"\S.{{0,{width - 1}}}(?= |$)")


@cache
def _too_long(width: int) -> re.Pattern[str]:
    return re.compile(rf"\S{{{width + 1}}}")


def _broken(word: str, width: int) -> list[str]:
    """A word too long for its cell, broken after its hyphens where it has them, else cut."""
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


def _styled(block: Block, width: int) -> Styled:
    if isinstance(block, Heading):
        heading = Styled("\n".join(_cell_lines(block.text, width)), "bold")
        if block.subtitle:
            heading.append("\n" + "\n".join(_cell_lines(block.subtitle, width)), "dim")
        return heading
    if isinstance(block, Paragraph):
        wrapped = "\n".join(_cell_lines(block.text, width))
        return Styled(wrapped, {"note": "dim italic", "label": "bold"}.get(block.style, ""))
    if isinstance(block, Fields):
        return _card(block, width)
    if isinstance(block, Grid):
        return _grid(block, width)
    if isinstance(block, Section):
        section = Styled("\n".join(_cell_lines(block.title, width)), "bold")
        if block.text:
            section.append("\n" + "\n".join(_cell_lines(block.text, width)))
        for item in block.items:
            lines = _cell_lines(item, max(width - 2, 10))
            section.append("\n• " + "\n  ".join(lines))
        return section
    assert_never(block)


def print_blocks(blocks: Sequence[Block], console: Console) -> None:
    """Blocks through a Rich console (a terminal: styles, colour), a blank line between them."""
    for index, block in enumerate(blocks):
        if index:
            console.print()
        # Every block is already wrapped to the width; asking Rich not to re-wrap saves its line splitting.
        console.print(_styled(block, console.width).rich(), no_wrap=True, overflow="ignore", crop=False)


def ansi_blocks(blocks: Sequence[Block], width: int, color_system: str | None, no_color: bool = False) -> str | None:
    """Blocks as the exact text `print_blocks` writes on a console with this colour system, width and
    NO_COLOR, without rich.console: each line is cut into segments where Rich cuts it (at every
    edge of a style run, as rich.text.Text.render does), and each segment gets the codes
    rich.style.Style would write (see _ATTRIBUTE_CODES; other styles are left to rich.style).

    None when a block holds a tab: Rich expands tabs within styled runs in a way not copied here
    (print through the console then). tests/test_layout.py compares this with print_blocks.
    """
    if color_system is None:  # a terminal without colour (TERM=dumb, --color never): the plain text
        return "".join(plain_blocks(blocks, width))
    pieces: list[str] = []
    render = _Renderer(color_system, no_color)
    for index, block in enumerate(blocks):
        if index:
            pieces.append("\n")
        text, spans = _spans(_styled(block, width))
        if "\t" in text:
            return None
        pieces.append(render.text(text, spans))
    return "".join(pieces)


# A run of text, as Rich holds it: start, end, style name.
_Span = tuple[int, int, str]
# Characters rich.text.Text drops from what is appended (rich.control.strip_control_codes).
_RICH_STRIPS = dict.fromkeys((7, 8, 11, 12, 13))


def _spans(styled: Styled) -> tuple[str, list[_Span]]:
    """The text and style spans Rich's console prints for `styled.rich()`, in Rich's order (the
    order decides how overlapping styles combine)."""
    base, base_style = styled.base
    parts = [base.translate(_RICH_STRIPS)]
    spans: list[_Span] = []
    offset = len(parts[0])
    for run, style, highlight in styled.runs:
        run = run.translate(_RICH_STRIPS)
        if highlight:  # appended as a Text: its style spans it even when empty, then the matches
            if style:
                spans.append((offset, offset + len(run), style))
            pattern = r"(?i)\b(?:" + "|".join(re.escape(w) for w in highlight) + r")\w*"
            spans += [
                (offset + m.start(), offset + m.end(), "bold yellow")
                for m in re.finditer(pattern, run)
                if m.end() > m.start()
            ]
        elif style and run:
            spans.append((offset, offset + len(run), style))
        parts.append(run)
        offset += len(run)
    text = "".join(parts)
    if styled.stripped and text != text.rstrip():
        text = text.rstrip()
        end = len(text)
        spans = [(start, min(stop, end), style) for start, stop, style in spans if start < end]
    # Console.print joins the Text into another, which turns its own style into the first span.
    if base_style:
        spans.insert(0, (0, len(text), base_style))
    return text, spans


# The SGR codes of the style words painref's own blocks use, as rich.style.Style writes them:
# attributes in Rich's order (bold 1, dim 2, italic 3), then the colour; standard colours have
# the same code in every colour system. A style with any other word is rendered by rich.style.
_ATTRIBUTE_CODES = {"bold": "1", "dim": "2", "italic": "3"}
_COLOUR_CODES = {"cyan": "36", "yellow": "33"}


class _Renderer:
    """Rich's segments and codes for spans of text (rich.text.Text.render, Console._render_buffer)."""

    def __init__(self, color_system: str, no_color: bool) -> None:
        self.color_system_name = color_system
        self.no_color = no_color
        # Per combination of style names: the code that opens it, or None for no style at all.
        self.styles: dict[tuple[str, ...], str | None] = {}

    def style(self, names: tuple[str, ...]) -> str | None:
        if names not in self.styles:
            self.styles[names] = self._codes(names)
        return self.styles[names]

    def _codes(self, names: tuple[str, ...]) -> str | None:
        """The opening code of the styles combined (later ones win, as Style.combine does)."""
        attributes: set[str] = set()
        colour = None
        for word in " ".join(names).split():
            if word in _ATTRIBUTE_CODES:
                attributes.add(word)
            elif word in _COLOUR_CODES:
                colour = _COLOUR_CODES[word]
            else:
                return self._rich_codes(names)
        codes = [code for word, code in _ATTRIBUTE_CODES.items() if word in attributes]
        if colour is not None and not self.no_color:
            codes.append(colour)
        return f"\x1b[{';'.join(codes)}m" if codes else None

    def _rich_codes(self, names: tuple[str, ...]) -> str | None:
        """The opening code rich.style.Style writes for these styles (about 15 ms to import)."""
        from rich.color import ColorSystem
        from rich.style import Style

        style = Style.combine([Style.null(), *(Style.parse(name) for name in names)])
        if self.no_color:
            style = style.without_color
        if not style:
            return None
        # Style.render wraps text in its codes and a reset; rendering a marker shows the opening.
        rendered = style.render("\0", color_system=ColorSystem[_COLOR_SYSTEMS[self.color_system_name]])
        return rendered[: rendered.index("\0")] if rendered != "\0" else None

    def text(self, text: str, spans: list[_Span]) -> str:
        if "\n" not in text:
            return self.line(text, spans) + "\n"
        lines, start = [], 0
        for line in text.split("\n"):
            end = start + len(line)
            clipped = [
                (max(s, start) - start, min(e, end) - start, n) for s, e, n in spans if min(e, end) > max(s, start)
            ]
            lines.append(self.line(line, clipped))
            start = end + 1
        return "\n".join(lines) + "\n"

    def line(self, text: str, spans: list[_Span]) -> str:
        if not spans:
            return text
        # As rich.text.Text.render: segment edges where any span starts or ends, styles combined in span order.
        edges = [(0, False, 0)]
        edges += [(start, False, number) for number, (start, _, _) in enumerate(spans, 1)]
        edges += [(end, True, number) for number, (_, end, _) in enumerate(spans, 1)]
        edges.append((len(text), True, 0))
        edges.sort(key=lambda edge: (edge[0], edge[1]))
        active: list[int] = []
        out = []
        for (offset, leaving, number), (following, _, _) in pairwise(edges):
            if leaving:
                active.remove(number)
            else:
                active.append(number)
            if following > offset:
                piece = text[offset:following]
                opening = self.style(tuple(spans[n - 1][2] for n in sorted(active) if n))
                out.append(piece if opening is None else f"{opening}{piece}\x1b[0m")
        return "".join(out)


_COLOR_SYSTEMS = {"standard": "STANDARD", "256": "EIGHT_BIT", "truecolor": "TRUECOLOR"}


def plain_blocks(blocks: Iterable[Block], width: int) -> Iterator[str]:
    """Blocks as the exact text `print_blocks` prints on a console with no colour, without Rich:
    what goes to a pipe or a file. A table comes row by row, so a long one is never held whole."""
    for index, block in enumerate(blocks):
        if index:
            yield "\n"
        if not isinstance(block, Grid):
            yield expand_tabs(_styled(block, width).plain) + "\n"
            continue
        # The table's text stripped of trailing whitespace, as _grid does, but written as it
        # comes: whitespace at the end of a piece waits until text follows it.
        waiting = ""
        for piece in _plain_grid(block, width):
            text = expand_tabs(piece)
            body = text.rstrip()
            if body:
                yield waiting + body
                waiting = text[len(body) :]
            else:
                waiting += text
        yield "\n"


def expand_tabs(text: str, size: int = 8) -> str:
    """Tabs as spaces to the next multiple of `size` cells, line by line, as Rich prints them."""
    if "\t" not in text:
        return text
    lines = []
    for line in text.split("\n"):
        column, pieces = 0, []
        for part in re.split(r"(?<=\t)", line):
            if part.endswith("\t"):
                part = part[:-1] + " "
                column += cell_len(part)
                if column % size:
                    part += " " * (size - column % size)
                    column += size - (column % size)
            else:
                column += cell_len(part)
            pieces.append(part)
        lines.append("".join(pieces))
    return "\n".join(lines)
