"""Every problem in a catalogue as an Issue(file, loc, message); checks data, never reads or prints."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any, Protocol

from painref.model import Kind
from painref.readability import LIMIT_GRADE, TARGET_GRADE, grade, joined, measurable
from painref.schema import (
    AGAINST,
    CERTAINTY,
    CHECKLIST_FIELDS,
    EXTEND,
    GUIDE_FIELDS,
    GUIDELINE_KEYS,
    ICD10_CM_PATTERN,
    INDICATION_FIELDS,
    LIST_TYPES,
    OUTCOME_KEYS,
    SECTION_KINDS,
    SLUG_PATTERN,
    STANCES,
    TOP_LEVEL_KEYS,
    TRUST_FIELDS,
    FieldType,
    file_fields,
    ref_kind,
)
from painref.text import normalize
from painref.yamlio import Loc

SLUG = re.compile(SLUG_PATTERN)
ICD10_CM = re.compile(ICD10_CM_PATTERN)


class Spec(Protocol):
    """What checking a value needs to know of its field: an entry field, a guide or checklist one."""

    @property
    def name(self) -> str: ...
    @property
    def type(self) -> FieldType: ...
    @property
    def choices(self) -> Mapping[str, str]: ...
    @property
    def minimum(self) -> int | None: ...
    @property
    def maximum(self) -> int | None: ...


@dataclass(frozen=True, slots=True)
class _ItemSpec:
    """One item of a list field, checked like a field of its own."""

    name: str
    type: FieldType
    choices: Mapping[str, str]
    minimum: int | None = None
    maximum: int | None = None


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem, located in its file once `locate` has run."""

    file: str
    loc: Loc
    message: str
    severity: Severity = Severity.ERROR
    line: int = 1
    col: int = 1

    def __str__(self) -> str:
        prefix = "warning: " if self.severity is Severity.WARNING else ""
        return f"{self.file}:{self.line}:{self.col}: {prefix}{self.message}"


@dataclass(slots=True)
class Draft:
    """An entry being merged from one or more files, remembering where each key came from."""

    kind: Kind
    data: dict[str, Any]
    file: str
    loc: Loc
    origins: dict[str, tuple[str, Loc]] = field(default_factory=dict)

    def where(self, key: str) -> tuple[str, Loc]:
        return self.origins.get(key, (self.file, self.loc))


def _describe(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, int | float):
        return "a number"
    return "text"


def _is_text(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _check_records(
    value: object,
    file: str,
    loc: Loc,
    keys: tuple[str, ...],
    what: str,
    flags: tuple[str, ...] = (),
) -> list[Issue]:
    """Check a list of mappings that need every one of `keys` as text and may give `flags` as true/false."""
    if not isinstance(value, list):
        return [Issue(file, loc, f"'{loc[-1]}' must be a list of {what}, not {_describe(value)}")]
    issues: list[Issue] = []
    for index, item in enumerate(value):
        here = (*loc, index)
        if not isinstance(item, dict):
            issues.append(Issue(file, here, f"each item of '{loc[-1]}' must be a mapping with {', '.join(keys)}"))
            continue
        for key in keys:
            if not _is_text(item.get(key)):
                issues.append(Issue(file, here, f"'{loc[-1]}' item needs '{key}' as non-empty text"))
        for key in item:
            if key in flags:
                if not isinstance(item[key], bool):
                    message = f"'{key}' must be true or false, not {_describe(item[key])}"
                    issues.append(Issue(file, (*here, key), message))
            elif key not in keys:
                expected = ", ".join((*keys, *flags))
                issues.append(Issue(file, (*here, key), f"unknown key '{key}' in '{loc[-1]}' (expected {expected})"))
    return issues


def check_value(spec: Spec, value: object, file: str, loc: Loc) -> list[Issue]:
    """Problems with one key's value, judged by its field alone."""
    name = spec.name
    kind = spec.type
    if kind in (FieldType.TEXT, FieldType.REF, FieldType.SLUG, FieldType.CHOICE, FieldType.DATE):
        if not _is_text(value):
            return [Issue(file, loc, f"'{name}' must be non-empty text, not {_describe(value)}")]
        assert isinstance(value, str)
        if kind in (FieldType.SLUG, FieldType.REF) and not SLUG.fullmatch(value):
            return [
                Issue(file, loc, f"'{name}' must be a lowercase slug like 'radiofrequency-ablation', not '{value}'")
            ]
        if kind is FieldType.CHOICE and value not in spec.choices:
            return [Issue(file, loc, f"'{name}' must be one of {', '.join(spec.choices)}, not '{value}'")]
        if kind is FieldType.DATE:
            try:
                date.fromisoformat(value)
            except ValueError:
                return [Issue(file, loc, f"'{name}' must be a date as YYYY-MM-DD, not '{value}'")]
        return []
    if kind is FieldType.INTEGER:
        if isinstance(value, bool) or not isinstance(value, int):
            return [Issue(file, loc, f"'{name}' must be a whole number, not {_describe(value)}")]
        low, high = spec.minimum, spec.maximum
        if (low is not None and value < low) or (high is not None and value > high):
            return [Issue(file, loc, f"'{name}' must be between {low} and {high}, not {value}")]
        return []
    if kind in (FieldType.TEXTS, FieldType.CHOICES, FieldType.REFS):
        if not isinstance(value, list):
            return [Issue(file, loc, f"'{name}' must be a list, not {_describe(value)}")]
        if _all_fine(kind, value, spec.choices):
            return []
        issues: list[Issue] = []
        for index, item in enumerate(value):
            item_spec = _ItemSpec(
                name,
                {FieldType.TEXTS: FieldType.TEXT, FieldType.CHOICES: FieldType.CHOICE}.get(kind, FieldType.REF),
                choices=spec.choices,
            )
            issues += check_value(item_spec, item, file, (*loc, index))
        return issues
    if kind is FieldType.SOURCES:
        issues = _check_records(value, file, loc, ("title", "url"), "sources")
        if not issues and not value:
            issues.append(Issue(file, loc, "'sources' needs at least one source"))
        for index, item in enumerate(value if isinstance(value, list) else []):
            url = item.get("url") if isinstance(item, dict) else None
            if isinstance(url, str) and not url.startswith("https://"):
                issues.append(Issue(file, (*loc, index, "url"), f"source URL must start with https://, not '{url}'"))
        return issues
    if kind is FieldType.VARIANTS:
        return _check_records(value, file, loc, ("name", "description"), "variants")
    if kind is FieldType.QUESTIONS:
        return _check_records(value, file, loc, ("id", "question", "why"), "questions")
    if kind is FieldType.CODES:
        issues = _check_records(value, file, loc, ("code", "description"), "codes", flags=("category",))
        for index, item in enumerate(value if isinstance(value, list) else []):
            code = item.get("code") if isinstance(item, dict) else None
            if isinstance(code, str) and not ICD10_CM.fullmatch(code):
                issues.append(
                    Issue(file, (*loc, index, "code"), f"'{code}' is not shaped like an ICD-10-CM code (e.g. M54.16)")
                )
        return issues
    if kind is FieldType.GUIDELINES:
        return _check_guidelines(value, file, loc)
    if kind is FieldType.OUTCOME:
        return _check_outcome(value, file, loc)
    if kind is FieldType.OUTCOMES:
        if not isinstance(value, list):
            return [Issue(file, loc, f"'{name}' must be a list of outcomes, not {_describe(value)}")]
        return [issue for index, item in enumerate(value) for issue in _check_outcome(item, file, (*loc, index))]
    raise AssertionError(f"unhandled field type {kind}")  # pragma: no cover - every FieldType is handled above


def _all_fine(kind: FieldType, items: list[Any], choices: Mapping[str, str]) -> bool:
    """Whether every item of a list of text, choices or references passes at once (the usual
    case, checked without building a spec per item); when not, each item is checked to say why."""
    if kind is FieldType.TEXTS:
        return all(type(item) is str and item.strip() for item in items)
    if kind is FieldType.CHOICES:
        return all(type(item) is str and item.strip() and item in choices for item in items)
    return all(type(item) is str and item.strip() and SLUG.fullmatch(item) for item in items)


def _check_guidelines(value: object, file: str, loc: Loc) -> list[Issue]:
    """Guideline stances: who said it, when, where, and what they say of the option."""
    if not isinstance(value, list):
        return [Issue(file, loc, f"'guidelines' must be a list, not {_describe(value)}")]
    issues: list[Issue] = []
    for index, item in enumerate(value):
        here = (*loc, index)
        if not isinstance(item, dict):
            issues.append(Issue(file, here, "each guideline must be a mapping with body, year, title, url and stance"))
            continue
        issues += [
            Issue(file, (*here, key), f"unknown key '{key}' in a guideline")
            for key in item
            if key not in GUIDELINE_KEYS
        ]
        for key in ("body", "title"):
            if not _is_text(item.get(key)):
                issues.append(Issue(file, here, f"a guideline needs '{key}' as non-empty text"))
        year = item.get("year")
        if isinstance(year, bool) or not isinstance(year, int) or not 1900 <= year <= 2100:
            issues.append(
                Issue(file, (*here, "year"), f"a guideline's 'year' must be a year such as 2016, not {_describe(year)}")
            )
        url = item.get("url")
        if not isinstance(url, str) or not url.startswith("https://"):
            issues.append(Issue(file, (*here, "url"), "a guideline's 'url' must start with https://"))
        if item.get("stance") not in STANCES:
            issues.append(Issue(file, (*here, "stance"), f"a guideline's 'stance' must be one of {', '.join(STANCES)}"))
        if "population" in item and not _is_text(item["population"]):
            issues.append(Issue(file, (*here, "population"), "a guideline's 'population' must be text"))
    return issues


def _check_outcome(value: object, file: str, loc: Loc) -> list[Issue]:
    """A natural frequency (so many in `per`, with and without the option, over a time frame, from a
    source that says so) or `not_quantified` with the reason; either way with its certainty."""
    if not isinstance(value, dict):
        return [Issue(file, loc, f"an outcome must be a mapping, not {_describe(value)}")]
    issues = [
        Issue(file, (*loc, key), f"unknown key '{key}' in an outcome") for key in value if key not in OUTCOME_KEYS
    ]
    if value.get("certainty") not in CERTAINTY:
        issues.append(
            Issue(file, (*loc, "certainty"), f"an outcome's 'certainty' must be one of {', '.join(CERTAINTY)}")
        )
    if "source" in value:
        issues += _check_records([value["source"]], file, (*loc, "source"), ("title", "url"), "sources")
    if "not_quantified" in value:
        if not _is_text(value["not_quantified"]):
            issues.append(Issue(file, (*loc, "not_quantified"), "'not_quantified' must say why, as text"))
        numbers = [key for key in ("per", "with_option", "without_option") if key in value]
        if numbers:
            issues.append(
                Issue(file, loc, f"an outcome is either quantified or 'not_quantified', not both ({numbers[0]})")
            )
        return issues
    for key in ("outcome", "timeframe", "quote"):
        if not _is_text(value.get(key)):
            issues.append(Issue(file, loc, f"a quantified outcome needs '{key}' as text (or give 'not_quantified')"))
    if "source" not in value:
        issues.append(Issue(file, loc, "a quantified outcome needs the 'source' its numbers come from"))
    per = value.get("per")
    if per not in (100, 1000, 10000) or isinstance(per, bool):
        issues.append(Issue(file, (*loc, "per"), "'per' must be 100, 1000 or 10000 (one denominator)"))
        return issues
    for key in ("with_option", "without_option"):
        number = value.get(key)
        if key == "without_option" and number is None:
            continue
        if isinstance(number, bool) or not isinstance(number, int | float) or not 0 <= number <= per:
            issues.append(
                Issue(file, (*loc, key), f"'{key}' must be a number from 0 to {per}, not {_describe(number)}")
            )
    if "without_option" in value and not _is_text(value.get("comparator")):
        issues.append(
            Issue(file, loc, "an outcome with 'without_option' needs the 'comparator' it was measured against")
        )
    return issues


def _check_mapping(
    item: Mapping[str, Any],
    specs: Sequence[Spec],
    file: str,
    loc: Loc,
    what: str,
) -> list[Issue]:
    """Type-check the keys a mapping gives; unknown keys are problems, missing ones are not."""
    known = _BY_NAME.get(id(specs))
    if known is None or known[0] is not specs:  # the same few tables, for every item of a file
        known = _BY_NAME[id(specs)] = (specs, {spec.name: spec for spec in specs})
    by_name = known[1]
    issues: list[Issue] = []
    for key, value in item.items():
        extends = isinstance(key, str) and key.endswith(EXTEND)
        spec = by_name.get(key.removesuffix(EXTEND) if extends else key) if isinstance(key, str) else None
        if spec is None:
            issues.append(Issue(file, (*loc, str(key)), f"unknown key '{key}' in {what}"))
            continue
        if extends and spec.type not in LIST_TYPES:
            issues.append(Issue(file, (*loc, key), f"'{key}' extends a list, but '{spec.name}' is not a list"))
            continue
        issues += check_value(spec, value, file, (*loc, key))
    return issues


# Field tables by name, keyed by the table's identity (kept alive beside it).
_BY_NAME: dict[int, tuple[Sequence[Spec], dict[str, Spec]]] = {}


def check_document(doc: object, file: str, limit: int | None = None) -> list[Issue]:
    """Problems visible in one file on its own: shapes, types, unknown keys, repeated ids.

    With a `limit`, checking stops soon after that many problems (an item at a time), so a small
    file of many broken items costs neither minutes nor memory.
    """
    if doc is None:
        return [Issue(file, (), "the file is empty; expected keys such as procedures, conditions, treatments")]
    if not isinstance(doc, dict):
        return [Issue(file, (), f"a catalogue file must be a mapping of sections, not {_describe(doc)}")]
    issues: list[Issue] = []
    for key, value in doc.items():
        if key not in TOP_LEVEL_KEYS:
            issues.append(Issue(file, (str(key),), f"unknown section '{key}' (expected {', '.join(TOP_LEVEL_KEYS)})"))
        elif key == "version":
            if not isinstance(value, str | int | float) or isinstance(value, bool):
                issues.append(Issue(file, (key,), "'version' must be text"))
        elif key == "synonyms":
            issues += _check_synonyms(value, file)
        elif key == "trust":
            if not isinstance(value, dict):
                issues.append(Issue(file, (key,), f"'trust' must be a mapping, not {_describe(value)}"))
            else:
                issues += _check_mapping(value, TRUST_FIELDS, file, (key,), "the trust statement")
        elif key == "indications":
            issues += _check_indications(value, file)
        elif key == "checklist":
            if not isinstance(value, dict):
                issues.append(Issue(file, (key,), f"'checklist' must be a mapping, not {_describe(value)}"))
            else:
                issues += _check_mapping(value, CHECKLIST_FIELDS, file, (key,), "the checklist")
        else:
            specs: Sequence[Spec] = GUIDE_FIELDS if key == "guide" else file_fields(SECTION_KINDS[key])
            what = "a guide section" if key == "guide" else f"a {SECTION_KINDS[key].value}"
            issues += _check_section(value, specs, file, key, what, limit)
        if limit is not None and len(issues) > limit:
            break
    return issues


def _check_indications(value: object, file: str) -> list[Issue]:
    """Indication records: shapes, and each condition × option pair once per file."""
    if value is None:
        return []
    if not isinstance(value, list):
        return [Issue(file, ("indications",), f"'indications' must be a list of records, not {_describe(value)}")]
    issues: list[Issue] = []
    seen: dict[tuple[str, str], int] = {}
    for index, item in enumerate(value):
        loc: Loc = ("indications", index)
        issues += check_indication(item, file, index)
        if not isinstance(item, dict):
            continue
        pair = (item.get("condition"), item.get("option"))
        if all(isinstance(part, str) for part in pair):
            key = (str(pair[0]), str(pair[1]))
            if key in seen:
                message = f"indication {key[0]} × {key[1]} is given twice (also item {seen[key] + 1})"
                issues.append(Issue(file, (*loc, "option"), message))
            seen.setdefault(key, index)
    return issues


def check_indication(item: object, file: str, index: int) -> list[Issue]:
    """Problems of one indication record on its own (item `index` of a file's 'indications')."""
    loc: Loc = ("indications", index)
    if not isinstance(item, dict):
        return [Issue(file, loc, f"each indication must be a mapping, not {_describe(item)}")]
    return _check_mapping(item, INDICATION_FIELDS, file, loc, "an indication")


def check_indications(indications: Mapping[tuple[str, str], Draft], drafts: Mapping[str, Draft]) -> list[Issue]:
    """Problems of merged indication records: missing keys, ids of the wrong kind, and an option a
    cited guideline advises against placed where patients read "usually tried first"."""
    issues: list[Issue] = []
    required = [spec.name for spec in INDICATION_FIELDS if spec.required]
    for (condition, option), draft in indications.items():
        what = f"indication {condition} × {option}"
        issues += missing_keys(draft.data, required, draft.file, draft.loc, what)
        for spec in INDICATION_FIELDS:
            if spec.type is not FieldType.REF:
                continue
            ref = draft.data.get(spec.name)
            target = drafts.get(ref) if isinstance(ref, str) else None
            kinds = " or ".join(kind.value for kind in Kind if kind in spec.targets)
            if target is None or target.kind not in spec.targets:
                found = f"a {target.kind.value}, not a {kinds}" if target else f"not a {kinds} in the catalogue"
                issues.append(
                    Issue(draft.file, (*draft.loc, spec.name), f"'{spec.name}' names '{ref}', which is {found}")
                )
        stances = [g.get("stance") for g in draft.data.get("guidelines") or () if isinstance(g, dict)]
        if draft.data.get("line") in ("self-care", "first-line") and any(s in AGAINST for s in stances):
            message = f"{what} is '{draft.data['line']}' although a cited guideline advises against it"
            issues.append(Issue(draft.file, (*draft.loc, "line"), message))
    return issues


def _check_synonyms(value: object, file: str) -> list[Issue]:
    """`synonyms` maps a lay phrase to the catalogue's words for it: text to text."""
    if value is None:
        return []
    if not isinstance(value, dict):
        return [Issue(file, ("synonyms",), f"'synonyms' must map phrases to their meaning, not {_describe(value)}")]
    issues: list[Issue] = []
    for phrase, meaning in value.items():
        loc: Loc = ("synonyms", str(phrase))
        if not _is_text(phrase) or not any(ch.isalnum() for ch in str(phrase)):
            issues.append(Issue(file, loc, f"a synonym must be a phrase of words, not {_describe(phrase)}"))
        elif not _is_text(meaning):
            issues.append(Issue(file, loc, f"synonym '{phrase}' must mean some text, not {_describe(meaning)}"))
    return issues


def _check_section(
    value: object, specs: Sequence[Spec], file: str, key: str, what: str, limit: int | None = None
) -> list[Issue]:
    if value is None:
        return []
    if not isinstance(value, list):
        return [Issue(file, (key,), f"'{key}' must be a list of entries, not {_describe(value)}")]
    issues: list[Issue] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(value):
        if limit is not None and len(issues) > limit:
            break
        loc: Loc = (key, index)
        issues += check_item(item, specs, file, loc, what)
        if not isinstance(item, dict):
            continue
        entry_id = item.get("id")
        if isinstance(entry_id, str):
            if entry_id in seen:
                issues.append(
                    Issue(file, (*loc, "id"), f"duplicate id '{entry_id}' (also item {seen[entry_id] + 1} of '{key}')")
                )
            seen.setdefault(entry_id, index)
    return issues


def check_item(item: object, specs: Sequence[Spec], file: str, loc: Loc, what: str) -> list[Issue]:
    """Problems of one item of a section (an entry or a guide topic) on its own, at `loc`."""
    if not isinstance(item, dict):
        return [Issue(file, loc, f"each item of '{loc[0]}' must be a mapping, not {_describe(item)}")]
    issues = [Issue(file, loc, f"{what} needs an 'id'")] if "id" not in item else []
    return issues + _check_mapping(item, specs, file, loc, what)


def missing_keys(data: Mapping[str, Any], required: Iterable[str], file: str, loc: Loc, what: str) -> list[Issue]:
    """Required keys that a complete entry (after merging) still lacks, as one problem."""
    missing = [f"'{name}'" for name in required if name not in data]
    if not missing:
        return []
    keys = "key " + missing[0] if len(missing) == 1 else f"{len(missing)} keys: " + ", ".join(missing)
    return [Issue(file, loc, f"{what} is missing {keys}")]


def check_drafts(drafts: Mapping[str, Draft], known: Mapping[str, Draft] | None = None) -> list[Issue]:
    """Problems of the merged catalogue: missing keys and references to nothing.

    References are looked up in `known` (all of `drafts` by default): a streaming build checks a
    few drafts at a time against every entry's kind and family alone.
    """
    known = drafts if known is None else known
    issues: list[Issue] = []
    for draft in drafts.values():
        fields = file_fields(draft.kind)
        what = f"{draft.kind.value} '{draft.data['id']}'"
        required = [f.name for f in fields if draft.kind in f.required]
        issues += missing_keys(draft.data, required, draft.file, draft.loc, what)
        for spec in fields:
            if spec.type not in (FieldType.REF, FieldType.REFS) or spec.name not in draft.data:
                continue
            target_kind = ref_kind(spec, draft.kind)
            value = draft.data[spec.name]
            refs = value if isinstance(value, list) else [value]
            file, loc = draft.where(spec.name)
            for index, ref in enumerate(refs):
                target = known.get(ref) if isinstance(ref, str) else None
                here = (*loc, spec.name, index) if isinstance(value, list) else (*loc, spec.name)
                if target is None:
                    message = f"'{spec.name}' names '{ref}', which is not a {target_kind.value} in the catalogue"
                    issues.append(Issue(file, here, message))
                elif target.kind is not target_kind:
                    message = f"'{spec.name}' names '{ref}', which is a {target.kind.value}, not a {target_kind.value}"
                    issues.append(Issue(file, here, message))
                elif spec.backlink == "members" and ref == draft.data["id"]:
                    issues.append(Issue(file, here, f"'{ref}' cannot be its own family"))
                elif spec.backlink == "members" and target.data.get("family"):
                    issues.append(
                        Issue(file, here, f"family '{ref}' belongs to a family itself; families are one level deep")
                    )
    return issues


def stale_warnings(drafts: Mapping[str, Draft], today: date, after_days: int) -> list[Issue]:
    """Entries whose facts were last checked more than `after_days` ago: a nudge to re-check them."""
    issues: list[Issue] = []
    for draft in drafts.values():
        checked = draft.data.get("last_checked")
        try:
            when = date.fromisoformat(checked) if isinstance(checked, str) else None
        except ValueError:
            when = None  # a malformed date is an error reported elsewhere
        if when is not None and (today - when).days > after_days:
            file, loc = draft.where("last_checked")
            age = (today - when).days
            message = (
                f"{draft.kind.value} '{draft.data['id']}' was last checked on {checked}, {age} days ago;"
                f" re-check its facts against its sources (warning after {after_days} days)"
            )
            issues.append(Issue(file, (*loc, "last_checked"), message, Severity.WARNING))
    return issues


def alias_warnings(drafts: Mapping[str, Draft]) -> list[Issue]:
    """Aliases that two entries share, or that shadow another entry's id or name."""
    owners: dict[str, list[str]] = {}
    primary: dict[str, str] = {}
    for entry_id, draft in drafts.items():
        primary[normalize(entry_id)] = entry_id
        primary[normalize(str(draft.data.get("name", "")))] = entry_id
        for alias in draft.data.get("aliases") or ():
            if isinstance(alias, str):
                owners.setdefault(normalize(alias), []).append(entry_id)
    issues: list[Issue] = []
    for entry_id, draft in drafts.items():
        file, loc = draft.where("aliases")
        for index, alias in enumerate(draft.data.get("aliases") or ()):
            if not isinstance(alias, str):
                continue
            key = normalize(alias)
            others = sorted(set(owners.get(key, ())) - {entry_id})
            owner = primary.get(key)
            if owner is not None and owner != entry_id:
                message = (
                    f"alias '{alias}' of '{entry_id}' is the id or name of '{owner}' and will never reach this entry"
                )
            elif others:
                message = f"alias '{alias}' of '{entry_id}' is shared with {', '.join(others)}; the name is ambiguous"
            else:
                continue
            issues.append(Issue(file, (*loc, "aliases", index), message, Severity.WARNING))
    return issues


def readability_warnings(drafts: Mapping[str, Draft], skip: frozenset[str] = frozenset()) -> list[Issue]:
    """Patient-facing text (fields the table marks `patient`) that reads above US grade 10.

    Text from the files in `skip` (the built-in catalogue, held to the target by its own tests)
    is not measured again.
    """
    issues: list[Issue] = []
    for draft in drafts.values():
        for spec in file_fields(draft.kind):
            value = draft.data.get(spec.name)
            file, loc = draft.where(spec.name)
            if not spec.patient or file in skip or not value:
                continue
            text = joined(value) if isinstance(value, list) else str(value)
            level = grade(text)
            if measurable(text) and level > LIMIT_GRADE:
                message = (
                    f"'{spec.name}' of '{draft.data['id']}' reads at about US grade {level:g};"
                    f" patient text should read at grade {TARGET_GRADE:g} or below (shorter sentences, plainer words)"
                )
                issues.append(Issue(file, (*loc, spec.name), message, Severity.WARNING))
    return issues
