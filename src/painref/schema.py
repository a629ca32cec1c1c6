"""The catalogue file format as data: which keys each section takes and their types."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import NamedTuple

from painref.model import (
    REGIONS,
    ImageGuidance,
    Kind,
    ProcedureCategory,
    Purpose,
    TreatmentType,
)

# Shapes of ids and ICD-10-CM codes, shared by the validator and the JSON Schema.
SLUG_PATTERN = r"[a-z0-9]+(?:-[a-z0-9]+)*"
ICD10_CM_PATTERN = r"[A-TV-Z][0-9][0-9AB](?:\.[0-9A-TV-Z]{1,4})?"
DATE_PATTERN = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"


class FieldType(StrEnum):
    """What a key's value must look like."""

    TEXT = "text"  # a non-empty string
    TEXTS = "texts"  # a list of non-empty strings
    CHOICE = "choice"  # one string from a fixed set
    CHOICES = "choices"  # a list of strings from a fixed set
    INTEGER = "integer"  # a whole number within a range
    DATE = "date"  # an ISO date, YYYY-MM-DD
    SLUG = "slug"  # a lowercase id: letters, digits and hyphens
    REF = "ref"  # the id of another entry
    REFS = "refs"  # a list of ids of other entries
    SOURCES = "sources"  # a list of {title, url}
    VARIANTS = "variants"  # a list of {name, description}
    CODES = "codes"  # a list of {code, description, category (optional, true for a non-billable heading)}
    QUESTIONS = "questions"  # a list of {id, question, why}


class FieldSpec(NamedTuple):
    name: str
    type: FieldType
    required: bool = True
    choices: tuple[str, ...] = ()
    # For REF and REFS: which kind of entry the ids must name.
    ref_kind: Kind | None = None
    minimum: int | None = None
    maximum: int | None = None


def _values(enum: type[StrEnum]) -> tuple[str, ...]:
    return tuple(member.value for member in enum)


_COMMON: tuple[FieldSpec, ...] = (
    FieldSpec("id", FieldType.SLUG),
    FieldSpec("name", FieldType.TEXT),
    FieldSpec("aliases", FieldType.TEXTS),
    FieldSpec("summary", FieldType.TEXT),
)
# What a patient handout needs (`show -f markdown|html`); optional so an overlay's new entry
# need not write them, but every built-in procedure and condition has them.
_HANDOUT: tuple[FieldSpec, ...] = (
    FieldSpec("preparation", FieldType.TEXTS, required=False),
    FieldSpec("aftercare", FieldType.TEXTS, required=False),
    FieldSpec("red_flags", FieldType.TEXTS, required=False),
    FieldSpec("questions", FieldType.TEXTS, required=False),
)
_TRAILER: tuple[FieldSpec, ...] = (
    FieldSpec("evidence", FieldType.TEXT),
    FieldSpec("sources", FieldType.SOURCES),
    FieldSpec("last_checked", FieldType.DATE),
)

ENTRY_FIELDS: Mapping[Kind, tuple[FieldSpec, ...]] = {
    Kind.PROCEDURE: (
        *_COMMON,
        FieldSpec("category", FieldType.CHOICE, choices=_values(ProcedureCategory)),
        FieldSpec("family", FieldType.REF, required=False, ref_kind=Kind.PROCEDURE),
        FieldSpec("how_it_works", FieldType.TEXT),
        FieldSpec("conditions", FieldType.REFS, ref_kind=Kind.CONDITION),
        FieldSpec("regions", FieldType.CHOICES, choices=REGIONS),
        FieldSpec("image_guidance", FieldType.CHOICES, choices=_values(ImageGuidance)),
        FieldSpec("anesthesia", FieldType.TEXT),
        FieldSpec("setting", FieldType.TEXT),
        FieldSpec("procedure_time", FieldType.TEXT),
        FieldSpec("recovery", FieldType.TEXT),
        FieldSpec("relief_onset", FieldType.TEXT),
        FieldSpec("relief_duration", FieldType.TEXT),
        FieldSpec("purpose", FieldType.CHOICE, choices=_values(Purpose)),
        FieldSpec("invasiveness", FieldType.INTEGER, minimum=1, maximum=5),
        FieldSpec("variants", FieldType.VARIANTS, required=False),
        FieldSpec("risks", FieldType.TEXTS),
        *_HANDOUT,
        *_TRAILER,
    ),
    Kind.CONDITION: (
        *_COMMON,
        FieldSpec("family", FieldType.REF, required=False, ref_kind=Kind.CONDITION),
        FieldSpec("regions", FieldType.CHOICES, choices=REGIONS),
        FieldSpec("symptoms", FieldType.TEXTS),
        FieldSpec("icd10", FieldType.CODES),
        FieldSpec("variants", FieldType.VARIANTS, required=False),
        *_HANDOUT,
        *_TRAILER,
    ),
    Kind.TREATMENT: (
        *_COMMON,
        FieldSpec("type", FieldType.CHOICE, choices=_values(TreatmentType)),
        FieldSpec("family", FieldType.REF, required=False, ref_kind=Kind.TREATMENT),
        FieldSpec("how_it_works", FieldType.TEXT),
        FieldSpec("examples", FieldType.TEXTS, required=False),
        FieldSpec("conditions", FieldType.REFS, ref_kind=Kind.CONDITION),
        FieldSpec("regions", FieldType.CHOICES, required=False, choices=REGIONS),
        FieldSpec("relief_onset", FieldType.TEXT, required=False),
        FieldSpec("relief_duration", FieldType.TEXT, required=False),
        FieldSpec("variants", FieldType.VARIANTS, required=False),
        FieldSpec("risks", FieldType.TEXTS),
        *_TRAILER,
    ),
}

GUIDE_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("id", FieldType.SLUG),
    FieldSpec("title", FieldType.TEXT),
    FieldSpec("aliases", FieldType.TEXTS, required=False),
    FieldSpec("summary", FieldType.TEXT),
    FieldSpec("body", FieldType.TEXT),
    FieldSpec("points", FieldType.TEXTS, required=False),
    FieldSpec("sources", FieldType.SOURCES),
)

CHECKLIST_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("intro", FieldType.TEXT),
    FieldSpec("questions", FieldType.QUESTIONS),
    FieldSpec("threshold", FieldType.INTEGER, minimum=1, maximum=50),
    FieldSpec("result_yes", FieldType.TEXT),
    FieldSpec("result_no", FieldType.TEXT),
    FieldSpec("sources", FieldType.SOURCES),
)

# Top-level keys of a catalogue file and the entry kind each list holds.
SECTION_KINDS: Mapping[str, Kind] = {kind.plural: kind for kind in Kind}
# `synonyms` maps lay phrases to the catalogue's words for them ("slipped disc": herniated disc).
TOP_LEVEL_KEYS: tuple[str, ...] = ("version", *SECTION_KINDS, "guide", "checklist", "synonyms")


# --- JSON Schema ---------------------------------------------------------------------------------

# The record shapes of list fields: their required text keys, and optional true/false flags.
_RECORDS: Mapping[FieldType, tuple[tuple[str, ...], tuple[str, ...]]] = {
    FieldType.SOURCES: (("title", "url"), ()),
    FieldType.VARIANTS: (("name", "description"), ()),
    FieldType.CODES: (("code", "description"), ("category",)),
    FieldType.QUESTIONS: (("id", "question", "why"), ()),
}
_TEXT: dict[str, object] = {"type": "string", "pattern": r"\S"}


def _anchored(pattern: str) -> str:
    return f"^{pattern}$"


def _field_schema(spec: FieldSpec) -> dict[str, object]:
    kind = spec.type
    if kind is FieldType.TEXT:
        return dict(_TEXT)
    if kind is FieldType.TEXTS:
        return {"type": "array", "items": dict(_TEXT)}
    if kind is FieldType.CHOICE:
        return {"enum": list(spec.choices)}
    if kind is FieldType.CHOICES:
        return {"type": "array", "items": {"enum": list(spec.choices)}}
    if kind is FieldType.INTEGER:
        return {"type": "integer", "minimum": spec.minimum, "maximum": spec.maximum}
    if kind is FieldType.DATE:
        return {"type": "string", "pattern": _anchored(DATE_PATTERN), "format": "date"}
    if kind in (FieldType.SLUG, FieldType.REF):
        return {"type": "string", "pattern": _anchored(SLUG_PATTERN)}
    if kind is FieldType.REFS:
        return {"type": "array", "items": {"type": "string", "pattern": _anchored(SLUG_PATTERN)}}
    keys, flags = _RECORDS[kind]
    properties: dict[str, object] = {key: dict(_TEXT) for key in keys}
    properties.update({flag: {"type": "boolean"} for flag in flags})
    if kind is FieldType.SOURCES:
        properties["url"] = {"type": "string", "pattern": "^https://\\S+$"}
    if kind is FieldType.CODES:
        properties["code"] = {"type": "string", "pattern": _anchored(ICD10_CM_PATTERN)}
    item = {"type": "object", "required": list(keys), "properties": properties, "additionalProperties": False}
    return {"type": "array", "items": item, **({"minItems": 1} if kind is FieldType.SOURCES else {})}


# Field types holding lists: an overlay may extend them with a `key+` entry.
LIST_TYPES = frozenset(
    {
        FieldType.TEXTS,
        FieldType.CHOICES,
        FieldType.REFS,
        FieldType.SOURCES,
        FieldType.VARIANTS,
        FieldType.CODES,
        FieldType.QUESTIONS,
    }
)


def _mapping_schema(specs: tuple[FieldSpec, ...], description: str, *, extendable: bool) -> dict[str, object]:
    properties: dict[str, object] = {}
    for spec in specs:
        field = _field_schema(spec)
        properties[spec.name] = field
        if extendable and spec.type in LIST_TYPES:
            properties[f"{spec.name}+"] = {**field, "description": f"Items to add to '{spec.name}' (overlays)."}
    return {
        "type": "object",
        "description": description,
        "required": ["id"] if "id" in properties else [],
        "properties": properties,
        "additionalProperties": False,
    }


def json_schema() -> dict[str, object]:
    """A JSON Schema (2020-12) for one catalogue file, generated from the specs above.

    It checks what one file shows on its own: keys, types, choices, id, date, https and code
    shapes. Whether a new entry has every required key, and whether ids it names exist, depend
    on the other files and are left to `painref validate`.
    """
    definitions = {
        kind.value: _mapping_schema(
            ENTRY_FIELDS[kind],
            f"A {kind.value}: a complete new entry, or an overlay patch of an existing id.",
            extendable=True,
        )
        for kind in Kind
    }
    definitions["guide"] = _mapping_schema(GUIDE_FIELDS, "A topic of the patient guide.", extendable=False)
    definitions["checklist"] = _mapping_schema(CHECKLIST_FIELDS, "The self-check questions.", extendable=False)
    sections = {kind.plural: {"type": "array", "items": {"$ref": f"#/$defs/{kind.value}"}} for kind in Kind}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "painref catalogue file",
        "description": "The built-in catalogue or an overlay; check a whole catalogue with `painref validate`.",
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "version": {"type": ["string", "number"]},
            **sections,
            "guide": {"type": "array", "items": {"$ref": "#/$defs/guide"}},
            "checklist": {"$ref": "#/$defs/checklist"},
            "synonyms": {
                "type": "object",
                "description": "Lay phrases and the catalogue's words for them, used by search.",
                "additionalProperties": dict(_TEXT),
            },
        },
        "$defs": definitions,
    }
