"""painref.index: the compiled SQLite store, read through IndexCatalogue, and the key that guards it."""

from __future__ import annotations

import pytest

import tiny
from painref import index
from painref.index import ITEM_SEPARATOR, TEXT_COLUMNS, IndexCatalogue, open_existing, text_fields
from painref.model import Entry, Kind

P, C, T = Kind.PROCEDURE, Kind.CONDITION, Kind.TREATMENT
MERGED = {
    "version": "7",
    "entries": [
        (C, {"id": "knee-arthritis", "name": "Knee arthritis", "aliases": ["worn knee"]}),
        (P, {"id": "knee-injection", "name": "Knee joint injection", "aliases": ["KJI", "knee shot"]}),
        (T, {"id": "walking", "name": "Walking"}),
        (P, {"id": "facet-block", "name": "Facet joint block"}),
    ],
    "guide": [
        {"id": "day", "title": "The day", "summary": "S", "body": "B", "sources": [{"title": "T", "url": "https://t"}]}
    ],
    "checklist": None,
    "synonyms": {"jab": "injection"},
}


@pytest.fixture
def catalogue() -> IndexCatalogue:
    return IndexCatalogue(index.build(MERGED, ["key"], None), ["a.yaml", "b.yaml"])


def test_whole_catalogue_facts(catalogue):
    assert catalogue.version == "7"
    assert catalogue.synonyms == {"jab": "injection"}
    assert catalogue.checklist is None
    assert [section.id for section in catalogue.guide] == ["day"]
    assert catalogue.files == ("a.yaml", "b.yaml")
    assert catalogue.store.count() == 4


def test_entries_come_kind_by_kind_in_catalogue_order(catalogue):
    assert [(e.kind, e.id) for e in catalogue.entries()] == [
        (P, "knee-injection"),
        (P, "facet-block"),
        (C, "knee-arthritis"),
        (T, "walking"),
    ]
    assert [e.id for e in catalogue.entries(P)] == ["knee-injection", "facet-block"]
    assert [e.id for e in catalogue.entries(T)] == ["walking"]


def test_get_reads_one_entry_whole(catalogue):
    found = catalogue.get("knee-injection")
    assert isinstance(found, Entry)
    assert (found.kind, dict(found.data)) == (
        P,
        {"id": "knee-injection", "name": "Knee joint injection", "aliases": ["KJI", "knee shot"]},
    )
    assert catalogue.get("nothing") is None
    assert catalogue.get("knee-injection") is found, "an entry is read once"


def test_get_many_keeps_the_order_asked_and_leaves_out_unknown_ids(catalogue):
    found = catalogue.get_many(["walking", "nothing", "knee-injection", "walking"])
    assert [e.id for e in found] == ["walking", "knee-injection", "walking"]
    assert catalogue.get_many([]) == []
    assert [e.id for e in catalogue.get_many(["facet-block"])] == ["facet-block"]


def test_names_are_display_names_and_unknown_ids_stay(catalogue):
    assert catalogue.names(["walking", "gone", "knee-arthritis"]) == ("Walking", "gone", "Knee arthritis")
    catalogue.get("walking")
    assert catalogue.names(["walking"]) == ("Walking",), "also for an entry already read"
    assert catalogue.names([]) == ()


def test_the_store_resolves_names_by_authority(catalogue):
    store = catalogue.store
    assert store.named("kji", None) == [(index.BY_ALIAS, "knee-injection", "Knee joint injection", "procedure")]
    assert store.named("walking", None) == [(index.BY_ID, "walking", "Walking", "treatment")]
    assert store.named("kneejointinjection", Kind.CONDITION) == []
    assert [row[1] for row in store.prefixed("knee", None)] == ["knee-arthritis", "knee-injection"]
    assert [row[1] for row in store.prefixed("knee", P)] == ["knee-injection"]
    assert store.word_frequency("injection") >= 1, "the words table holds the catalogue's words (stemmed)"
    assert store.word_frequency("zebra") == 0
    assert store.has_stem("injection")
    assert not store.has_stem("zebra")


def test_a_built_index_is_found_again_only_with_the_same_key(tmp_path):
    path = tmp_path / "catalogue.sqlite"
    built = index.build(MERGED, ["files", 1], path)
    assert path.is_file()
    assert built.meta("key") == ["files", 1]
    reopened = open_existing(path, ["files", 1])
    assert reopened is not None
    assert reopened.entry("walking") == (T, {"id": "walking", "name": "Walking"})
    assert open_existing(path, ["files", 2]) is None, "a key mismatch means the files changed"
    assert open_existing(tmp_path / "missing.sqlite", ["files", 1]) is None
    assert open_existing(None, ["files", 1]) is None


def test_a_corrupt_index_file_is_not_opened(tmp_path):
    path = tmp_path / "catalogue.sqlite"
    path.write_bytes(b"not a database" * 100)
    assert open_existing(path, ["files", 1]) is None


def test_an_index_that_cannot_be_written_is_built_in_memory(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("x", encoding="utf-8")
    built = index.build(MERGED, ["k"], blocked / "sub" / "catalogue.sqlite")
    assert built.entry("walking") == (T, {"id": "walking", "name": "Walking"})


def test_text_fields_give_each_search_column_its_words():
    data = {
        "id": "knee-injection",
        "name": "Knee joint injection",
        "aliases": ["KJI", "knee shot"],
        "category": "joint-injection",
        "summary": "A shot.",
        "conditions": ["knee-arthritis", "gone"],
        "regions": ["knee", "lower-back"],
        "risks": ["Soreness", "Infection"],
        "variants": [{"name": "Steroid", "description": "With a steroid."}],
        "evidence": "Moderate.",
        "image_guidance": ["ultrasound"],  # not searched
        "sources": [{"title": "T", "url": "https://t"}],  # not searched
    }
    assert text_fields(data, {"knee-arthritis": "Knee arthritis"}) == {
        "id": "knee injection",
        "name": "Knee joint injection",
        "aliases": f"KJI{ITEM_SEPARATOR}knee shot",
        "category": "joint injection",
        "summary": "A shot.",
        "how_it_works": "",
        "examples": "",
        "conditions": f"Knee arthritis{ITEM_SEPARATOR}gone",
        "regions": "knee lower back",
        "symptoms": "",
        "icd10": "",
        "variants": "Steroid: With a steroid.",
        "risks": f"Soreness{ITEM_SEPARATOR}Infection",
        "evidence": "Moderate.",
    }
    assert tuple(text_fields({}, {})) == TEXT_COLUMNS


def test_text_fields_put_a_treatment_type_in_the_category_column_and_codes_both_ways():
    treatment = text_fields({"id": "walk", "type": "lifestyle"}, {})
    assert treatment["category"] == "lifestyle"
    codes = text_fields({"id": "x", "icd10": [{"code": "M54.16", "description": "Lumbar"}]}, {})
    assert codes["icd10"] == "M54.16 M5416"


def test_the_tiny_catalogue_round_trips_its_entries():
    catalogue = tiny.build()
    assert {e.id: e.kind for e in catalogue.entries()} == {data["id"]: kind for kind, data in tiny.ENTRIES}


def test_entries_with_fields_read_only_those_fields_and_keep_nothing(catalogue):
    whole = list(catalogue.entries())
    picked = list(catalogue.entries(fields=("id", "name", "aliases", "family")))
    assert [e.id for e in picked] == [e.id for e in whole]
    for full, part in zip(whole, picked, strict=True):
        assert part.kind is full.kind
        assert part.data == {key: full.data.get(key) for key in ("id", "name", "aliases", "family")}
    assert catalogue.get(picked[0].id) is not picked[0], "a partial entry never stands for the whole one"
