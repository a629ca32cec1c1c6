"""Choosing a language, and translations applied field by field with English fallback."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
import yaml

from painref.i18n import ENGLISH, OWN_WORDS, TEXT, chosen_language, completeness, english_hash, record_part, translate


@pytest.mark.parametrize(
    ("option", "env", "expected"),
    [
        (None, {}, "en"),
        ("es", {}, "es"),
        ("ES", {"PAINREF_LANG": "en"}, "es"),
        (None, {"PAINREF_LANG": "es"}, "es"),
        (None, {"LANG": "es_US.UTF-8"}, "es"),
        (None, {"LC_ALL": "es-MX", "LANG": "en_US.UTF-8"}, "es"),
        (None, {"LC_MESSAGES": "es_ES.UTF-8"}, "es"),
        (None, {"LANG": "fr_FR.UTF-8"}, "en"),
        ("fr", {"LANG": "es_US.UTF-8"}, ENGLISH),
        (None, {"PAINREF_LANG": "de", "LANG": "es_US"}, ENGLISH),
        (None, {"LANG": "C"}, "en"),
    ],
)
def test_the_language_comes_from_the_option_then_painref_lang_then_the_locale(option, env, expected):
    assert chosen_language(option, env) == expected


def test_a_current_translation_replaces_the_field_and_a_stale_one_falls_back():
    data = {"id": "x", "name": "Nerve block", "summary": "Numbs a nerve.", "risks": ["Bruising"], "evidence": ""}
    translations = {
        "name": {TEXT: "Bloqueo nervioso", "en_hash": english_hash("Nerve block")},
        "summary": {TEXT: "Adormece un nervio.", "en_hash": english_hash("An older summary.")},
    }
    result = translate(data, ("name", "summary", "risks", "evidence"), translations)
    assert result.data == {**data, "name": "Bloqueo nervioso"}
    assert result.fallback == ("summary", "risks"), "stale and missing fields fall back; empty ones are not listed"


def test_a_languages_own_aliases_never_go_stale():
    data = {"aliases": ["ESI", "epidural", "a new English alias"]}
    translations = {"aliases": {TEXT: ["epidural", "inyección epidural"], "en_hash": english_hash(["ESI"])}}
    assert translate(data, ("aliases",), translations) == (
        {"aliases": ["epidural", "inyección epidural"]},
        (),
    )


def test_completeness_counts_current_translations_of_present_fields():
    english = [("a", {"name": "A", "summary": "S"}), ("b", {"name": "B"})]
    translations = {"a": {"name": {TEXT: "A-es", "en_hash": english_hash("A")}}}
    assert completeness(english, ("name", "summary"), translations) == (1, 3)


def test_the_hash_changes_with_the_english():
    assert english_hash("Rest a day.") != english_hash("Rest two days.")
    assert english_hash(["a", "b"]) == english_hash(["a", "b"])
    assert len(english_hash("x")) == 12


# --- the shipped Spanish text ------------------------------------------------------------------

ROOT = Path(__file__).resolve().parent.parent
TRANSLATABLE = (
    *("name", "aliases", "summary", "how_it_works", "examples", "anesthesia", "setting", "procedure_time"),
    *("recovery", "relief_onset", "relief_duration", "symptoms", "risks", "preparation", "aftercare"),
    *("red_flags", "questions", "bottom_line", "variants"),
)


@pytest.fixture(scope="module")
def spanish():
    return yaml.safe_load((ROOT / "data" / "i18n" / "es.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def english():
    document = yaml.safe_load((ROOT / "data" / "procedures.yaml").read_text(encoding="utf-8"))
    entries = {e["id"]: e for kind in ("procedures", "conditions", "treatments") for e in document[kind]}
    records = {f"{r['condition']}/{r['option']}": r for r in document["indications"]}
    return entries, records


def _pairs(spanish, english):
    """(where, field, English value, translated item) for every translated field."""
    entries, records = english
    for key, fields in spanish["entries"].items():
        for field, item in fields.items():
            yield f"{key}.{field}", field, entries[key].get(field), item
    for key, fields in spanish["indications"].items():
        for part, item in fields.items():
            yield f"{key}.{part}", part, record_part(records[key], part), item


def test_every_translated_id_and_field_exists(spanish, english):
    entries, records = english
    assert set(spanish["entries"]) == set(entries), "every entry has Spanish text, and no unknown id"
    assert set(spanish["indications"]) == set(records)
    for fields in spanish["entries"].values():
        assert set(fields) <= set(TRANSLATABLE)


def test_translations_are_of_the_current_english(spanish, english):
    stale = [
        where
        for where, field, value, item in _pairs(spanish, english)
        if field not in OWN_WORDS and item["en_hash"] != english_hash(value)
    ]
    assert not stale, stale[:10]


def _numbers(value) -> list[str]:
    text = " ".join(map(str, value)) if isinstance(value, list) else str(value)
    return sorted(re.sub(r"(?<=\d),(?=\d{3})", "", n) for n in re.findall(r"\d[\d,.]*\d|\d", text))


def test_numbers_doses_and_dates_are_identical_to_the_english(spanish, english):
    different = []
    for where, field, value, item in _pairs(spanish, english):
        if field == "aliases" or value is None:
            continue
        if [n.rstrip(".") for n in _numbers(value)] != [n.rstrip(".") for n in _numbers(item["es"])]:
            different.append(where)
    assert not different, different[:10]


def test_warning_prefixes_are_translated_exactly(spanish, english):
    for where, field, value, item in _pairs(spanish, english):
        if field != "red_flags":
            continue
        for english_flag, spanish_flag in zip(value, item["es"], strict=True):
            if english_flag.startswith("Urgent:"):
                assert spanish_flag.startswith("Urgente:"), where
            if english_flag.startswith("Call the clinic:"):
                assert spanish_flag.startswith("Llame a la clínica:"), where


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text.casefold()) if unicodedata.category(c) != "Mn")


# English words whose Spanish is a glossary term's avoided form when they stand beside it.
_SENSES = {"swelling": ("inflammation", "inflamed"), "spinal cord": ("marrow",)}


def _other_sense(term: str, english: str) -> bool:
    return any(word in english.casefold() for word in _SENSES.get(term, ()))


def test_the_glossary_is_applied_consistently(spanish, english):
    """Where an English field uses a glossary term, its Spanish uses the glossary's rendering."""
    glossary = yaml.safe_load((ROOT / "data" / "i18n" / "glossary-es.yaml").read_text(encoding="utf-8"))["terms"]
    consistent = total = 0
    for term in glossary:
        forms = [p.strip() for p in re.split(r"[()]", term["es"]) if p.strip()]
        forms += [re.split(r"\s*\(", lay)[0] for lay in term.get("lay_es") or ()]
        pattern = re.compile(rf"\b{re.escape(term['en'])}\b", re.IGNORECASE)
        for _, field, value, item in _pairs(spanish, english):
            if field == "aliases" or value is None:
                continue
            english_text = " ".join(map(str, value)) if isinstance(value, list) else str(value)
            if pattern.search(english_text):
                total += 1
                translated = _fold(" ".join(map(str, item["es"])) if isinstance(item["es"], list) else str(item["es"]))
                consistent += any(_fold(form) in translated for form in forms)
        for avoided in term.get("avoid") or ():
            # Item by item, and only where the English says this term ("médula ósea" is right for bone
            # marrow); accents matter ("fluoroscopía" is avoided, "fluoroscopia" is the form to use).
            for where, field, value, item in _pairs(spanish, english):
                if field == "aliases" or value is None:
                    continue
                pieces = zip(value, item["es"], strict=True) if isinstance(value, list) else [(value, item["es"])]
                for english_piece, spanish_piece in pieces:
                    if pattern.search(str(english_piece)) and not _other_sense(term["en"], str(english_piece)):
                        assert avoided.casefold() not in str(spanish_piece).casefold(), (where, term["en"], avoided)
    assert total > 3000
    assert consistent / total >= 0.88, consistent / total


def test_every_glossary_term_names_its_source_or_says_it_is_unconfirmed():
    glossary = yaml.safe_load((ROOT / "data" / "i18n" / "glossary-es.yaml").read_text(encoding="utf-8"))["terms"]
    assert len(glossary) >= 250
    for term in glossary:
        source = term["source"]
        assert source == "unconfirmed" or source["url"].startswith("https://"), term["en"]


def test_no_spanish_alias_settles_a_name_the_catalogue_leaves_ambiguous(spanish):
    """Names that stay a choice in English (test_content.AMBIGUOUS_NAMES) stay a choice in every language."""
    from painref.text import normalize
    from test_content import AMBIGUOUS_NAMES

    ambiguous = {normalize(name) for name in AMBIGUOUS_NAMES}
    for entry_id, fields in spanish["entries"].items():
        for alias in (fields.get("aliases") or {}).get("es") or ():
            assert normalize(alias) not in ambiguous, (entry_id, alias)


def test_no_name_in_any_language_names_two_entries(spanish, english):
    """A Spanish name or alias is another entry's id, name or alias in neither language."""
    from painref.text import normalize

    entries, _records = english
    owners: dict[str, set[str]] = {}
    for entry_id, entry in entries.items():
        for name in (entry_id, entry["name"], *entry.get("aliases", ())):
            owners.setdefault(normalize(name), set()).add(entry_id)
    for entry_id, fields in spanish["entries"].items():
        names = [(fields.get("name") or {}).get("es"), *((fields.get("aliases") or {}).get("es") or ())]
        for name in filter(None, names):
            owners.setdefault(normalize(name), set()).add(entry_id)
    shared = {name: ids for name, ids in owners.items() if len(ids) > 1}
    assert not shared, shared


@pytest.mark.parametrize(
    "name",
    ["celecoxib", "ibuprofeno", "paracetamol", "gabapentina", "hernia de disco", "ciática", "nervio pinzado"],
)
def test_spanish_generic_and_lay_names_are_aliases(spanish, name):
    from painref.text import normalize

    entries = spanish["entries"].values()
    aliases = {normalize(alias) for fields in entries for alias in (fields.get("aliases") or {}).get("es") or ()}
    assert normalize(name) in aliases
