"""painref.schema: the field table, and everything read from it (cards, compare rows, columns, JSON Schema)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from painref import records, schema, views
from painref.model import Entry, Kind
from painref.schema import (
    BY_NAME,
    FIELDS,
    Field,
    FieldType,
    fields_of,
    file_fields,
    json_schema,
    ref_kind,
    search_columns,
)

ROOT = Path(__file__).resolve().parents[1]
P, C, T = Kind.PROCEDURE, Kind.CONDITION, Kind.TREATMENT

CARD = {
    P: (
        *("aliases", "family", "members", "how_it_works", "conditions", "advised_against", "image_guidance"),
        *("anesthesia", "setting", "procedure_time", "recovery", "relief_onset", "relief_duration", "purpose"),
        *("invasiveness", "variants", "risks", "preparation", "aftercare", "red_flags", "questions", "bottom_line"),
        *("evidence", "sources", "last_checked"),
    ),
    C: (
        *("aliases", "family", "members", "symptoms", "warning_signs", "icd10", "variants", "treatments"),
        *("procedures", "preparation", "aftercare", "questions", "bottom_line", "evidence", "sources"),
        "last_checked",
    ),
    T: (
        *("aliases", "family", "members", "how_it_works", "examples", "conditions", "advised_against"),
        *("relief_onset", "relief_duration", "variants", "risks", "bottom_line", "evidence", "sources"),
        "last_checked",
    ),
}
REQUIRED = {
    P: (
        *("id", "name", "aliases", "category", "summary", "how_it_works", "regions", "image_guidance"),
        *("anesthesia", "setting", "procedure_time", "recovery", "relief_onset", "relief_duration", "purpose"),
        *("invasiveness", "risks", "evidence", "sources", "last_checked"),
    ),
    C: ("id", "name", "aliases", "summary", "regions", "symptoms", "icd10", "evidence", "sources", "last_checked"),
    T: (
        *("id", "name", "aliases", "type", "summary", "how_it_works", "risks", "evidence", "sources"),
        "last_checked",
    ),
}
# A field a kind has but need not give, and the fields the loader derives.
OPTIONAL = {
    # Indication records link options to conditions, so a bare `conditions` list is optional.
    P: ("family", "conditions", "variants", "preparation", "aftercare", "red_flags", "questions", "bottom_line"),
    C: ("family", "warning_signs", "variants", "preparation", "aftercare", "red_flags", "questions", "bottom_line"),
    T: ("family", "examples", "conditions", "regions", "relief_onset", "relief_duration", "variants", "bottom_line"),
}
DERIVED = {
    P: ("members", "advised_against"),
    C: ("members", "treatments", "procedures"),
    T: ("members", "advised_against"),
}
COMPARE_KEYS = (
    *("category", "summary", "how_it_works", "examples", "conditions", "advised_against", "regions"),
    *("image_guidance", "anesthesia", "setting", "procedure_time", "recovery", "relief_onset", "relief_duration"),
    *("purpose", "invasiveness", "symptoms", "warning_signs", "icd10", "treatments", "procedures", "risks"),
    *("bottom_line", "evidence"),
)


@pytest.mark.parametrize("kind", list(Kind))
def test_each_kinds_card_lists_these_fields_in_this_order(kind):
    assert tuple(f.name for f in fields_of(kind) if kind in f.card) == CARD[kind]


@pytest.mark.parametrize("kind", list(Kind))
def test_each_kind_requires_these_fields(kind):
    assert tuple(f.name for f in fields_of(kind) if kind in f.required) == REQUIRED[kind]


@pytest.mark.parametrize("kind", list(Kind))
def test_a_kinds_fields_are_its_required_optional_and_derived_ones(kind):
    names = {f.name for f in fields_of(kind)}
    assert names == {*REQUIRED[kind], *OPTIONAL[kind], *DERIVED[kind]}
    assert tuple(f.name for f in fields_of(kind) if f.derived) == DERIVED[kind]


@pytest.mark.parametrize("kind", list(Kind))
def test_files_give_every_field_but_derived_and_unrecorded_ones(kind):
    given = tuple(f.name for f in file_fields(kind))
    assert given == tuple(f.name for f in FIELDS if kind in f.kinds and f.name not in (*DERIVED[kind], "warning_signs"))


def test_compare_rows_follow_the_table_with_category_and_type_sharing_one():
    keys = tuple(dict.fromkeys(f.key for f in FIELDS if f.compare))
    assert keys == COMPARE_KEYS
    assert [f.name for f in FIELDS if f.key == "category"] == ["category", "type"]


def test_list_columns():
    assert [(f.name, sorted(f.kinds)) for f in FIELDS if f.column] == [("category", [P]), ("type", [T]), ("icd10", [C])]


def test_search_columns_and_weights_one_per_group_in_table_order():
    assert search_columns() == (
        ("id", 8.0),
        ("name", 10.0),
        ("aliases", 8.0),
        ("category", 2.5),
        ("summary", 3.0),
        ("how_it_works", 1.0),
        ("examples", 6.0),
        ("conditions", 3.0),
        ("regions", 2.5),
        ("symptoms", 2.0),
        ("icd10", 6.0),
        ("variants", 2.0),
        ("risks", 1.0),
        ("evidence", 0.5),
    )


def test_links_name_their_target_kind_and_reverse_field():
    links = {f.name: (f.type, f.ref_kind, f.backlink) for f in FIELDS if f.type in (FieldType.REF, FieldType.REFS)}
    assert links == {
        "family": (FieldType.REF, None, "members"),
        "members": (FieldType.REFS, None, ""),
        "conditions": (FieldType.REFS, C, "*"),
        "advised_against": (FieldType.REFS, None, ""),
        "treatments": (FieldType.REFS, None, ""),
        "procedures": (FieldType.REFS, None, ""),
    }
    assert [ref_kind(BY_NAME["family"], kind) for kind in Kind] == [P, C, T]
    assert [ref_kind(BY_NAME["conditions"], kind) for kind in (P, T)] == [C, C]


def test_labels_that_read_differently_on_one_kind():
    assert [BY_NAME["preparation"].label_for(kind) for kind in (P, C)] == ["Preparing", "Before your visit"]
    assert [BY_NAME["aftercare"].label_for(kind) for kind in (P, C)] == ["Aftercare", "Self-care"]
    assert BY_NAME["evidence"].label_for(T) == "Evidence"


def test_every_field_is_named_once_and_every_kind_has_the_identity_fields():
    assert len(BY_NAME) == len(FIELDS)
    for kind in Kind:
        assert [f.name for f in fields_of(kind)][:3] == ["id", "name", "aliases"]


def test_json_schema_is_the_shipped_schema_file():
    shipped = json.loads((ROOT / "data" / "catalog.schema.json").read_text(encoding="utf-8"))
    assert json.loads(json.dumps(json_schema())) == shipped


def test_json_schema_entry_definitions_follow_the_file_fields():
    definitions = json_schema()["$defs"]
    assert isinstance(definitions, dict)
    for kind in Kind:
        properties = definitions[kind.value]["properties"]
        lists = [f.name for f in file_fields(kind) if f.type in schema.LIST_TYPES]
        assert list(properties) == [
            name for f in file_fields(kind) for name in (f.name, f"{f.name}+") if name == f.name or f.name in lists
        ]
        assert definitions[kind.value]["required"] == ["id"], "a patch names only its id"
    invasiveness = definitions["procedure"]["properties"]["invasiveness"]
    assert invasiveness == {"type": "integer", "minimum": 1, "maximum": 5}
    assert definitions["treatment"]["properties"]["type"] == {"enum": list(schema.TREATMENT_TYPES)}


# --- adding a field is one declaration ---------------------------------------------------------


COST = Field("cost", FieldType.TEXT, "Cost", frozenset({P}), card=frozenset({P}), compare=True)


@pytest.fixture
def with_cost(monkeypatch):
    """The field table with one more procedure field, declared after `risks`."""
    position = [f.name for f in FIELDS].index("risks") + 1
    monkeypatch.setattr(schema, "FIELDS", (*FIELDS[:position], COST, *FIELDS[position:]))
    monkeypatch.setitem(schema.BY_NAME, "cost", COST)  # type: ignore[index]


def test_a_new_field_appears_in_records_cards_compare_and_the_schema(with_cost):
    import tiny

    catalogue = tiny.build()
    entry = catalogue.get("knee-injection")
    assert entry is not None
    costly = Entry(entry.kind, {**entry.data, "cost": "About 200 euros"})

    record = records.record(costly)
    names = list(record)
    assert names[names.index("risks") + 1] == "cost"
    assert record["cost"] == "About 200 euros"
    assert records.record(entry)["cost"] == "", "an entry without it records it empty"
    assert "cost" in records.csv_columns([costly])
    assert records.flat_record(costly)["cost"] == "About 200 euros"

    labels = [label for label, _ in views.card_rows(costly, catalogue)]
    assert labels[labels.index("Risks") + 1] == "Cost"
    assert ("Cost", "—", "About 200 euros") in views.compare_rows([entry, costly], catalogue)

    definitions = json_schema()["$defs"]
    assert definitions["procedure"]["properties"]["cost"] == {"type": "string", "pattern": r"\S"}
    assert "cost" not in definitions["condition"]["properties"]
    assert "cost" not in records.record(catalogue.get("exercise"))
