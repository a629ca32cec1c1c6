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
        *_TRAILER,
    ),
    Kind.CONDITION: (
        *_COMMON,
        FieldSpec("family", FieldType.REF, required=False, ref_kind=Kind.CONDITION),
        FieldSpec("regions", FieldType.CHOICES, choices=REGIONS),
        FieldSpec("symptoms", FieldType.TEXTS),
        FieldSpec("icd10", FieldType.CODES),
        FieldSpec("variants", FieldType.VARIANTS, required=False),
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
