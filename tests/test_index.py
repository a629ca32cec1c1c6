"""painref.index: the compiled SQLite store, read through IndexCatalogue, and the key that guards it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

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


# --- how complete each language is ---------------------------------------------------------------

_ROOT = Path(__file__).resolve().parent.parent
_TEXTS = ("title", "summary", "body", "points")


def _translatable_total() -> int:
    """Every text a translation can give, counted straight from the built-in catalogue file: entry
    fields (but the clinician detail that stays English), record texts, guide, checklist and trust."""
    from painref.i18n import RECORD_PARTS, record_part
    from painref.schema import ENGLISH_ONLY, translatable_fields

    document = yaml.safe_load((_ROOT / "data" / "procedures.yaml").read_text(encoding="utf-8"))
    fields = [name for name in translatable_fields() if name not in ENGLISH_ONLY]
    entries = [e for kind in ("procedures", "conditions", "treatments") for e in document[kind]]
    total = sum(1 for e in entries for name in fields if e.get(name) not in (None, "", []))
    for record in document["indications"]:
        for part in RECORD_PARTS:
            english = record_part(record, part)
            total += bool(english) and not (isinstance(english, list) and not any(english))
    total += sum(1 for section in document["guide"] for name in _TEXTS if section.get(name))
    checklist = document["checklist"]
    total += sum(1 for name in ("intro", "result_yes", "result_no") if checklist.get(name))
    total += sum(1 for q in checklist["questions"] for name in ("question", "why") if q.get(name))
    return total + sum(1 for name in ("authors", "review", "funding", "conflicts") if document["trust"].get(name))


def _third_language(folder: Path) -> None:
    """A clinic's French: two current entry fields, one stale, and one text of each other kind, each
    text under the language's own code, as the README says."""
    from painref.i18n import english_hash

    document = yaml.safe_load((_ROOT / "data" / "procedures.yaml").read_text(encoding="utf-8"))
    rfa = next(e for e in document["procedures"] if e["id"] == "radiofrequency-ablation")
    record = document["indications"][0]
    section = document["guide"][0]
    translation = {
        "language": "fr",
        "entries": {
            "radiofrequency-ablation": {
                "name": {"fr": "Ablation par radiofréquence", "en_hash": english_hash(rfa["name"])},
                "summary": {"fr": "Chauffe un nerf.", "en_hash": english_hash(rfa["summary"])},
                "risks": {"fr": ["Douleur"], "en_hash": english_hash(["an older list"])},
            }
        },
        "indications": {
            f"{record['condition']}/{record['option']}": {
                "bottom_line": {"fr": "En bref.", "en_hash": english_hash(record["bottom_line"])}
            }
        },
        "guide": {section["id"]: {"title": {"fr": "Aperçu", "en_hash": english_hash(section["title"])}}},
        "checklist": {"intro": {"fr": "Six questions.", "en_hash": english_hash(document["checklist"]["intro"])}},
        "trust": {"funding": {"fr": "aucun", "en_hash": english_hash(document["trust"]["funding"])}},
    }
    (folder / "painref" / "i18n").mkdir(parents=True)
    (folder / "painref" / "i18n" / "fr.yaml").write_text(yaml.safe_dump(translation, allow_unicode=True))


def test_completeness_counts_every_translatable_text_and_only_current_translations(tmp_path):
    from painref import compiler

    _third_language(tmp_path / "config")
    loaded = compiler.load([], env={"PAINREF_NO_CACHE": "1", "XDG_CONFIG_HOME": str(tmp_path / "config")})
    total = _translatable_total()
    assert total > 2000
    assert loaded.languages() == ["en", "es", "fr"]
    assert loaded.completeness("en") == (1, 1)
    assert loaded.completeness("es") == (total, total), "the shipped Spanish is complete and current"
    assert loaded.completeness("fr") == (6, total), "the stale risks do not count"


def test_info_lists_each_language_and_how_complete_it_is(run, tmp_path):
    _third_language(tmp_path / "config")  # conftest points XDG_CONFIG_HOME here
    total = _translatable_total()
    result = run("info", "-f", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["languages"] == [
        {"code": "en", "name": "English", "translated_fields": 1, "fields": 1},
        {"code": "es", "name": "Español", "translated_fields": total, "fields": total},
        {"code": "fr", "name": "fr", "translated_fields": 6, "fields": total},
    ]
    table = run("--lang", "es", "info", env={"COLUMNS": "200"}).stdout
    assert re.search(r"\nIdiomas +en \(English\): 100%, es \(Español\): 100%, fr \(fr\): 0%\n", table), table
