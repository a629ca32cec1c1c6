"""painref.model: kinds, entries read by field name, and the guide and checklist values."""

from __future__ import annotations

import pytest

from painref.model import (
    Checklist,
    Entry,
    GuideSection,
    Kind,
    Question,
    Source,
    checklist_from,
    guide_from,
    sources_from,
)

SOURCES = [{"title": "A review", "url": "https://example.org/a"}, {"title": "B", "url": "https://example.org/b"}]


def test_kinds_and_their_plurals_in_order():
    assert [(kind.value, kind.plural) for kind in Kind] == [
        ("procedure", "procedures"),
        ("condition", "conditions"),
        ("treatment", "treatments"),
    ]


def test_an_entry_reads_its_fields_by_name():
    data = {
        "id": "knee-injection",
        "name": "Knee injection",
        "summary": "A shot into the knee.",
        "aliases": ["knee shot", "KJI"],
        "family": "joint-injection",
        "members": ["left-knee"],
        "regions": ["knee"],
        "sources": SOURCES,
        "last_checked": "2026-01-01",
        "invasiveness": 2,
        "variants": [{"name": "Steroid", "description": "With a steroid."}],
    }
    entry = Entry(Kind.PROCEDURE, data)
    assert (entry.kind, entry.id, entry.name, entry.summary) == (
        Kind.PROCEDURE,
        "knee-injection",
        "Knee injection",
        "A shot into the knee.",
    )
    assert entry.aliases == ("knee shot", "KJI")
    assert entry.family == "joint-injection"
    assert entry.members == ("left-knee",)
    assert entry.regions == ("knee",)
    assert entry.sources == (Source("A review", "https://example.org/a"), Source("B", "https://example.org/b"))
    assert entry.last_checked == "2026-01-01"
    assert entry.get("invasiveness") == 2
    assert entry.text("invasiveness") == "2"
    assert entry.items("variants") == ({"name": "Steroid", "description": "With a steroid."},)
    assert repr(entry) == "Entry(procedure, 'knee-injection')"


def test_missing_fields_read_as_empty():
    entry = Entry(Kind.CONDITION, {"id": "x", "name": "X", "summary": "S"})
    assert entry.get("symptoms") is None
    assert entry.text("evidence") == ""
    assert entry.texts("symptoms") == ()
    assert entry.items("icd10") == ()
    assert (entry.aliases, entry.members, entry.regions, entry.sources) == ((), (), (), ())
    assert entry.family is None
    assert entry.last_checked == ""


def test_an_empty_family_is_no_family():
    assert Entry(Kind.CONDITION, {"id": "x", "family": ""}).family is None


def test_an_entry_without_an_id_or_name_fails_loudly():
    entry = Entry(Kind.CONDITION, {})
    with pytest.raises(KeyError):
        _ = entry.id
    with pytest.raises(KeyError):
        _ = entry.name


def test_sources_from_mappings():
    assert sources_from(SOURCES) == (Source("A review", "https://example.org/a"), Source("B", "https://example.org/b"))
    assert sources_from([]) == ()


def test_guide_from_a_mapping_fills_optional_lists():
    data = {"id": "day", "title": "The day", "summary": "What happens.", "body": "Text.", "sources": SOURCES[:1]}
    assert guide_from(data) == GuideSection(
        id="day",
        title="The day",
        aliases=(),
        summary="What happens.",
        body="Text.",
        points=(),
        sources=(Source("A review", "https://example.org/a"),),
    )
    full = guide_from({**data, "aliases": ["procedure day"], "points": ["Eat lightly"]})
    assert (full.aliases, full.points) == (("procedure day",), ("Eat lightly",))


def test_checklist_from_a_mapping():
    data = {
        "intro": "Answer these.",
        "questions": [{"id": "q1", "question": "Pain for months?", "why": "Chronic pain."}],
        "threshold": 1,
        "result_yes": "Ask about it.",
        "result_no": "Not yet.",
        "sources": SOURCES[1:],
    }
    assert checklist_from(data) == Checklist(
        intro="Answer these.",
        questions=(Question("q1", "Pain for months?", "Chronic pain."),),
        threshold=1,
        result_yes="Ask about it.",
        result_no="Not yet.",
        sources=(Source("B", "https://example.org/b"),),
    )
