"""painref.yamlio: safe, plain parsing (dates stay text, no tags or anchors) and where each node stands."""

from __future__ import annotations

import io
import math

import pytest

from painref.errors import CatalogueError
from painref.yamlio import Positions, parse, stream_items


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
