"""Every problem in a catalogue as an Issue(file, loc, message); checks data, never reads or prints."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any, Protocol

from painref.model import Kind
from painref.schema import (
    CHECKLIST_FIELDS,
    EXTEND,
    GUIDE_FIELDS,
    ICD10_CM_PATTERN,
    LIST_TYPES,
    SECTION_KINDS,
    SLUG_PATTERN,
    TOP_LEVEL_KEYS,
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
    raise AssertionError(f"unhandled field type {kind}")  # pragma: no cover - every FieldType is handled above


def _check_mapping(
    item: Mapping[str, Any],
    specs: Sequence[Spec],
    file: str,
    loc: Loc,
    what: str,
) -> list[Issue]:
    """Type-check the keys a mapping gives; unknown keys are problems, missing ones are not."""
    by_name = {spec.name: spec for spec in specs}
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
        if not isinstance(item, dict):
            issues.append(Issue(file, loc, f"each item of '{key}' must be a mapping, not {_describe(item)}"))
            continue
        if "id" not in item:
            issues.append(Issue(file, loc, f"{what} needs an 'id'"))
        issues += _check_mapping(item, specs, file, loc, what)
        entry_id = item.get("id")
        if isinstance(entry_id, str):
            if entry_id in seen:
                issues.append(
                    Issue(file, (*loc, "id"), f"duplicate id '{entry_id}' (also item {seen[entry_id] + 1} of '{key}')")
                )
            seen.setdefault(entry_id, index)
    return issues


def missing_keys(data: Mapping[str, Any], required: Iterable[str], file: str, loc: Loc, what: str) -> list[Issue]:
    """Required keys that a complete entry (after merging) still lacks, as one problem."""
    missing = [f"'{name}'" for name in required if name not in data]
    if not missing:
        return []
    keys = "key " + missing[0] if len(missing) == 1 else f"{len(missing)} keys: " + ", ".join(missing)
    return [Issue(file, loc, f"{what} is missing {keys}")]


def check_drafts(drafts: Mapping[str, Draft]) -> list[Issue]:
    """Problems of the merged catalogue: missing keys and references to nothing."""
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
                target = drafts.get(ref) if isinstance(ref, str) else None
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
