"""painref.records: the JSON record and CSV row of each kind, read from the field table."""

from __future__ import annotations

import pytest

import tiny
from painref.model import Entry, Kind
from painref.records import csv_columns, csv_records, flat_record, flat_value, guide_record, record
from painref.schema import FieldType

SOURCES = [{"title": "A review", "url": "https://example.org/review"}]
PROCEDURE_FIELDS = (
    *("id", "name", "aliases", "category", "summary", "family", "members", "how_it_works", "conditions"),
    *("advised_against", "regions", "image_guidance", "anesthesia", "setting", "procedure_time", "recovery"),
    *("relief_onset", "relief_duration", "purpose", "invasiveness", "variants", "risks", "preparation", "aftercare"),
    *("red_flags", "questions", "bottom_line", "evidence", "sources", "last_checked"),
)
CONDITION_FIELDS = (
    *("id", "name", "aliases", "summary", "family", "members", "regions", "symptoms", "icd10", "variants"),
    *("treatments", "procedures", "preparation", "aftercare", "red_flags", "questions", "bottom_line", "evidence"),
    *("sources", "last_checked"),
)
TREATMENT_FIELDS = (
    *("id", "name", "aliases", "type", "summary", "family", "members", "how_it_works", "examples", "conditions"),
    *("advised_against", "regions", "relief_onset", "relief_duration", "variants", "risks", "bottom_line"),
    *("evidence", "sources", "last_checked"),
)
# Every record ends with the language of its text and the fields left in English.
LANGUAGE = {"lang": "en", "untranslated": []}


@pytest.fixture(scope="module")
def catalogue():
    return tiny.build()


def _entry(catalogue, entry_id: str) -> Entry:
    entry = catalogue.get(entry_id)
    assert entry is not None
    return entry


def test_a_procedure_record(catalogue):
    found = record(_entry(catalogue, "knee-injection"))
    assert found == {
        "kind": "procedure",
        "id": "knee-injection",
        "name": "Knee joint injection",
        "aliases": ["knee shot", "KJI"],
        "category": "joint-injection",
        "summary": "Knee joint injection in one line.",
        "family": None,
        "members": [],
        "how_it_works": "How knee joint injection works.",
        "conditions": ["knee-arthritis"],
        "regions": ["knee"],
        "image_guidance": ["ultrasound", "none"],
        "anesthesia": "Local numbing",
        "setting": "Clinic room",
        "procedure_time": "15 minutes",
        "recovery": "Home the same day",
        "relief_onset": "A few days",
        "relief_duration": "Months",
        "purpose": "therapeutic",
        "invasiveness": 2,
        "variants": [{"name": "Steroid", "description": "A steroid is injected."}],
        "risks": ["Soreness"],
        "preparation": [],
        "aftercare": [],
        "red_flags": [],
        "questions": [],
        "bottom_line": "",
        "evidence": "Moderate evidence.",
        "sources": SOURCES,
        "last_checked": "2026-01-01",
        "advised_against": [],
        **LANGUAGE,
    }
    assert tuple(found) == ("kind", *PROCEDURE_FIELDS, *LANGUAGE)


def test_a_condition_record_has_its_derived_links_and_every_code_flag(catalogue):
    found = record(_entry(catalogue, "knee-arthritis"))
    assert found == {
        "kind": "condition",
        "id": "knee-arthritis",
        "name": "Knee arthritis",
        "aliases": ["worn knee"],
        "summary": "Knee arthritis in one line.",
        "family": "arthritis",
        "members": [],
        "regions": ["knee"],
        "symptoms": ["Stiff knee in the morning", "Urgent: a hot swollen knee with fever"],
        "icd10": [
            {"code": "M17", "description": "Osteoarthritis of knee", "category": True},
            {"code": "M17.11", "description": "Unilateral primary osteoarthritis, right knee", "category": False},
        ],
        "variants": [],
        "treatments": ["anti-inflammatories", "exercise", "walking"],
        "procedures": ["knee-injection", "genicular-ablation"],
        "preparation": [],
        "aftercare": [],
        "red_flags": ["Call the clinic: the knee locks"],
        "questions": [],
        "bottom_line": "",
        "evidence": "Well described.",
        "sources": SOURCES,
        "last_checked": "2026-01-01",
        **LANGUAGE,
    }
    assert tuple(found) == ("kind", *CONDITION_FIELDS, *LANGUAGE)
    assert "warning_signs" not in found, "shown on cards, never serialised"


def test_a_treatment_record(catalogue):
    found = record(_entry(catalogue, "exercise"))
    assert found == {
        "kind": "treatment",
        "id": "exercise",
        "name": "Exercise therapy",
        "aliases": [],
        "type": "physical",
        "summary": "Exercise therapy in one line.",
        "family": None,
        "members": [],
        "how_it_works": "How exercise therapy works.",
        "examples": [],
        "conditions": ["knee-arthritis", "back-pain"],
        "regions": [],
        "relief_onset": "Weeks",
        "relief_duration": "",
        "variants": [],
        "risks": ["Few"],
        "bottom_line": "",
        "evidence": "Good evidence.",
        "sources": SOURCES,
        "last_checked": "2026-01-01",
        "advised_against": [],
        **LANGUAGE,
    }
    assert tuple(found) == ("kind", *TREATMENT_FIELDS, *LANGUAGE)


def test_a_record_gives_list_of_mapping_items_every_key():
    entry = Entry(Kind.CONDITION, {"id": "x", "icd10": [{"code": "M17"}], "sources": [{"title": "T"}]})
    found = record(entry)
    assert found["icd10"] == [{"code": "M17", "description": None, "category": False}]
    assert found["sources"] == [{"title": "T", "url": None}]
    assert found["name"] == ""
    assert found["family"] is None


@pytest.mark.parametrize(
    ("field_type", "value", "cell"),
    [
        (FieldType.TEXT, "Plain text", "Plain text"),
        (FieldType.TEXTS, ["one", "two"], "one; two"),
        (FieldType.CHOICE, "joint-injection", "joint-injection"),
        (FieldType.CHOICES, ["knee", "hip"], "knee; hip"),
        (FieldType.INTEGER, 3, "3"),
        (FieldType.DATE, "2026-01-01", "2026-01-01"),
        (FieldType.SLUG, "knee-injection", "knee-injection"),
        (FieldType.REF, "arthritis", "arthritis"),
        (FieldType.REFS, ["a", "b"], "a; b"),
        (
            FieldType.SOURCES,
            [{"title": "A", "url": "https://a.example"}, {"title": "B", "url": "https://b.example"}],
            "A <https://a.example>; B <https://b.example>",
        ),
        (FieldType.VARIANTS, [{"name": "Steroid", "description": "With a steroid."}], "Steroid: With a steroid."),
        (
            FieldType.CODES,
            [{"code": "M17", "description": "Knee", "category": True}, {"code": "M17.11", "description": "Right"}],
            "M17 Knee; M17.11 Right",
        ),
        (FieldType.QUESTIONS, [{"id": "q1", "question": "Months?", "why": "W"}], "q1: Months?"),
        (FieldType.TEXTS, ("a", "b"), "a; b"),
        (FieldType.TEXTS, [], ""),
        (FieldType.TEXT, None, ""),
        (FieldType.SOURCES, None, ""),
    ],
)
def test_flat_value_writes_each_type_as_one_cell(field_type, value, cell):
    assert flat_value(field_type, value) == cell


def test_a_csv_row_puts_the_extra_columns_first(catalogue):
    row = flat_record(_entry(catalogue, "walking"), {"rank": 1, "score": None})
    assert row == {
        "rank": "1",
        "score": "",
        "kind": "treatment",
        "id": "walking",
        "name": "Walking",
        "aliases": "",
        "type": "lifestyle",
        "summary": "Walking in one line.",
        "family": "",
        "members": "",
        "how_it_works": "How walking works.",
        "examples": "",
        "conditions": "knee-arthritis",
        "regions": "leg",
        "relief_onset": "",
        "relief_duration": "",
        "variants": "",
        "risks": "Few",
        "bottom_line": "",
        "evidence": "Good evidence.",
        "sources": "A review <https://example.org/review>",
        "last_checked": "2026-01-01",
        "advised_against": "",
        "lang": "en",
        "untranslated": "",
    }
    assert tuple(row) == ("rank", "score", "kind", *TREATMENT_FIELDS, "lang", "untranslated")


def test_csv_records_pair_each_entry_with_its_extra(catalogue):
    entries = [_entry(catalogue, "walking"), _entry(catalogue, "exercise")]
    rows = csv_records(entries, [{"rank": 1}, {"rank": 2}])
    assert [(row["rank"], row["id"]) for row in rows] == [("1", "walking"), ("2", "exercise")]
    assert csv_records(entries) == (flat_record(entries[0]), flat_record(entries[1]))


def test_csv_columns_lead_then_kind_then_each_present_kinds_fields_in_kind_order_then_the_language(catalogue):
    treatment, procedure, condition = (_entry(catalogue, i) for i in ("walking", "facet-block", "headache"))
    assert csv_columns([treatment, procedure], ("role", "rank")) == (
        "role",
        "rank",
        "kind",
        *PROCEDURE_FIELDS,
        "type",
        "examples",
        "lang",
        "untranslated",
    )
    assert csv_columns([treatment, condition]) == (
        "kind",
        *CONDITION_FIELDS,
        *("type", "how_it_works", "examples", "conditions", "advised_against", "relief_onset", "relief_duration"),
        "risks",
        "lang",
        "untranslated",
    )
    assert csv_columns([condition]) == ("kind", *CONDITION_FIELDS, "lang", "untranslated")
    assert csv_columns([]) == ("kind", "lang", "untranslated")


def test_a_guide_record_is_one_flat_row():
    data = {
        "id": "day",
        "title": "The day",
        "aliases": ["procedure day"],
        "summary": "S",
        "body": "B",
        "points": ["One", "Two"],
        "sources": [{"title": "T", "url": "https://t.example"}],
    }
    assert guide_record(data) == {
        "id": "day",
        "title": "The day",
        "aliases": "procedure day",
        "summary": "S",
        "body": "B",
        "points": "One; Two",
        "sources": "T <https://t.example>",
    }
    assert guide_record({"id": "x"})["points"] == ""
