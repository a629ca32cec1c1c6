"""painref.layout: cards and tables laid out to the terminal's width, compared whole."""

from __future__ import annotations

import io
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from painref import terminal
from painref.layout import (
    SINGLE_CELL_RANGES,
    WIDE_ENOUGH,
    ansi_blocks,
    cell_len,
    chop_cells,
    expand_tabs,
    plain_blocks,
    print_blocks,
)
from painref.views import Block, Fields, Grid, Heading, Paragraph, Section

GRID = Grid(
    ("Procedure", "Also called", "Category", "Summary"),
    (
        (
            "Knee joint injection (KJI)",
            "knee shot",
            "Joint injection",
            "A needle into the knee joint to ease pain from arthritis.",
        ),
        ("Facet block", "", "Spinal injection", "Numbs the small joints of the spine."),
    ),
    title="Procedures (2)",
    optional=("Also called", "Category"),
)
CARD = Fields(
    (
        ("Also called", "knee shot, KJI"),
        ("Risks", ("Soreness after the injection for a day or two", "Infection, rarely")),
        ("Sources", ("A review\nhttps://example.org/a/very/long/path/that/does/not/fit/anywhere",)),
    )
)


def laid_out(blocks: list[Block], width: int) -> str:
    buffer = io.StringIO()
    print_blocks(blocks, terminal.make_console(buffer, width=width, color=terminal.Color.NEVER))
    return buffer.getvalue()


def test_a_wide_table_shows_every_column():
    assert laid_out([GRID], WIDE_ENOUGH + 10) == (
        "Procedures (2)\n"
        "Procedure                   Also called  Category          Summary\n" + "─" * 116 + "\n"
        "Knee joint injection (KJI)  knee shot    Joint injection   "
        "A needle into the knee joint to ease pain from arthritis.\n"
        "Facet block                              Spinal injection  Numbs the small joints of the spine.\n"
    )


def test_a_narrow_table_drops_its_optional_columns_and_wraps_the_last():
    assert laid_out([GRID], 60) == (
        "Procedures (2)\n"
        "Procedure                   Summary\n" + "─" * 60 + "\n"
        "Knee joint injection (KJI)  A needle into the knee joint to\n"
        "                            ease pain from arthritis.\n"
        "Facet block                 Numbs the small joints of the\n"
        "                            spine.\n"
    )


def test_a_compare_table_keeps_row_labels_and_spaces_rows():
    grid = Grid(("", "A", "B"), (("Kind", "procedure", "treatment"), ("Risks", ("x", "y"), "—")), row_labels=True)
    assert laid_out([grid], 60) == (
        "       A          B\n" + "─" * 27 + "\nKind   procedure  treatment\n\nRisks  • x        —\n       • y\n"
    )


def test_a_card_aligns_values_and_cuts_a_long_url_into_pieces():
    assert laid_out([CARD], 60) == (
        "Also called  knee shot, KJI\n"
        "Risks        • Soreness after the injection for a day or two\n"
        "             • Infection, rarely\n"
        "Sources      • A review\n"
        "               https://example.org/a/very/long/path/that/doe\n"
        "               s/not/fit/anywhere\n"
    )


def test_a_card_on_a_narrow_terminal_puts_each_label_on_its_own_line():
    assert laid_out([CARD], 36) == (
        "Also called\n"
        "  knee shot, KJI\n"
        "Risks\n"
        "  • Soreness after the injection for\n"
        "    a day or two\n"
        "  • Infection, rarely\n"
        "Sources\n"
        "  • A review\n"
        "    https://example.org/a/very/long/\n"
        "    path/that/does/not/fit/anywhere\n"
    )


def test_headings_paragraphs_and_sections_wrap_with_a_blank_line_between_blocks():
    blocks: list[Block] = [
        Heading("Title", "sub"),
        Paragraph("word " * 20, "note"),
        Section("Risks", ("one", "two"), "Intro"),
    ]
    assert laid_out(blocks, 30) == (
        "Title\nsub\n\n"
        "word word word word word word\n"
        "word word word word word word\n"
        "word word word word word word\n"
        "word word\n\n"
        "Risks\nIntro\n• one\n• two\n"
    )


@pytest.mark.parametrize("width", [24, 40, 60, 80, 100, 120, 160])
def test_no_line_is_wider_than_the_terminal_or_ends_in_spaces(width):
    text = laid_out([GRID, CARD, Paragraph("x" * 300)], width)
    for line in text.splitlines():
        assert len(line) <= width, (width, line)
        assert line == line.rstrip(), (width, line)


def test_catalogue_text_is_shown_not_obeyed():
    text = laid_out([Fields((("Label\x1b[31m", "[bold]x[/] \x1b[2J"),)), Grid(("A",), (("\x07bell",),))], 80)
    assert "\x1b" not in text
    assert "\x07" not in text
    assert "[bold]x[/] \\x1b[2J" in text
    assert "\\x07bell" in text


def test_search_words_are_highlighted_on_a_colour_terminal():
    buffer = io.StringIO()
    grid = Grid(("Name", "Matched"), (("Knee shot", "knee pain"),), highlight=("knee",))
    print_blocks([grid], terminal.make_console(buffer, width=80, color=terminal.Color.ALWAYS))
    styled = buffer.getvalue()
    assert styled.count("\x1b[1;33m") == 2, "both cells' matching words are bold yellow"


# --- the plain path: the same text without Rich -------------------------------------------------


def plainly(blocks: list[Block], width: int) -> str:
    return "".join(plain_blocks(blocks, width))


@pytest.mark.parametrize("width", [20, 36, 60, 80, 120, 160])
def test_plain_text_is_what_rich_prints_without_colour(width):
    blocks: list[Block] = [
        Heading("Title", "sub"),
        GRID,
        CARD,
        Paragraph("word " * 20, "note"),
        Section("Risks", ("one", "two"), "Intro"),
        Grid(("", "A", "B"), (("Kind", "procedure", "treatment"), ("Risks", ("x", "y"), "—")), row_labels=True),
        Grid(("Name", "Matched"), (("Knee shot", "knee pain"),), highlight=("knee",)),
    ]
    assert plainly(blocks, width) == laid_out(blocks, width)


# Text as catalogues hold it (accents, dashes, quotes, bullets, arrows), and what they might:
# wide East Asian text, emoji with joiners and selectors, combining marks, tabs, controls.
_TEXT = st.text(
    st.one_of(
        st.sampled_from(list("abc xyz-/.,é·—–“”’•→≥…\t\n")),
        st.characters(codec="utf-8"),
        st.sampled_from(["漢", "字", "👍", "❤", "👨", "\u200d", "\ufe0f", "\u0301"]),
    ),
    max_size=40,
)
_CELL = st.one_of(_TEXT, st.tuples(_TEXT, _TEXT))
_BLOCK = st.one_of(
    st.builds(Heading, _TEXT, _TEXT),
    st.builds(Paragraph, _TEXT, st.sampled_from(["", "note", "label"])),
    st.builds(Section, _TEXT, st.lists(_TEXT, max_size=3).map(tuple), _TEXT),
    st.builds(Fields, st.lists(st.tuples(_TEXT, _CELL), min_size=1, max_size=3).map(tuple)),
    st.integers(1, 4).flatmap(
        lambda n: st.builds(
            Grid,
            st.tuples(*[_TEXT] * n),
            st.lists(st.tuples(*[_CELL] * n), max_size=3).map(tuple),
            _TEXT,
            st.lists(st.sampled_from(["a", "x", "é"]), max_size=2).map(tuple),
            st.booleans(),
            optional=st.just(()),
            name_column=st.just(0),
        )
    ),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_BLOCK, min_size=1, max_size=3), st.integers(20, 140))
def test_plain_text_is_what_rich_prints_for_any_text(blocks, width):
    assert plainly(blocks, width) == laid_out(blocks, width)


# Text as a list's cells mostly hold: printable text one cell a character (the quick path of plain
# tables), with runs of spaces, long words, empty cells, and now and then a character that takes
# the slow path (wide, or a space that is not " ").
_LIST_TEXT = st.lists(
    st.sampled_from([*"ab xyz-", "  ", "supercalifragilistic", "·", "…", "é", "漢", "\xa0"]), max_size=24
).map("".join)
_LIST_GRID = st.integers(1, 5).flatmap(
    lambda n: st.builds(
        Grid,
        st.lists(st.text(st.sampled_from(list("ABC ")), max_size=12), min_size=n, max_size=n, unique=True).map(tuple),
        st.lists(st.tuples(*[_LIST_TEXT] * n), max_size=8).map(tuple),
        st.text(st.sampled_from(list("Ab (1)")), max_size=12),
        optional=st.sets(st.integers(0, n - 2)).map(tuple) if n > 1 else st.just(()),  # never the last column
        name_column=st.integers(0, n - 1),
    ).map(lambda grid: grid._replace(optional=tuple(grid.columns[i] for i in grid.optional)))
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_LIST_GRID, min_size=1, max_size=2), st.integers(20, 140))
def test_a_plain_list_is_what_rich_prints(blocks, width):
    assert plainly(blocks, width) == laid_out(blocks, width)


@settings(max_examples=500, deadline=None)
@given(_TEXT)
def test_cell_len_measures_as_rich_does(text):
    from rich.cells import cell_len as rich_cell_len

    assert cell_len(text) == rich_cell_len(text)


@settings(max_examples=300, deadline=None)
@given(_TEXT, st.integers(1, 12))
def test_chop_cells_cuts_as_rich_does(text, width):
    from rich.cells import chop_cells as rich_chop_cells

    assert chop_cells(text, width) == rich_chop_cells(text, width)


def test_every_character_taken_as_one_cell_is_one_cell_in_every_unicode_version():
    from rich._unicode_data._versions import VERSIONS
    from rich.cells import get_character_cell_size

    for start, end in SINGLE_CELL_RANGES:
        for code in range(start, end + 1):
            for version in (*VERSIONS, "latest"):
                assert get_character_cell_size(chr(code), version) == 1, (hex(code), version)


def test_tabs_expand_to_the_next_stop_as_rich_does():
    assert expand_tabs("a\tb\n\tc\téé\td") == "a       b\n        c       éé      d"


def _wrap_word_by_word(text: str, width: int) -> list[str]:
    """The wrapping rule spelled out slowly: greedy, words measured in cells, long words cut."""
    from painref.layout import _broken, _cells

    width = max(width, 1)
    lines: list[str] = []
    line, used = "", 0
    for word in text.split():
        for piece in _broken(word, width) if _cells(word) > width else [word]:
            size = _cells(piece)
            if line and used + 1 + size <= width:
                line, used = line + " " + piece, used + 1 + size
            else:
                if line:
                    lines.append(line)
                line, used = piece, size
    return [*lines, line]


@settings(max_examples=400, deadline=None)
@given(_TEXT, st.integers(0, 50))
def test_the_quick_paths_wrap_as_the_rule_says(text, width):
    from painref.layout import _wrap

    assert _wrap(text, width) == _wrap_word_by_word(text, width)


@settings(max_examples=400, deadline=None)
@given(st.text(st.sampled_from(list("abcdef -\t\n")), max_size=300), st.integers(0, 60))
def test_long_ascii_text_wraps_as_the_rule_says(text, width):
    # ASCII text longer than its cell takes the regular-expression path, or the loop when a word
    # is too long for the cell.
    from painref.layout import _wrap

    assert _wrap(text, width) == _wrap_word_by_word(text, width)


# --- the colour path: Rich's codes without Rich's console -----------------------------------------


def coloured(blocks: list[Block], width: int, color_system: str | None, no_color: bool) -> str:
    """What print_blocks writes through a Rich console on a terminal with this colour system."""
    from rich.console import Console

    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=width,
        height=25,  # with a width, so a TERM of dumb does not make it 80 wide
        force_terminal=True,
        color_system=color_system,  # type: ignore[arg-type]
        no_color=no_color,
        highlight=False,
        emoji=False,
        markup=False,
        soft_wrap=False,
    )
    print_blocks(blocks, console)
    return buffer.getvalue()


_SYSTEMS = st.sampled_from(["standard", "256", "truecolor", None])
_SAMPLE: list[Block] = [
    Heading("Title", "sub"),
    GRID,
    CARD,
    Paragraph("word " * 20, "note"),
    Paragraph("A label", "label"),
    Section("Risks", ("one", "two"), "Intro"),
    Grid(("", "A", "B"), (("Kind", "procedure", "treatment"), ("Risks", ("x", "y"), "—")), row_labels=True),
    Grid(("Name", "Matched"), (("Knee shot", "knee pain, kneecap"),), highlight=("knee", "pain")),
]


@pytest.mark.parametrize("width", [20, 36, 80, 120, 160])
@pytest.mark.parametrize("color_system", ["standard", "256", "truecolor"])
def test_colour_text_is_what_rich_prints_on_a_terminal(width, color_system):
    text = ansi_blocks(_SAMPLE, width, color_system)
    assert text == coloured(_SAMPLE, width, color_system, no_color=False)
    assert "\x1b[1;33mknee\x1b[0m" in text, "search words are highlighted"
    assert ansi_blocks(_SAMPLE, width, color_system, no_color=True) == coloured(
        _SAMPLE, width, color_system, no_color=True
    )


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_BLOCK, min_size=1, max_size=3), st.integers(20, 140), _SYSTEMS, st.booleans())
def test_colour_text_is_what_rich_prints_for_any_text(blocks, width, color_system, no_color):
    text = ansi_blocks(blocks, width, color_system, no_color=no_color)
    if text is None:  # a tab: left to Rich
        assert "\\t" in repr(blocks), "only a tab leaves a block to Rich"
        return
    assert text == coloured(blocks, width, color_system, no_color)


@pytest.mark.parametrize("color_system", ["standard", "256", "truecolor"])
@pytest.mark.parametrize("no_color", [False, True])
@pytest.mark.parametrize(
    "names",
    [("bold",), ("bold cyan",), ("dim italic",), ("bold", "dim"), ("bold cyan", "bold yellow"), ("underline red",)],
)
def test_style_codes_are_rich_styles_codes(names, color_system, no_color):
    """The codes written by hand for painref's own styles, and by rich.style for any other, are the
    codes rich.style.Style writes for the styles combined."""
    from rich.color import ColorSystem
    from rich.style import Style

    from painref.layout import _COLOR_SYSTEMS, _Renderer

    style = Style.combine([Style.null(), *(Style.parse(name) for name in names)])
    style = style.without_color if no_color else style
    expected = style.render("x", color_system=ColorSystem[_COLOR_SYSTEMS[color_system]])
    opening = _Renderer(color_system, no_color).style(names)
    assert ("x" if opening is None else f"{opening}x\x1b[0m") == expected


def test_colour_text_keeps_catalogue_escapes_harmless():
    blocks: list[Block] = [Fields((("Label\x1b[31m", "[bold]x[/] \x1b]52;c;aGk=\x07 \u202eevil"),))]
    text = ansi_blocks(blocks, 80, "truecolor")
    assert text is not None
    for shown in ("\\x1b[31m", "\\x1b]52", "\\x07", "\\u202e"):
        assert shown in text
    for raw in ("\x07", "\u202e", "\x1b]"):
        assert raw not in text
    assert set(re.findall(r"\x1b\[[0-9;]*m", text)) <= {"\x1b[1;36m", "\x1b[0m"}, "only the label's own style"


def test_a_tab_is_left_to_rich():
    assert ansi_blocks([Grid(("A",), (), title="a\tb")], 80, "standard") is None


@settings(max_examples=100, deadline=None)
@given(st.lists(_LIST_TEXT, max_size=600), st.integers(1, 20))
def test_the_longest_word_of_a_column_is_its_widest_cells_word(texts, enough):
    from painref.layout import _longest_word

    grid = Grid(("Name",), tuple((text,) for text in texts))
    widest = max((cell_len(word) for text in ("Name", *texts) for word in text.split()), default=0)
    found = _longest_word(grid, 0, enough)
    assert found == widest if widest < enough else found >= enough
