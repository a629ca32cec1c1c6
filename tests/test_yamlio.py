"""painref.yamlio: safe, plain parsing (dates stay text, no tags or anchors) and where each node stands."""

from __future__ import annotations

import io
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from painref import yamlio
from painref.errors import CatalogueError
from painref.yamlio import Positions, Unsplit, parse, parse_piece, split_pieces, stream_items


def test_a_document_parses_to_plain_values():
    text = """\
version: 3
procedures:
  - id: rfa
    last_checked: 2026-01-01
    invasiveness: 4
    aliases: [RFA, "radio frequency"]
    flag: true
    nothing: null
    ratio: 1.5
    hex: 0x1F
    answer: yes
    switch: on
    code: 012
    negative: -3
    exponent: 1.5e+3
    infinite: .inf
    empty:
"""
    assert parse(text, "a.yaml") == {
        "version": 3,
        "procedures": [
            {
                "id": "rfa",
                "last_checked": "2026-01-01",
                "invasiveness": 4,
                "aliases": ["RFA", "radio frequency"],
                "flag": True,
                "nothing": None,
                "ratio": 1.5,
                "hex": 31,
                "answer": "yes",
                "switch": "on",
                "code": "012",
                "negative": -3,
                "exponent": 1500.0,
                "infinite": math.inf,
                "empty": None,
            }
        ],
    }


def test_quoted_scalars_stay_text_and_standard_tags_are_honoured():
    assert parse(
        "a: '4'\nb: \"true\"\nc: !!str 5\nd: !!int 7\ne: !!float 2\nf: !!bool false\ng: !!null null\n", "x"
    ) == {
        "a": "4",
        "b": "true",
        "c": "5",
        "d": 7,
        "e": 2,
        "f": False,
        "g": None,
    }


def test_a_repeated_key_keeps_its_last_value():
    assert parse("a: 1\na: 2\n", "x") == {"a": 2}


@pytest.mark.parametrize(
    ("text", "where", "key"),
    [("a: 1\na: 2\n", "x:2:1", "a"), ("b:\n  - c: 1\n    d: 2\n    c: 3\n", "x:4:5", "c")],
)
def test_loading_refuses_a_repeated_key_where_it_is_given_again(text, where, key):
    with pytest.raises(CatalogueError) as raised:
        parse(text, "x", unique_keys=True)
    assert raised.value.message == f"{where}: key '{key}' is given twice in one mapping"


def test_an_empty_document_is_none():
    assert parse("", "x") is None
    assert parse("# only a comment\n", "x") is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: [unclosed\n", "x.yaml:2:1: invalid YAML: "),
        ("!!python/object/apply:os.system ['echo']\n", "x.yaml:1:1: the tag !!python/object/apply:os.system is not"),
        ("a: !!python/name:os.system x\n", "x.yaml:1:4: the tag !!python/name:os.system is not allowed here"),
        ("a: !!int seven\n", "x.yaml:1:4: the tag !!int is not allowed here"),
        ("a: &anchor 1\nb: *anchor\n", "x.yaml:1:4: YAML anchors and aliases (&name, *name) are not allowed"),
        ("a: &list [1]\n", "x.yaml:1:4: YAML anchors and aliases"),
        ("a: 1\n---\nb: 2\n", "x.yaml:2:1: invalid YAML: expected one document, found a second ('---')"),
        ("? [a, b]\n: c\n", "x.yaml:1:3: invalid YAML: a mapping key must be text, not a list or mapping"),
    ],
)
def test_unsafe_or_broken_yaml_is_one_located_sentence(text, message):
    with pytest.raises(CatalogueError) as raised:
        parse(text, "x.yaml")
    assert raised.value.message.startswith(message), raised.value.message


def test_deep_nesting_is_built_without_recursion_or_refused_in_one_sentence():
    deep = parse("[" * 900 + "]" * 900, "deep.yaml")
    for _ in range(899):
        (deep,) = deep
    assert deep == []
    with pytest.raises(CatalogueError, match=r"^deep\.yaml:1:\d+: invalid YAML"):
        parse("[" * 5000 + "]" * 5000, "deep.yaml")


DOCUMENT = """\
procedures:
  - id: rfa
    risks:
      - Burn
      - Numbness
    summary: Heat.
  - id: esi
"""


@pytest.mark.parametrize(
    ("loc", "where"),
    [
        ((), (1, 1)),
        (("procedures",), (2, 3)),
        (("procedures", 0), (2, 5)),
        (("procedures", 0, "summary"), (6, 5)),  # a scalar: the key is shown
        (("procedures", 0, "risks"), (4, 7)),  # a list: where it starts
        (("procedures", 0, "risks", 1), (5, 9)),
        (("procedures", 1, "id"), (7, 5)),
        (("procedures", 0, "missing"), (2, 5)),  # the nearest place that exists
        (("procedures", 9), (2, 3)),
        (("nothing", 0), (1, 1)),
    ],
)
def test_positions_find_the_line_and_column_of_a_place(loc, where):
    assert Positions(DOCUMENT).of(loc) == where


def test_positions_without_a_readable_document_are_none():
    assert Positions(None).of(("a",)) is None
    assert Positions("a: [unclosed\n").of(("a",)) is None


def test_repeated_keys_are_found_at_every_depth_in_order():
    text = "a: 1\nb:\n  c: 1\n  c: 2\na: 3\nlist:\n  - {x: 1, x: 2}\n"
    assert Positions(text).repeated_keys() == [("c", 4, 3), ("a", 5, 1), ("x", 7, 12)]
    assert Positions("a: 1\nb: 2\n").repeated_keys() == []
    assert Positions(None).repeated_keys() == []


# --- stream_items: a document a piece at a time --------------------------------------------------


def _pieces(text: str) -> list[tuple[str, int | None, object]]:
    return list(stream_items(io.BytesIO(text.encode()), "f.yaml", {"procedures"}))


def test_streamed_pieces_are_the_parsed_document_item_by_item():
    text = "version: 2\nprocedures:\n  - id: a\n    n: 3\n  - {id: b, on: yes}\nsynonyms: {x: y}\n"
    assert _pieces(text) == [
        ("version", None, 2),
        ("procedures", 0, {"id": "a", "n": 3}),
        ("procedures", 1, {"id": "b", "on": "yes"}),
        ("synonyms", None, {"x": "y"}),
    ]
    document = parse(text, "f.yaml")
    assert isinstance(document, dict)
    assert document["procedures"] == [value for key, _, value in _pieces(text) if key == "procedures"]


@pytest.mark.parametrize(
    "text",
    [
        "- a list\n",  # not a mapping
        "",  # empty
        "a: 1\na: 2\n",  # a top-level key twice: parse keeps the last
        "a: 1\n---\nb: 2\n",  # two documents
        "procedures:\n  - &x {id: a}\n",  # an anchor
        "procedures:\n  - !!python/object {id: a}\n",  # a foreign tag
        "procedures: [\n",  # broken
        "a: \x07\n",  # a raw control
    ],
)
def test_streaming_refuses_what_parse_refuses_or_reads_otherwise(text):
    with pytest.raises(CatalogueError):
        _pieces(text)


# --- split_pieces: a document cut into pieces that parse on their own ---------------------------

LISTED = {"procedures", "conditions", "indications"}


def _streamed(data: bytes) -> list[tuple[str, int | None, object]] | None:
    """What stream_items hands out, or None where it refuses the document."""
    try:
        return list(stream_items(io.BytesIO(data), "f.yaml", LISTED))
    except CatalogueError:
        return None


def _cut(data: bytes) -> list[tuple[str, int | None, object]]:
    """The pieces parsed one by one and put together as the streaming build takes them: a listed
    key given as a flow list is its items, and a key given twice is refused (Unsplit)."""
    found: list[tuple[str, int | None, object]] = []
    keys: set[str] = set()
    for piece in split_pieces(io.BytesIO(data).read, LISTED):
        if piece.section is not None and piece.items == 0:
            if piece.section in keys:
                raise Unsplit("twice")
            keys.add(piece.section)
        for key, place, value in parse_piece(piece, "f.yaml"):
            if place is None:
                if key in keys:
                    raise Unsplit("twice")
                keys.add(key)
            if place is None and key in LISTED and isinstance(value, list):
                found += [(key, number, item) for number, item in enumerate(value)]
            else:
                found.append((key, place, value))
    if not keys:
        raise Unsplit("empty")
    return found


@pytest.mark.parametrize(
    "text",
    [
        "version: 2\nprocedures:\n  - id: a\n    n: 3\n  - {id: b, on: yes}\nsynonyms: {x: y}\n",
        "procedures:\n- id: a\n  aliases:\n  - x\n  - y\n- id: b\nconditions:\n- id: c\n",  # lists at the margin
        "\ufeff# a comment\n\n---\nprocedures:   # the list\n\n  # first\n  - id: a\n",  # a prologue
        "procedures:\n    - id: a\n# between, at the margin\n    - id: b\n      text: |\n        - not an item\n",
        "procedures:\r\n  - id: a\r\n  - id: b\r\nversion: 1\r\n",  # Windows line ends
        "procedures: []\nconditions: [{id: a}, {id: b}]\n",  # flow lists
        "procedures:\n  - id: a\n    summary: >\n      folded\n\n      - still folded\n  - id: b\n",
        "procedures:\n  -\n    id: a\n  - - nested\n  -\n",  # items that start on the next line, or are empty
        'guide:\n  - topic: a\nprocedures:\n  - id: a\n    quote: "one line"\n',  # a list that is not listed
    ],
)
def test_pieces_put_together_are_what_streaming_hands_out(text, monkeypatch):
    monkeypatch.setattr(yamlio, "PIECE_ITEMS", 1)  # every item a piece of its own
    data = text.encode()
    assert _streamed(data) is not None
    assert _cut(data) == _streamed(data)


def test_a_big_list_is_cut_a_bounded_number_of_items_or_bytes_at_a_time(monkeypatch):
    monkeypatch.setattr(yamlio, "PIECE_ITEMS", 3)
    text = "procedures:\n" + "".join(f"  - id: e{n}\n    name: Entry {n}\n" for n in range(10))
    pieces = list(split_pieces(io.BytesIO(text.encode()).read, LISTED))
    assert [(p.section, p.first, p.items) for p in pieces] == [
        ("procedures", 0, 0),
        ("procedures", 0, 3),
        ("procedures", 3, 3),
        ("procedures", 6, 3),
        ("procedures", 9, 1),
    ]
    assert b"".join(piece.text for piece in pieces) == text.encode(), "every byte is in one piece, in order"
    monkeypatch.setattr(yamlio, "PIECE_BYTES", 1)
    assert [p.items for p in split_pieces(io.BytesIO(text.encode()).read, LISTED)] == [0, *[1] * 10]


@pytest.mark.parametrize(
    "text",
    [
        'procedures:\n  - id: a\n    summary: "runs on\n  - id: b"\n',  # a quoted value over an item line
        "procedures:\n  - id: a\n    summary: 'runs on\n  - it''s'\n",
        "procedures:\n  - id: a\n    regions: [back,\n  - neck]\n",  # a flow list over an item line
        'procedures:\n- id: a\n  summary: "runs on\nconditions: x"\n',  # over a key at the margin
    ],
)
def test_a_cut_through_a_value_fails_to_parse_rather_than_misread(text):
    data = text.encode()
    with pytest.raises(Unsplit):
        _cut(data)
    # Where the document is sound, streaming it in one piece still reads it.
    assert _streamed(data) is None or _streamed(data) == list(stream_items(io.BytesIO(data), "f.yaml", LISTED))


@pytest.mark.parametrize(
    "text",
    [
        "%YAML 1.1\n---\nprocedures: []\n",  # a directive
        "procedures: []\n---\nconditions: []\n",  # a second document
        "procedures: []\n...\n",  # an end marker
        "- a list\n",  # a list at the top
        "  procedures:\n    - id: a\n",  # an indented top
        "",  # nothing
        "procedures:\n  - id: a\nprocedures:\n  - id: b\n",  # a key twice
    ],
)
def test_shapes_the_cut_does_not_take_are_left_to_streaming(text):
    with pytest.raises(Unsplit):
        _cut(text.encode())


def test_a_big_value_that_is_not_a_list_of_items_is_left_to_streaming(monkeypatch):
    monkeypatch.setattr(yamlio, "MAX_BLOCK_PIECE", 100)
    with pytest.raises(Unsplit):
        _cut(("synonyms:\n" + "".join(f"  w{n}: v{n}\n" for n in range(50))).encode())


# Lines a catalogue may hold, and some that could fool a cut made by looking at lines alone.
_LINES = [
    "procedures:",
    "conditions:",
    "indications:",
    "version: 1",
    "guide:",
    "procedures:  # c",
    "conditions: []",
    "- id: a",
    "  - id: b",
    "    - id: c",
    "  name: x",
    "    name: y",
    "      name: z",
    "  aliases:",
    "  - alias",
    "    - alias",
    '  summary: "runs',
    '- on"',
    '  - on"',
    "  text: |",
    "    block",
    "- in block",
    "  - in block",
    "# comment",
    "  # comment",
    "",
    "   ",
    "---",
    "...",
    "foo: [a,",
    "- b]",
    "  - b]",
    "  s: 'it",
    "- s'",
    "  m: {a: 1,",
    "- b: 2}",
    "- &x a",
    "- *x",
    "- !!str 1",
    "  - - nested",
    "-",
    "- ",
    "  -",
    "\t- tab",
    "  ? k",
    "  : v",
    "- >",
    "  folded",
    "key: 'x",
    "%TAG ! x",
    "  deeper: 1",
]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_LINES), min_size=1, max_size=14), st.sampled_from(["\n", "\r\n"]), st.booleans())
def test_a_cut_document_is_never_read_otherwise_than_streaming_reads_it(lines, end, small):
    data = (end.join(lines) + end).encode()
    try:
        if small:
            yamlio.PIECE_ITEMS = 1
        cut = _cut(data)
    except Unsplit:
        return  # left to streaming, which reads it or refuses it
    finally:
        yamlio.PIECE_ITEMS = PIECE_ITEMS
    assert cut == _streamed(data), "a document read in pieces is read as a whole, or not at all"


PIECE_ITEMS = yamlio.PIECE_ITEMS
