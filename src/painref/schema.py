"""The field table: every field of every kind declared once, and the JSON Schema derived from it.

Validation, the model's values, JSON and CSV records, cards, compare rows, list columns, the
search index's columns and weights, and reverse links are all read from `FIELDS`. Adding a field
is one `Field(...)` line here plus data; adding a kind is one `Kind` member plus its fields.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import Any, NamedTuple

from painref.i18n import N_
from painref.model import Kind

# Shapes of ids and ICD-10-CM codes, shared by the validator and the JSON Schema.
SLUG_PATTERN = r"[a-z0-9]+(?:-[a-z0-9]+)*"
ICD10_CM_PATTERN = r"[A-TV-Z][0-9][0-9AB](?:\.[0-9A-TV-Z]{1,4})?"
DATE_PATTERN = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
# An overlay key ending in "+" (`risks+:`) adds its items to the list it names instead of replacing it.
EXTEND = "+"


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
    GUIDELINES = "guidelines"  # a list of {body, year, title, url, stance, population}
    OUTCOME = "outcome"  # a natural frequency {outcome, per, with_option, ...} or {not_quantified, ...}
    OUTCOMES = "outcomes"  # a list of outcomes (material harms)


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
        FieldType.GUIDELINES,
        FieldType.OUTCOMES,
    }
)

# The record shapes of list-of-mapping fields: their required text keys, and optional true/false flags.
RECORD_KEYS: Mapping[FieldType, tuple[tuple[str, ...], tuple[str, ...]]] = {
    FieldType.SOURCES: (("title", "url"), ()),
    FieldType.VARIANTS: (("name", "description"), ()),
    FieldType.CODES: (("code", "description"), ("category",)),
    FieldType.QUESTIONS: (("id", "question", "why"), ()),
}

# Where an option sits in care for a condition, as the cited guidelines put it, in the order
# `condition` shows the groups, with the heading each group gets.
LINES: Mapping[str, str] = {
    "self-care": N_("Watchful waiting and self-care"),
    "first-line": N_("Usually tried first"),
    "add-on": N_("Added when first steps are not enough"),
    "specialist": N_("Specialist procedures"),
    "last-resort": N_("Last resorts, after other options"),
}
# What a guideline says of an option, and how that reads after the guideline's name.
STANCES: Mapping[str, str] = {
    "recommend": N_("recommends it"),
    "consider": N_("says consider it"),
    "not-routinely": N_("advises against routine use"),
    "do-not-offer": N_("advises against it"),
    "no-recommendation": N_("makes no recommendation"),
}
AGAINST = frozenset({"not-routinely", "do-not-offer"})


def advised_against(guidelines: Iterable[Mapping[str, Any]]) -> bool:
    """Whether every guideline a record cites advises against the option (and at least one does)."""
    stances = [guideline.get("stance") for guideline in guidelines]
    return bool(stances) and all(stance in AGAINST for stance in stances)


# How sure the source is (GRADE, or not graded).
CERTAINTY: Mapping[str, str] = {
    "high": N_("high certainty"),
    "moderate": N_("moderate certainty"),
    "low": N_("low certainty"),
    "very-low": N_("very low certainty"),
    "not-graded": N_("certainty not graded"),
}
# The keys of a guideline stance and of an outcome (a natural frequency or "not quantified").
GUIDELINE_KEYS = ("body", "year", "title", "url", "stance", "population")
OUTCOME_KEYS = (
    *("outcome", "per", "with_option", "without_option", "comparator", "timeframe"),
    *("certainty", "source", "quote", "not_quantified"),
)


class Field(NamedTuple):
    """One field: what it holds, which kinds have it, how it reads and where it shows."""

    name: str
    type: FieldType
    label: str
    # Kinds that have the field, and those for which a complete entry must give it.
    kinds: frozenset[Kind]
    required: frozenset[Kind] = frozenset()
    # Kinds whose card (`show`) lists the field; whether `compare` has a row for it; whether
    # `list` shows it as a column between the aliases and the summary.
    card: frozenset[Kind] = frozenset()
    compare: bool = False
    column: bool = False
    # Plain words a patient reads (held to the readability target, and translated), not clinician detail.
    patient: bool = False
    # Translated too, though not prose to measure (names, aliases, examples, variants).
    translated: bool = False
    # How much a match here counts in search; 0 leaves the field out of the search index.
    weight: float = 0.0
    # Fields that share one compare row and one search column (a procedure's category and a
    # treatment's type) name the same group.
    group: str = ""
    # For REF and REFS: the kind the ids must name, and the reverse field the loader derives on
    # the named entries ("*" for the plural of the linking entry's kind).
    ref_kind: Kind | None = None
    backlink: str = ""
    # Derived by the loader, never written in a file; `record` False: shown, never serialised.
    derived: bool = False
    record: bool = True
    # A list shown on one line, comma-separated (short names), rather than as bullets.
    inline: bool = False
    # For CHOICE and CHOICES: the allowed values and how each reads, in the order they sort.
    choices: Mapping[str, str] = {}
    minimum: int | None = None
    maximum: int | None = None
    # A label that reads differently on one kind ("Before your visit" on a condition).
    kind_labels: Mapping[Kind, str] = {}

    @property
    def translatable(self) -> bool:
        return self.patient or self.translated

    @property
    def key(self) -> str:
        """The compare row and search column this field feeds."""
        return self.group or self.name

    def label_for(self, kind: Kind) -> str:
        return self.kind_labels.get(kind, self.label)


ALL = frozenset(Kind)
P, C, T = Kind.PROCEDURE, Kind.CONDITION, Kind.TREATMENT
PROCEDURE, CONDITION, TREATMENT = frozenset({P}), frozenset({C}), frozenset({T})

PROCEDURE_CATEGORIES: Mapping[str, str] = {
    "spinal-injection": N_("Spinal injection"),
    "joint-injection": N_("Joint injection"),
    "nerve-block": N_("Nerve block"),
    "ablation": N_("Ablation"),
    "neuromodulation": N_("Neuromodulation"),
    "soft-tissue-injection": N_("Soft tissue injection"),
    # Minimally invasive spine procedures: vertebral augmentation, decompression, spacers.
    "spine-procedure": N_("Spine procedure"),
}
# In the order a clinician usually reaches for them; `condition` lists treatments this way.
TREATMENT_TYPES: Mapping[str, str] = {
    "lifestyle": N_("Lifestyle"),
    "physical": N_("Physical"),
    "medication": N_("Medication"),
    "psychological": N_("Psychological"),
    "complementary": N_("Complementary"),
}
PURPOSES: Mapping[str, str] = {
    "diagnostic": N_("Yes: mainly to find the pain source"),
    "therapeutic": N_("No: a treatment"),
    "both": N_("Both: finds the pain source and treats it"),
}
IMAGE_GUIDANCE: Mapping[str, str] = {
    "fluoroscopy": N_("fluoroscopy (live X-ray)"),
    "ultrasound": N_("ultrasound"),
    "ct": N_("CT scan"),
    "none": N_("none needed"),
}
# Body regions, a controlled vocabulary so that `--region` filters reliably.
REGIONS: Mapping[str, str] = {
    "head": N_("head"),
    "face": N_("face"),
    "neck": N_("neck"),
    "shoulder": N_("shoulder"),
    "arm": N_("arm"),
    "hand": N_("hand"),
    "chest": N_("chest"),
    "upper-back": N_("upper back"),
    "mid-back": N_("mid back"),
    "lower-back": N_("lower back"),
    "abdomen": N_("abdomen"),
    "pelvis": N_("pelvis"),
    "buttock": N_("buttock"),
    "hip": N_("hip"),
    "leg": N_("leg"),
    "knee": N_("knee"),
    "foot": N_("foot"),
    "whole-body": N_("whole body"),
}
# How invasive a procedure is, the editorial scale that orders "least invasive first".
INVASIVENESS: Mapping[str, str] = {
    "1": N_("needle into muscle or soft tissue"),
    "2": N_("needle into a joint or near a peripheral nerve"),
    "3": N_("needle near the spine or deep structures under imaging"),
    "4": N_("destroys nerve tissue (ablation)"),
    "5": N_("implanted device"),
}
_HANDOUT = PROCEDURE | CONDITION

# Every field, in the order cards, compare rows, JSON records and CSV columns show them.
FIELDS: tuple[Field, ...] = (
    Field("id", FieldType.SLUG, N_("Id"), ALL, ALL, weight=8.0),
    Field("name", FieldType.TEXT, N_("Name"), ALL, ALL, translated=True, weight=10.0),
    Field("aliases", FieldType.TEXTS, N_("Also called"), ALL, ALL, card=ALL, weight=8.0, inline=True, translated=True),
    Field(
        "category",
        FieldType.CHOICE,
        N_("Category"),
        PROCEDURE,
        PROCEDURE,
        compare=True,
        column=True,
        weight=2.5,
        choices=PROCEDURE_CATEGORIES,
    ),
    Field(
        "type",
        FieldType.CHOICE,
        N_("Type"),
        TREATMENT,
        TREATMENT,
        compare=True,
        column=True,
        weight=2.5,
        group="category",
        choices=TREATMENT_TYPES,
    ),
    Field("summary", FieldType.TEXT, N_("Summary"), ALL, ALL, compare=True, patient=True, weight=3.0),
    Field("family", FieldType.REF, N_("Part of"), ALL, card=ALL, ref_kind=None, backlink="members"),
    Field("members", FieldType.REFS, N_("Includes"), ALL, card=ALL, derived=True),
    Field(
        "how_it_works",
        FieldType.TEXT,
        N_("How it works"),
        PROCEDURE | TREATMENT,
        PROCEDURE | TREATMENT,
        card=PROCEDURE | TREATMENT,
        compare=True,
        patient=True,
        weight=1.0,
    ),
    Field(
        "examples",
        FieldType.TEXTS,
        N_("Examples"),
        TREATMENT,
        card=TREATMENT,
        compare=True,
        weight=6.0,
        inline=True,
        translated=True,
    ),
    Field(
        "conditions",
        FieldType.REFS,
        N_("Used for"),
        PROCEDURE | TREATMENT,
        # Optional: indication records link options to conditions; a bare list is the short way.
        frozenset(),
        card=PROCEDURE | TREATMENT,
        compare=True,
        weight=3.0,
        ref_kind=C,
        backlink="*",
    ),
    # Conditions for which every guideline an indication record cites advises against the option.
    Field(
        "advised_against",
        FieldType.REFS,
        N_("Not advised for"),
        PROCEDURE | TREATMENT,
        card=PROCEDURE | TREATMENT,
        compare=True,
        derived=True,
    ),
    Field(
        "regions",
        FieldType.CHOICES,
        N_("Body regions"),
        ALL,
        PROCEDURE | CONDITION,
        compare=True,
        weight=2.5,
        choices=REGIONS,
    ),
    Field(
        "image_guidance",
        FieldType.CHOICES,
        N_("Imaging"),
        PROCEDURE,
        PROCEDURE,
        card=PROCEDURE,
        compare=True,
        choices=IMAGE_GUIDANCE,
    ),
    Field(
        "anesthesia", FieldType.TEXT, N_("Anesthesia"), PROCEDURE, PROCEDURE, card=PROCEDURE, compare=True, patient=True
    ),
    Field("setting", FieldType.TEXT, N_("Setting"), PROCEDURE, PROCEDURE, card=PROCEDURE, compare=True, patient=True),
    Field(
        "procedure_time",
        FieldType.TEXT,
        N_("Procedure time"),
        PROCEDURE,
        PROCEDURE,
        card=PROCEDURE,
        compare=True,
        patient=True,
    ),
    Field("recovery", FieldType.TEXT, N_("Recovery"), PROCEDURE, PROCEDURE, card=PROCEDURE, compare=True, patient=True),
    Field(
        "relief_onset",
        FieldType.TEXT,
        N_("Relief starts"),
        PROCEDURE | TREATMENT,
        PROCEDURE,
        card=PROCEDURE | TREATMENT,
        compare=True,
        patient=True,
    ),
    Field(
        "relief_duration",
        FieldType.TEXT,
        N_("Relief lasts"),
        PROCEDURE | TREATMENT,
        PROCEDURE,
        card=PROCEDURE | TREATMENT,
        compare=True,
        patient=True,
    ),
    Field(
        "purpose",
        FieldType.CHOICE,
        N_("Diagnostic?"),
        PROCEDURE,
        PROCEDURE,
        card=PROCEDURE,
        compare=True,
        choices=PURPOSES,
    ),
    Field(
        "invasiveness",
        FieldType.INTEGER,
        N_("Invasiveness"),
        PROCEDURE,
        PROCEDURE,
        card=PROCEDURE,
        compare=True,
        choices=INVASIVENESS,
        minimum=1,
        maximum=5,
    ),
    Field(
        "symptoms",
        FieldType.TEXTS,
        N_("Symptoms"),
        CONDITION,
        CONDITION,
        card=CONDITION,
        compare=True,
        patient=True,
        weight=2.0,
    ),
    # Urgent symptoms and red flags of a condition, shown apart from its other symptoms.
    Field("warning_signs", FieldType.TEXTS, N_("Warning signs"), CONDITION, card=CONDITION, compare=True, record=False),
    Field(
        "icd10",
        FieldType.CODES,
        N_("ICD-10-CM"),
        CONDITION,
        CONDITION,
        card=CONDITION,
        compare=True,
        column=True,
        weight=6.0,
    ),
    Field("variants", FieldType.VARIANTS, N_("Variants"), ALL, card=ALL, weight=2.0, translated=True),
    Field("treatments", FieldType.REFS, N_("Treatments"), CONDITION, card=CONDITION, compare=True, derived=True),
    Field("procedures", FieldType.REFS, N_("Procedures"), CONDITION, card=CONDITION, compare=True, derived=True),
    Field(
        "risks",
        FieldType.TEXTS,
        N_("Risks"),
        PROCEDURE | TREATMENT,
        PROCEDURE | TREATMENT,
        card=PROCEDURE | TREATMENT,
        compare=True,
        patient=True,
        weight=1.0,
    ),
    # What a patient handout needs (`show -f markdown|html`); optional so an overlay's new entry
    # need not write them, but every built-in procedure and condition has them.
    Field(
        "preparation",
        FieldType.TEXTS,
        N_("Preparing"),
        _HANDOUT,
        card=_HANDOUT,
        patient=True,
        kind_labels={C: N_("Before your visit")},
    ),
    Field(
        "aftercare",
        FieldType.TEXTS,
        N_("Aftercare"),
        _HANDOUT,
        card=_HANDOUT,
        patient=True,
        kind_labels={C: N_("Self-care")},
    ),
    Field("red_flags", FieldType.TEXTS, N_("When to get help"), _HANDOUT, card=PROCEDURE, patient=True),
    Field("questions", FieldType.TEXTS, N_("Questions to ask"), _HANDOUT, card=_HANDOUT, patient=True),
    # The evidence in plain words: how well it works and how sure we are (patients read this).
    Field("bottom_line", FieldType.TEXT, N_("In short"), ALL, card=ALL, compare=True, patient=True),
    Field("evidence", FieldType.TEXT, N_("Evidence"), ALL, ALL, card=ALL, compare=True, weight=0.5),
    Field("sources", FieldType.SOURCES, N_("Sources"), ALL, ALL, card=ALL),
    Field("last_checked", FieldType.DATE, N_("Last checked"), ALL, ALL, card=ALL),
)

BY_NAME: Mapping[str, Field] = {field.name: field for field in FIELDS}


def fields_of(kind: Kind) -> tuple[Field, ...]:
    """The fields an entry of this kind has, in table order."""
    known = _FIELDS_OF.get(kind)
    if known is None or known[0] is not FIELDS:  # asked once per entry: worked out once per table
        known = _FIELDS_OF[kind] = (FIELDS, tuple(field for field in FIELDS if kind in field.kinds))
    return known[1]


def file_fields(kind: Kind) -> tuple[Field, ...]:
    """The fields a catalogue file may give for this kind (derived ones are the loader's)."""
    known = _FILE_FIELDS.get(kind)
    if known is None or known[0] is not FIELDS:
        known = _FILE_FIELDS[kind] = (FIELDS, tuple(f for f in fields_of(kind) if not f.derived and f.record))
    return known[1]


# Each kind's fields, with the table they were read from (a test may declare one more field).
_FIELDS_OF: dict[Kind, tuple[tuple[Field, ...], tuple[Field, ...]]] = {}
_FILE_FIELDS: dict[Kind, tuple[tuple[Field, ...], tuple[Field, ...]]] = {}


def ref_kind(field: Field, kind: Kind) -> Kind:
    """The kind a reference field names: its declared target, or the entry's own kind (family)."""
    return field.ref_kind or kind


# Clinician detail that stays in English in every language, marked as such: the evidence summary
# and the ICD-10-CM codes' official descriptions (the code set is published in English only).
ENGLISH_ONLY = ("evidence", "icd10")


def translatable_fields() -> tuple[str, ...]:
    """Fields whose text a translation file gives, plus ENGLISH_ONLY's: clinician detail that stays
    in English and is marked as such in other languages."""
    return (*(field.name for field in FIELDS if field.translatable), *ENGLISH_ONLY)


def search_columns() -> tuple[tuple[str, float], ...]:
    """The search index's columns and their weights: one per group of searched fields."""
    columns: dict[str, float] = {}
    for field in FIELDS:
        if field.weight:
            columns.setdefault(field.key, field.weight)
    return tuple(columns.items())


# The two small records of a catalogue beside its entries.
class SectionField(NamedTuple):
    name: str
    type: FieldType
    required: bool = True
    minimum: int | None = None
    maximum: int | None = None
    choices: Mapping[str, str] = {}
    # For REF: the kinds the id may name.
    targets: frozenset[Kind] = frozenset()
    # Plain words a patient reads (held to the readability target).
    patient: bool = False


GUIDE_FIELDS: tuple[SectionField, ...] = (
    SectionField("id", FieldType.SLUG),
    SectionField("title", FieldType.TEXT),
    SectionField("aliases", FieldType.TEXTS, required=False),
    SectionField("summary", FieldType.TEXT),
    SectionField("body", FieldType.TEXT),
    SectionField("points", FieldType.TEXTS, required=False),
    SectionField("sources", FieldType.SOURCES),
)

CHECKLIST_FIELDS: tuple[SectionField, ...] = (
    SectionField("intro", FieldType.TEXT),
    SectionField("questions", FieldType.QUESTIONS),
    SectionField("threshold", FieldType.INTEGER, minimum=1, maximum=50),
    SectionField("result_yes", FieldType.TEXT),
    SectionField("result_no", FieldType.TEXT),
    SectionField("sources", FieldType.SOURCES),
)

# An indication record: one option (a procedure or treatment) for one condition, as decision
# aids present it: its line of care, what guidelines say, how well it works and its harms.
INDICATION_FIELDS: tuple[SectionField, ...] = (
    SectionField("condition", FieldType.REF, targets=CONDITION),
    SectionField("option", FieldType.REF, targets=PROCEDURE | TREATMENT),
    SectionField("line", FieldType.CHOICE, choices=LINES),
    SectionField("bottom_line", FieldType.TEXT, patient=True),
    SectionField("guidelines", FieldType.GUIDELINES),
    SectionField("benefit", FieldType.OUTCOME),
    SectionField("harms", FieldType.OUTCOMES, required=False),
    SectionField("last_checked", FieldType.DATE, required=False),
)

# Who wrote and reviewed the catalogue, who paid for it and what conflicts they declare.
TRUST_FIELDS: tuple[SectionField, ...] = (
    SectionField("authors", FieldType.TEXT),
    SectionField("review", FieldType.TEXT),
    SectionField("funding", FieldType.TEXT),
    SectionField("conflicts", FieldType.TEXT),
    SectionField("updated", FieldType.DATE),
)

# Top-level keys of a catalogue file and the entry kind each list holds.
SECTION_KINDS: Mapping[str, Kind] = {kind.plural: kind for kind in Kind}
# `synonyms` maps lay phrases to the catalogue's words for them ("slipped disc": herniated disc).
TOP_LEVEL_KEYS: tuple[str, ...] = (
    *("version", "trust"),
    *SECTION_KINDS,
    *("indications", "guide", "checklist", "synonyms"),
)


# --- JSON Schema ---------------------------------------------------------------------------------

_TEXT: dict[str, object] = {"type": "string", "pattern": r"\S"}


def _anchored(pattern: str) -> str:
    return f"^{pattern}$"


def _field_schema(
    kind: FieldType, choices: Mapping[str, str], minimum: int | None, maximum: int | None
) -> dict[str, object]:
    if kind is FieldType.TEXT:
        return dict(_TEXT)
    if kind is FieldType.TEXTS:
        return {"type": "array", "items": dict(_TEXT)}
    if kind is FieldType.CHOICE:
        return {"enum": list(choices)}
    if kind is FieldType.CHOICES:
        return {"type": "array", "items": {"enum": list(choices)}}
    if kind is FieldType.INTEGER:
        return {"type": "integer", "minimum": minimum, "maximum": maximum}
    if kind is FieldType.DATE:
        return {"type": "string", "pattern": _anchored(DATE_PATTERN), "format": "date"}
    if kind in (FieldType.SLUG, FieldType.REF):
        return {"type": "string", "pattern": _anchored(SLUG_PATTERN)}
    if kind is FieldType.REFS:
        return {"type": "array", "items": {"type": "string", "pattern": _anchored(SLUG_PATTERN)}}
    if kind is FieldType.GUIDELINES:
        guideline: dict[str, object] = {
            "type": "object",
            "required": list(GUIDELINE_KEYS[:5]),
            "properties": {
                **{key: dict(_TEXT) for key in ("body", "title", "population")},
                "year": {"type": "integer", "minimum": 1900, "maximum": 2100},
                "url": {"type": "string", "pattern": "^https://\\S+$"},
                "stance": {"enum": list(STANCES)},
            },
            "additionalProperties": False,
        }
        return {"type": "array", "items": guideline}
    if kind in (FieldType.OUTCOME, FieldType.OUTCOMES):
        number = {"type": "number", "minimum": 0}
        outcome: dict[str, object] = {
            "type": "object",
            "properties": {
                **{key: dict(_TEXT) for key in ("outcome", "comparator", "timeframe", "quote", "not_quantified")},
                **{key: dict(number) for key in ("with_option", "without_option")},
                "per": {"enum": [100, 1000, 10000]},
                "certainty": {"enum": list(CERTAINTY)},
                "source": _field_schema(FieldType.SOURCES, {}, None, None)["items"],
            },
            "additionalProperties": False,
        }
        return outcome if kind is FieldType.OUTCOME else {"type": "array", "items": outcome}
    keys, flags = RECORD_KEYS[kind]
    properties: dict[str, object] = {key: dict(_TEXT) for key in keys}
    properties.update({flag: {"type": "boolean"} for flag in flags})
    if kind is FieldType.SOURCES:
        properties["url"] = {"type": "string", "pattern": "^https://\\S+$"}
    if kind is FieldType.CODES:
        properties["code"] = {"type": "string", "pattern": _anchored(ICD10_CM_PATTERN)}
    item = {"type": "object", "required": list(keys), "properties": properties, "additionalProperties": False}
    return {"type": "array", "items": item, **({"minItems": 1} if kind is FieldType.SOURCES else {})}


def _mapping_schema(
    specs: tuple[tuple[str, dict[str, object]], ...], description: str, *, extendable: bool
) -> dict[str, object]:
    properties: dict[str, object] = {}
    for name, field in specs:
        properties[name] = field
        if extendable and field.get("type") == "array":
            properties[f"{name}{EXTEND}"] = {**field, "description": f"Items to add to '{name}' (overlays)."}
    return {
        "type": "object",
        "description": description,
        "required": ["id"] if "id" in properties else [],
        "properties": properties,
        "additionalProperties": False,
    }


def json_schema() -> dict[str, object]:
    """A JSON Schema (2020-12) for one catalogue file, generated from the field table.

    It checks what one file shows on its own: keys, types, choices, id, date, https and code
    shapes. Whether a new entry has every required key, and whether ids it names exist, depend
    on the other files and are left to `painref validate`.
    """
    definitions = {
        kind.value: _mapping_schema(
            tuple((f.name, _field_schema(f.type, f.choices, f.minimum, f.maximum)) for f in file_fields(kind)),
            f"A {kind.value}: a complete new entry, or an overlay patch of an existing id.",
            extendable=True,
        )
        for kind in Kind
    }
    for name, specs, description in (
        ("indication", INDICATION_FIELDS, "One option for one condition: line of care, guidelines, benefit, harms."),
        ("trust", TRUST_FIELDS, "Who wrote and reviewed the catalogue, its funding and conflicts."),
        ("guide", GUIDE_FIELDS, "A topic of the patient guide."),
        ("checklist", CHECKLIST_FIELDS, "The self-check questions."),
    ):
        definitions[name] = _mapping_schema(
            tuple((s.name, _field_schema(s.type, s.choices, s.minimum, s.maximum)) for s in specs),
            description,
            extendable=False,
        )
    sections = {kind.plural: {"type": "array", "items": {"$ref": f"#/$defs/{kind.value}"}} for kind in Kind}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "painref catalogue file",
        "description": "The built-in catalogue or an overlay; check a whole catalogue with `painref validate`.",
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "version": {"type": ["string", "number"]},
            "trust": {"$ref": "#/$defs/trust"},
            **sections,
            "indications": {"type": "array", "items": {"$ref": "#/$defs/indication"}},
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


# The fields a list's table reads, kept apart in the index so that a long list decodes only them
# (its JSON and CSV records read every field).
LIST_FIELDS: tuple[str, ...] = tuple(
    dict.fromkeys(["id", "name", "aliases", "family", "summary", *(field.name for field in FIELDS if field.column)])
)
