"""Every problem in a catalogue as an Issue(file, loc, message); checks data, never reads or prints."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any, NamedTuple, Protocol

from painref.i18n import N_, OWN_WORDS, RECORD_PARTS, _, english_hash, ngettext, record_part
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
# A kind as a problem names an entry of it ("a procedure needs an 'id'").
_A_KIND = {Kind.PROCEDURE: N_("a procedure"), Kind.CONDITION: N_("a condition"), Kind.TREATMENT: N_("a treatment")}
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
        if self.severity is Severity.WARNING:
            return _("{file}:{line}:{col}: warning: {message}").format(
                file=self.file, line=self.line, col=self.col, message=self.message
            )
        return f"{self.file}:{self.line}:{self.col}: {self.message}"


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
        return _("nothing")
    if isinstance(value, bool):
        return _("true/false")
    if isinstance(value, dict):
        return _("a mapping")
    if isinstance(value, list):
        return _("a list")
    if isinstance(value, int | float):
        return _("a number")
    return _("text")


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
        return [
            Issue(
                file,
                loc,
                _("'{field}' must be a list of {what}, not {found}").format(
                    field=loc[-1], what=_(what), found=_describe(value)
                ),
            )
        ]
    issues: list[Issue] = []
    for index, item in enumerate(value):
        here = (*loc, index)
        if not isinstance(item, dict):
            issues.append(
                Issue(
                    file,
                    here,
                    _("each item of '{field}' must be a mapping with {keys}").format(
                        field=loc[-1], keys=", ".join(keys)
                    ),
                )
            )
            continue
        for key in keys:
            if not _is_text(item.get(key)):
                issues.append(
                    Issue(
                        file, here, _("'{field}' item needs '{key}' as non-empty text").format(field=loc[-1], key=key)
                    )
                )
        for key in item:
            if key in flags:
                if not isinstance(item[key], bool):
                    message = _("'{key}' must be true or false, not {found}").format(
                        key=key, found=_describe(item[key])
                    )
                    issues.append(Issue(file, (*here, key), message))
            elif key not in keys:
                expected = ", ".join((*keys, *flags))
                issues.append(
                    Issue(
                        file,
                        (*here, key),
                        _("unknown key '{key}' in '{field}' (expected {expected})").format(
                            key=key, field=loc[-1], expected=expected
                        ),
                    )
                )
    return issues


def check_value(spec: Spec, value: object, file: str, loc: Loc) -> list[Issue]:
    """Problems with one key's value, judged by its field alone."""
    name = spec.name
    kind = spec.type
    if kind in (FieldType.TEXT, FieldType.REF, FieldType.SLUG, FieldType.CHOICE, FieldType.DATE):
        if not _is_text(value):
            return [
                Issue(
                    file,
                    loc,
                    _("'{name}' must be non-empty text, not {found}").format(name=name, found=_describe(value)),
                )
            ]
        assert isinstance(value, str)
        if kind in (FieldType.SLUG, FieldType.REF) and not SLUG.fullmatch(value):
            return [
                Issue(
                    file,
                    loc,
                    _("'{name}' must be a lowercase slug like 'radiofrequency-ablation', not '{value}'").format(
                        name=name, value=value
                    ),
                )
            ]
        if kind is FieldType.CHOICE and value not in spec.choices:
            return [
                Issue(
                    file,
                    loc,
                    _("'{name}' must be one of {choices}, not '{value}'").format(
                        name=name, choices=", ".join(spec.choices), value=value
                    ),
                )
            ]
        if kind is FieldType.DATE:
            try:
                date.fromisoformat(value)
            except ValueError:
                return [
                    Issue(
                        file,
                        loc,
                        _("'{name}' must be a date as YYYY-MM-DD, not '{value}'").format(name=name, value=value),
                    )
                ]
        return []
    if kind is FieldType.INTEGER:
        if isinstance(value, bool) or not isinstance(value, int):
            return [
                Issue(
                    file,
                    loc,
                    _("'{name}' must be a whole number, not {found}").format(name=name, found=_describe(value)),
                )
            ]
        low, high = spec.minimum, spec.maximum
        if (low is not None and value < low) or (high is not None and value > high):
            return [
                Issue(
                    file,
                    loc,
                    _("'{name}' must be between {low} and {high}, not {value}").format(
                        name=name, low=low, high=high, value=value
                    ),
                )
            ]
        return []
    if kind in (FieldType.TEXTS, FieldType.CHOICES, FieldType.REFS):
        if not isinstance(value, list):
            return [
                Issue(file, loc, _("'{name}' must be a list, not {found}").format(name=name, found=_describe(value)))
            ]
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
        issues = _check_records(value, file, loc, ("title", "url"), N_("sources"))
        if not issues and not value:
            issues.append(Issue(file, loc, _("'sources' needs at least one source")))
        for index, item in enumerate(value if isinstance(value, list) else []):
            url = item.get("url") if isinstance(item, dict) else None
            if isinstance(url, str) and not url.startswith("https://"):
                issues.append(
                    Issue(
                        file,
                        (*loc, index, "url"),
                        _("source URL must start with https://, not '{url}'").format(url=url),
                    )
                )
        return issues
    if kind is FieldType.VARIANTS:
        return _check_records(value, file, loc, ("name", "description"), N_("variants"))
    if kind is FieldType.QUESTIONS:
        return _check_records(value, file, loc, ("id", "question", "why"), N_("questions"))
    if kind is FieldType.CODES:
        issues = _check_records(value, file, loc, ("code", "description"), N_("codes"), flags=("category",))
        for index, item in enumerate(value if isinstance(value, list) else []):
            code = item.get("code") if isinstance(item, dict) else None
            if isinstance(code, str) and not ICD10_CM.fullmatch(code):
                issues.append(
                    Issue(
                        file,
                        (*loc, index, "code"),
                        _("'{code}' is not shaped like an ICD-10-CM code (e.g. M54.16)").format(code=code),
                    )
                )
        return issues
    if kind is FieldType.GUIDELINES:
        return _check_guidelines(value, file, loc)
    if kind is FieldType.OUTCOME:
        return _check_outcome(value, file, loc)
    if kind is FieldType.OUTCOMES:
        if not isinstance(value, list):
            return [
                Issue(
                    file,
                    loc,
                    _("'{name}' must be a list of outcomes, not {found}").format(name=name, found=_describe(value)),
                )
            ]
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
        return [Issue(file, loc, _("'guidelines' must be a list, not {found}").format(found=_describe(value)))]
    issues: list[Issue] = []
    for index, item in enumerate(value):
        here = (*loc, index)
        if not isinstance(item, dict):
            issues.append(
                Issue(file, here, _("each guideline must be a mapping with body, year, title, url and stance"))
            )
            continue
        issues += [
            Issue(file, (*here, key), _("unknown key '{key}' in a guideline").format(key=key))
            for key in item
            if key not in GUIDELINE_KEYS
        ]
        for key in ("body", "title"):
            if not _is_text(item.get(key)):
                issues.append(Issue(file, here, _("a guideline needs '{key}' as non-empty text").format(key=key)))
        year = item.get("year")
        if isinstance(year, bool) or not isinstance(year, int) or not 1900 <= year <= 2100:
            issues.append(
                Issue(
                    file,
                    (*here, "year"),
                    _("a guideline's 'year' must be a year such as 2016, not {found}").format(found=_describe(year)),
                )
            )
        url = item.get("url")
        if not isinstance(url, str) or not url.startswith("https://"):
            issues.append(Issue(file, (*here, "url"), _("a guideline's 'url' must start with https://")))
        if item.get("stance") not in STANCES:
            issues.append(
                Issue(
                    file,
                    (*here, "stance"),
                    _("a guideline's 'stance' must be one of {choices}").format(choices=", ".join(STANCES)),
                )
            )
        if "population" in item and not _is_text(item["population"]):
            issues.append(Issue(file, (*here, "population"), _("a guideline's 'population' must be text")))
    return issues


def _check_outcome(value: object, file: str, loc: Loc) -> list[Issue]:
    """A natural frequency (so many in `per`, with and without the option, over a time frame, from a
    source that says so) or `not_quantified` with the reason; either way with its certainty."""
    if not isinstance(value, dict):
        return [Issue(file, loc, _("an outcome must be a mapping, not {found}").format(found=_describe(value)))]
    issues = [
        Issue(file, (*loc, key), _("unknown key '{key}' in an outcome").format(key=key))
        for key in value
        if key not in OUTCOME_KEYS
    ]
    if value.get("certainty") not in CERTAINTY:
        issues.append(
            Issue(
                file,
                (*loc, "certainty"),
                _("an outcome's 'certainty' must be one of {choices}").format(choices=", ".join(CERTAINTY)),
            )
        )
    if "source" in value:
        issues += _check_records([value["source"]], file, (*loc, "source"), ("title", "url"), N_("sources"))
    if "not_quantified" in value:
        if not _is_text(value["not_quantified"]):
            issues.append(Issue(file, (*loc, "not_quantified"), _("'not_quantified' must say why, as text")))
        numbers = [key for key in ("per", "with_option", "without_option") if key in value]
        if numbers:
            issues.append(
                Issue(
                    file,
                    loc,
                    _("an outcome is either quantified or 'not_quantified', not both ({number})").format(
                        number=numbers[0]
                    ),
                )
            )
        return issues
    for key in ("outcome", "timeframe", "quote"):
        if not _is_text(value.get(key)):
            issues.append(
                Issue(
                    file,
                    loc,
                    _("a quantified outcome needs '{key}' as text (or give 'not_quantified')").format(key=key),
                )
            )
    if "source" not in value:
        issues.append(Issue(file, loc, _("a quantified outcome needs the 'source' its numbers come from")))
    per = value.get("per")
    if per not in (100, 1000, 10000) or isinstance(per, bool):
        issues.append(Issue(file, (*loc, "per"), _("'per' must be 100, 1000 or 10000 (one denominator)")))
        return issues
    for key in ("with_option", "without_option"):
        number = value.get(key)
        if key == "without_option" and number is None:
            continue
        if isinstance(number, bool) or not isinstance(number, int | float) or not 0 <= number <= per:
            issues.append(
                Issue(
                    file,
                    (*loc, key),
                    _("'{key}' must be a number from 0 to {per}, not {found}").format(
                        key=key, per=per, found=_describe(number)
                    ),
                )
            )
    if "without_option" in value and not _is_text(value.get("comparator")):
        issues.append(
            Issue(file, loc, _("an outcome with 'without_option' needs the 'comparator' it was measured against"))
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
            issues.append(
                Issue(file, (*loc, str(key)), _("unknown key '{key}' in {what}").format(key=key, what=_(what)))
            )
            continue
        if extends and spec.type not in LIST_TYPES:
            issues.append(
                Issue(
                    file,
                    (*loc, key),
                    _("'{key}' extends a list, but '{field}' is not a list").format(key=key, field=spec.name),
                )
            )
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
        return [Issue(file, (), _("the file is empty; expected keys such as procedures, conditions, treatments"))]
    if not isinstance(doc, dict):
        return [
            Issue(
                file, (), _("a catalogue file must be a mapping of sections, not {found}").format(found=_describe(doc))
            )
        ]
    issues: list[Issue] = []
    for key, value in doc.items():
        if key not in TOP_LEVEL_KEYS:
            issues.append(
                Issue(
                    file,
                    (str(key),),
                    _("unknown section '{key}' (expected {sections})").format(
                        key=key, sections=", ".join(TOP_LEVEL_KEYS)
                    ),
                )
            )
        elif key == "version":
            if not isinstance(value, str | int | float) or isinstance(value, bool):
                issues.append(Issue(file, (key,), _("'version' must be text")))
        elif key == "synonyms":
            issues += _check_synonyms(value, file)
        elif key == "trust":
            if not isinstance(value, dict):
                issues.append(
                    Issue(file, (key,), _("'trust' must be a mapping, not {found}").format(found=_describe(value)))
                )
            else:
                issues += _check_mapping(value, TRUST_FIELDS, file, (key,), N_("the trust statement"))
        elif key == "indications":
            issues += _check_indications(value, file)
        elif key == "checklist":
            if not isinstance(value, dict):
                issues.append(
                    Issue(file, (key,), _("'checklist' must be a mapping, not {found}").format(found=_describe(value)))
                )
            else:
                issues += _check_mapping(value, CHECKLIST_FIELDS, file, (key,), N_("the checklist"))
        else:
            specs: Sequence[Spec] = GUIDE_FIELDS if key == "guide" else file_fields(SECTION_KINDS[key])
            what = N_("a guide section") if key == "guide" else _A_KIND[SECTION_KINDS[key]]
            issues += _check_section(value, specs, file, key, what, limit)
        if limit is not None and len(issues) > limit:
            break
    return issues


def _check_indications(value: object, file: str) -> list[Issue]:
    """Indication records: shapes, and each condition × option pair once per file."""
    if value is None:
        return []
    if not isinstance(value, list):
        return [
            Issue(
                file,
                ("indications",),
                _("'indications' must be a list of records, not {found}").format(found=_describe(value)),
            )
        ]
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
                message = _("indication {condition} × {option} is given twice (also item {item})").format(
                    condition=key[0], option=key[1], item=seen[key] + 1
                )
                issues.append(Issue(file, (*loc, "option"), message))
            seen.setdefault(key, index)
    return issues


def check_indication(item: object, file: str, index: int) -> list[Issue]:
    """Problems of one indication record on its own (item `index` of a file's 'indications')."""
    loc: Loc = ("indications", index)
    if not isinstance(item, dict):
        return [Issue(file, loc, _("each indication must be a mapping, not {found}").format(found=_describe(item)))]
    return _check_mapping(item, INDICATION_FIELDS, file, loc, N_("an indication"))


def check_indications(indications: Mapping[tuple[str, str], Draft], drafts: Mapping[str, Draft]) -> list[Issue]:
    """Problems of merged indication records: missing keys, ids of the wrong kind, and an option a
    cited guideline advises against placed where patients read "usually tried first"."""
    issues: list[Issue] = []
    required = [spec.name for spec in INDICATION_FIELDS if spec.required]
    for (condition, option), draft in indications.items():
        what = _("indication {condition} × {option}").format(condition=condition, option=option)
        issues += missing_keys(draft.data, required, draft.file, draft.loc, what)
        for spec in INDICATION_FIELDS:
            if spec.type is not FieldType.REF:
                continue
            ref = draft.data.get(spec.name)
            target = drafts.get(ref) if isinstance(ref, str) else None
            kinds = _(" or ").join(_(kind.value) for kind in Kind if kind in spec.targets)
            if target is None or target.kind not in spec.targets:
                message = (
                    _("'{field}' names '{ref}', which is a {found_kind}, not a {kinds}").format(
                        field=spec.name, ref=ref, found_kind=_(target.kind.value), kinds=kinds
                    )
                    if target
                    else _("'{field}' names '{ref}', which is not a {kinds} in the catalogue").format(
                        field=spec.name, ref=ref, kinds=kinds
                    )
                )
                issues.append(Issue(draft.file, (*draft.loc, spec.name), message))
        stances = [g.get("stance") for g in draft.data.get("guidelines") or () if isinstance(g, dict)]
        if draft.data.get("line") in ("self-care", "first-line") and any(s in AGAINST for s in stances):
            message = _("{what} is '{line}' although a cited guideline advises against it").format(
                what=what, line=draft.data["line"]
            )
            issues.append(Issue(draft.file, (*draft.loc, "line"), message))
    return issues


def _check_synonyms(value: object, file: str) -> list[Issue]:
    """`synonyms` maps a lay phrase to the catalogue's words for it: text to text."""
    if value is None:
        return []
    if not isinstance(value, dict):
        return [
            Issue(
                file,
                ("synonyms",),
                _("'synonyms' must map phrases to their meaning, not {found}").format(found=_describe(value)),
            )
        ]
    issues: list[Issue] = []
    for phrase, meaning in value.items():
        loc: Loc = ("synonyms", str(phrase))
        if not _is_text(phrase) or not any(ch.isalnum() for ch in str(phrase)):
            issues.append(
                Issue(file, loc, _("a synonym must be a phrase of words, not {found}").format(found=_describe(phrase)))
            )
        elif not _is_text(meaning):
            issues.append(
                Issue(
                    file,
                    loc,
                    _("synonym '{phrase}' must mean some text, not {found}").format(
                        phrase=phrase, found=_describe(meaning)
                    ),
                )
            )
    return issues


def _check_section(
    value: object, specs: Sequence[Spec], file: str, key: str, what: str, limit: int | None = None
) -> list[Issue]:
    if value is None:
        return []
    if not isinstance(value, list):
        return [
            Issue(
                file,
                (key,),
                _("'{key}' must be a list of entries, not {found}").format(key=key, found=_describe(value)),
            )
        ]
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
                    Issue(
                        file,
                        (*loc, "id"),
                        _("duplicate id '{entry_id}' (also item {item} of '{key}')").format(
                            entry_id=entry_id, item=seen[entry_id] + 1, key=key
                        ),
                    )
                )
            seen.setdefault(entry_id, index)
    return issues


def check_item(item: object, specs: Sequence[Spec], file: str, loc: Loc, what: str) -> list[Issue]:
    """Problems of one item of a section (an entry or a guide topic) on its own, at `loc`."""
    if not isinstance(item, dict):
        return [
            Issue(
                file,
                loc,
                _("each item of '{key}' must be a mapping, not {found}").format(key=loc[0], found=_describe(item)),
            )
        ]
    issues = [Issue(file, loc, _("{what} needs an 'id'").format(what=_(what)))] if "id" not in item else []
    return issues + _check_mapping(item, specs, file, loc, what)


def missing_keys(data: Mapping[str, Any], required: Iterable[str], file: str, loc: Loc, what: str) -> list[Issue]:
    """Required keys that a complete entry (after merging) still lacks, as one problem."""
    missing = [f"'{name}'" for name in required if name not in data]
    if not missing:
        return []
    message = ngettext("{what} is missing key {keys}", "{what} is missing {count} keys: {keys}", len(missing))
    return [Issue(file, loc, message.format(what=what, count=len(missing), keys=", ".join(missing)))]


def check_drafts(drafts: Mapping[str, Draft], known: Mapping[str, Draft] | None = None) -> list[Issue]:
    """Problems of the merged catalogue: missing keys and references to nothing.

    References are looked up in `known` (all of `drafts` by default): a streaming build checks a
    few drafts at a time against every entry's kind and family alone.
    """
    known = drafts if known is None else known
    issues: list[Issue] = []
    for draft in drafts.values():
        fields = file_fields(draft.kind)
        what = _("{kind} '{id}'").format(kind=_(draft.kind.value), id=draft.data["id"])
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
                    message = _("'{field}' names '{ref}', which is not a {kind} in the catalogue").format(
                        field=spec.name, ref=ref, kind=_(target_kind.value)
                    )
                    issues.append(Issue(file, here, message))
                elif target.kind is not target_kind:
                    message = _("'{field}' names '{ref}', which is a {found_kind}, not a {kind}").format(
                        field=spec.name, ref=ref, found_kind=_(target.kind.value), kind=_(target_kind.value)
                    )
                    issues.append(Issue(file, here, message))
                elif spec.backlink == "members" and ref == draft.data["id"]:
                    issues.append(Issue(file, here, _("'{ref}' cannot be its own family").format(ref=ref)))
                elif spec.backlink == "members" and target.data.get("family"):
                    issues.append(
                        Issue(
                            file,
                            here,
                            _("family '{ref}' belongs to a family itself; families are one level deep").format(ref=ref),
                        )
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
            message = _(
                "{kind} '{id}' was last checked on {checked}, {age} days ago;"
                " re-check its facts against its sources (warning after {after_days} days)"
            ).format(kind=_(draft.kind.value), id=draft.data["id"], checked=checked, age=age, after_days=after_days)
            issues.append(Issue(file, (*loc, "last_checked"), message, Severity.WARNING))
    return issues


def _some(ids: Sequence[str], shown: int = 5) -> str:
    """Ids as a message lists them: the first few, and how many more (2,000 entries sharing an
    alias made each of their warnings list all the others)."""
    listed = ", ".join(ids[:shown])
    return listed if len(ids) <= shown else f"{listed}, ... (+{len(ids) - shown})"


def alias_warnings(drafts: Mapping[str, Draft]) -> list[Issue]:
    """Aliases that two entries share, or that shadow another entry's id or name."""
    # Each key's owners once, however often one entry repeats the alias (a list grew with every
    # repeat, and was walked once for each: 40,000 repeats of one alias took 23 s).
    owners: dict[str, set[str]] = {}
    primary: dict[str, str] = {}
    for entry_id, draft in drafts.items():
        primary[normalize(entry_id)] = entry_id
        primary[normalize(str(draft.data.get("name", "")))] = entry_id
        for alias in draft.data.get("aliases") or ():
            if isinstance(alias, str):
                owners.setdefault(normalize(alias), set()).add(entry_id)
    issues: list[Issue] = []
    for entry_id, draft in drafts.items():
        file, loc = draft.where("aliases")
        for index, alias in enumerate(draft.data.get("aliases") or ()):
            if not isinstance(alias, str):
                continue
            key = normalize(alias)
            others = sorted(owners.get(key, set()) - {entry_id})
            owner = primary.get(key)
            if owner is not None and owner != entry_id:
                message = _(
                    "alias '{alias}' of '{entry_id}' is the id or name of '{owner}' and will never reach this entry"
                ).format(alias=alias, entry_id=entry_id, owner=owner)
            elif others:
                message = _("alias '{alias}' of '{entry_id}' is shared with {others}; the name is ambiguous").format(
                    alias=alias, entry_id=entry_id, others=_some(others)
                )
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
                message = _(
                    "'{field}' of '{id}' reads at about US grade {level:g}; patient text should read at grade"
                    " {target:g} or below (shorter sentences, plainer words)"
                ).format(field=spec.name, id=draft.data["id"], level=level, target=TARGET_GRADE)
                issues.append(Issue(file, (*loc, spec.name), message, Severity.WARNING))
    return issues


# --- translation files ----------------------------------------------------------------------------

# What a translation file gives, section by section: the texts of a guide topic, the checklist,
# its questions and the trust statement (entries give their translatable fields, records RECORD_PARTS).
_GUIDE_TEXTS = ("title", "summary", "body", "points")
_CHECKLIST_TEXTS = ("intro", "result_yes", "result_no")
_QUESTION_TEXTS = ("question", "why")
_TRUST_TEXTS = ("authors", "review", "funding", "conflicts")
_TRANSLATION_KEYS = ("language", "name", "entries", "indications", "guide", "checklist", "trust")


class English(NamedTuple):
    """The merged English a translation file is checked against."""

    entries: Mapping[str, Mapping[str, Any]]
    records: Mapping[str, Mapping[str, Any]]  # by "condition/option"
    guide: Mapping[str, Mapping[str, Any]]
    checklist: Mapping[str, Any] | None
    trust: Mapping[str, Any] | None


def check_translation(
    document: object, file: str, english: English, earlier: set[tuple[Any, ...]] | None = None
) -> list[Issue]:
    """A language's file checked like an overlay: unknown sections, ids and fields and misshapen
    items are errors; stale texts (their English changed since they were translated) and texts
    still missing are warnings, since painref shows the English, marked, in their place.

    `earlier` holds the texts earlier files of the same language give, current or stale (this
    file's are added): a clinic's file that rewords a few texts is not told the rest are missing.
    Without it, missing texts are not counted at all."""
    from painref.schema import ENGLISH_ONLY, translatable_fields

    if not isinstance(document, Mapping) or not isinstance(document.get("language"), str):
        return [Issue(file, (), _("a translation file needs a 'language' code such as es"))]
    lang = document["language"]
    issues = [
        Issue(file, (key,), _("'{key}' is not a part of a translation file").format(key=key))
        for key in document
        if key not in _TRANSLATION_KEYS
    ]
    done: set[tuple[Any, ...]] = set()

    def items(section: str, given: object, known: Mapping[str, Any], what: str) -> Iterable[tuple[str, Any, Any]]:
        """(key, translation, English) of each known key a section gives; unknown keys are errors."""
        if given is None:
            return
        if not isinstance(given, Mapping):
            issues.append(Issue(file, (section,), _("'{section}' must map ids to texts").format(section=section)))
            return
        for key, value in given.items():
            if str(key) not in known:
                issues.append(Issue(file, (section, key), _(what).format(key=key)))
            else:
                yield str(key), value, known[str(key)]

    def texts(loc: Loc, given: object, english_of: Mapping[str, Any], allowed: Sequence[str]) -> None:
        """Check one item's fields against its English: shape, staleness, and what is missing."""
        wanted = [name for name in allowed if _has_text(english_of.get(name))]
        if not isinstance(given, Mapping):
            issues.append(Issue(file, loc, _("must map field names to texts")))
            return
        for name, item in given.items():
            if name not in allowed:
                issues.append(
                    Issue(file, (*loc, name), _("'{field}' is not a text a translation gives").format(field=name))
                )
            elif not isinstance(item, Mapping) or item.get(lang) in (None, "", []):
                issues.append(
                    Issue(
                        file, (*loc, name), _("'{field}' needs its text under '{lang}'").format(field=name, lang=lang)
                    )
                )
            elif name in wanted and (name in OWN_WORDS or item.get("en_hash") == english_hash(english_of[name])):
                done.add((*loc, name))
            elif name in wanted:
                done.add((*loc, name))  # said here, so not counted again among the missing
                issues.append(
                    Issue(
                        file,
                        (*loc, name),
                        _("'{field}' is stale: its English changed after it was translated").format(field=name),
                        Severity.WARNING,
                    )
                )

    fields = [name for name in translatable_fields() if name not in ENGLISH_ONLY]
    for key, given, data in items(
        "entries", document.get("entries"), english.entries, N_("no entry has the id '{key}'")
    ):
        texts(("entries", key), given, data, fields)
    records = {key: {part: record_part(data, part) for part in RECORD_PARTS} for key, data in english.records.items()}
    for key, given, parts in items(
        "indications", document.get("indications"), records, N_("no indication record is '{key}'")
    ):
        texts(("indications", key), given, parts, RECORD_PARTS)
    for key, given, data in items(
        "guide", document.get("guide"), english.guide, N_("no guide topic has the id '{key}'")
    ):
        texts(("guide", key), given, data, _GUIDE_TEXTS)
    checklist = document.get("checklist")
    if english.checklist is not None and checklist is not None:
        asked = checklist.get("questions") if isinstance(checklist, Mapping) else None
        rest = {k: v for k, v in checklist.items() if k != "questions"} if isinstance(checklist, Mapping) else checklist
        texts(("checklist",), rest, english.checklist, _CHECKLIST_TEXTS)
        questions = {str(q.get("id")): q for q in english.checklist.get("questions") or () if isinstance(q, Mapping)}
        for key, given, data in items(
            "checklist", asked, questions, N_("the checklist has no question with the id '{key}'")
        ):
            texts(("checklist", "questions", key), given, data, _QUESTION_TEXTS)
    if english.trust is not None and document.get("trust") is not None:
        texts(("trust",), document["trust"], english.trust, _TRUST_TEXTS)
    total = sum(sum(1 for name in fields if _has_text(data.get(name))) for data in english.entries.values())
    total += sum(sum(1 for part in parts.values() if _has_text(part)) for parts in records.values())
    total += sum(sum(1 for name in _GUIDE_TEXTS if _has_text(data.get(name))) for data in english.guide.values())
    if english.checklist is not None:
        total += sum(1 for name in _CHECKLIST_TEXTS if _has_text(english.checklist.get(name)))
        for question in english.checklist.get("questions") or ():
            total += sum(1 for name in _QUESTION_TEXTS if _has_text(question.get(name)))
    if english.trust is not None:
        total += sum(1 for name in _TRUST_TEXTS if _has_text(english.trust.get(name)))
    if earlier is not None:
        earlier |= done
    if earlier is not None and len(earlier) < total:
        issues.append(
            Issue(
                file,
                ("language",),
                _("{missing} of {total} texts have no current translation in '{lang}' and are shown in English").format(
                    missing=total - len(earlier), total=total, lang=lang
                ),
                Severity.WARNING,
            )
        )
    return issues


def _has_text(value: object) -> bool:
    """Whether an English value has something to translate (not empty, nor a list of empty texts)."""
    if isinstance(value, list):
        return any(_has_text(item) for item in value)
    return value not in (None, "")
