"""Merge catalogue documents in precedence order and derive the reverse links the field table declares."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from painref.i18n import _
from painref.model import Kind
from painref.schema import (
    CHECKLIST_FIELDS,
    EXTEND,
    FIELDS,
    GUIDE_FIELDS,
    SECTION_KINDS,
    advised_against,
    fields_of,
)
from painref.validate import Draft, Issue, missing_keys


class Merged(NamedTuple):
    """Every entry, guide topic and the checklist after merging, each remembering where it came from."""

    drafts: dict[str, Draft]
    guide: dict[str, Draft]
    checklist: Draft | None
    synonyms: dict[str, str]
    issues: list[Issue]
    # Indication records by (condition, option); the trust statement of the last file giving one.
    indications: dict[tuple[str, str], Draft]
    trust: dict[str, Any] | None


def merge(documents: Sequence[tuple[str, Mapping[str, Any]]]) -> Merged:
    """Merge documents in order: a known id takes the keys an overlay gives, a new id adds an entry."""
    drafts: dict[str, Draft] = {}
    guide: dict[str, Draft] = {}
    checklist: Draft | None = None
    synonyms: dict[str, str] = {}
    issues: list[Issue] = []
    indications: dict[tuple[str, str], Draft] = {}
    trust: dict[str, Any] | None = None
    for file, document in documents:
        for index, item in enumerate(document.get("indications") or ()):
            pair = (str(item.get("condition")), str(item.get("option")))
            known = indications.get(pair)
            if known is None:
                indications[pair] = Draft(Kind.CONDITION, dict(item), file, ("indications", index))
            else:  # a later file refines the record: its keys replace the earlier ones
                known.data.update(item)
                known.origins.update(dict.fromkeys(item, (file, ("indications", index))))
        if isinstance(document.get("trust"), dict):
            trust = dict(document["trust"])
        for section, kind in SECTION_KINDS.items():
            for index, item in enumerate(document.get(section) or ()):
                loc = (section, index)
                existing = drafts.get(item["id"])
                if existing is None:
                    drafts[item["id"]] = Draft(kind, extended({}, item), file, loc)
                elif existing.kind is not kind:
                    message = _("id '{id}' is already a {kind}; ids are unique across kinds").format(
                        id=item["id"], kind=_(existing.kind.value)
                    )
                    issues.append(Issue(file, (*loc, "id"), message))
                else:
                    existing.data = extended(existing.data, item)
                    existing.origins.update({key.removesuffix(EXTEND): (file, loc) for key in item})
        for index, item in enumerate(document.get("guide") or ()):
            known = guide.get(item["id"])
            if known is None:
                guide[item["id"]] = Draft(Kind.CONDITION, dict(item), file, ("guide", index))
            else:
                known.data.update(item)
        if isinstance(document.get("checklist"), dict):
            if checklist is None:
                checklist = Draft(Kind.CONDITION, dict(document["checklist"]), file, ("checklist",))
            else:
                checklist.data.update(document["checklist"])
        # Later files add synonyms or give a phrase a new meaning.
        if isinstance(found := document.get("synonyms"), dict):
            synonyms.update({str(k): v for k, v in found.items()})
    for draft in guide.values():
        required = [spec.name for spec in GUIDE_FIELDS if spec.required]
        what = _("guide section '{id}'").format(id=draft.data["id"])
        issues += missing_keys(draft.data, required, draft.file, draft.loc, what)
    if checklist is not None:
        required = [spec.name for spec in CHECKLIST_FIELDS if spec.required]
        issues += missing_keys(checklist.data, required, checklist.file, checklist.loc, _("the checklist"))
    return Merged(drafts, guide, checklist, synonyms, issues, indications, trust)


def extended(data: Mapping[str, Any], patch: Mapping[str, Any]) -> dict[str, Any]:
    """`data` with a patch applied: plain keys replace, then `key+` keys append the items not already there."""
    merged = dict(data)
    if not any(key.endswith(EXTEND) for key in patch):  # most patches only give keys
        merged.update(patch)
        return merged
    merged.update((key, value) for key, value in patch.items() if not key.endswith(EXTEND))
    for key, value in patch.items():
        if key.endswith(EXTEND):
            base = key.removesuffix(EXTEND)
            current = merged.get(base)
            if isinstance(current, list) and isinstance(value, list):
                merged[base] = current + [item for item in value if item not in current]
            else:  # nothing to extend yet, or a shape validation reports: take the value as given
                merged[base] = value
    return merged


def linked(
    entries: Sequence[tuple[Kind, Mapping[str, Any]]], indications: Sequence[Mapping[str, Any]]
) -> list[tuple[Kind, dict[str, Any]]]:
    """Entries whose `conditions` also name every condition an indication record uses them for,
    and whose `advised_against` names the conditions for which every cited guideline says no."""
    links = Links()
    for record in indications:
        links.add_record(record)
    return [(kind, links.linked(data)) for kind, data in entries]


def with_backlinks(entries: Sequence[tuple[Kind, Mapping[str, Any]]]) -> list[tuple[Kind, dict[str, Any]]]:
    """Each entry's data with the derived fields filled in from the links that name it (see Links)."""
    links = Links()
    for kind, data in entries:
        links.add_entry(kind, data)
    return [(kind, links.backlinked(kind, data)) for kind, data in entries]


class Links:
    """What entries learn from others, gathered first and applied one entry at a time, so a
    catalogue of any size can be completed while only these small lists of ids are held.

    From indication records (`add_record`, then `linked`): an option's `conditions` also name
    every condition a record uses it for, and its `advised_against` the conditions for which
    every cited guideline says no.

    From the entries (`add_entry`, then `backlinked`): a field declaring `backlink` ("members" for
    `family`, "*" for `conditions`) gives every entry it names a reverse list: a family its
    members, a condition the procedures and treatments used for it (named by the linking entry's
    kind). Every derived field an entry's kind has is present, empty when nothing links to it.
    """

    _LINKING = tuple(field for field in FIELDS if field.backlink)

    def __init__(self) -> None:
        self.uses: dict[str, list[str]] = {}
        self.against: dict[str, list[str]] = {}
        self.reverse: dict[str, dict[str, list[str]]] = {}

    def add_record(self, record: Mapping[str, Any]) -> None:
        option, condition = str(record["option"]), str(record["condition"])
        self.uses.setdefault(option, []).append(condition)
        if advised_against(record.get("guidelines") or ()):
            self.against.setdefault(option, []).append(condition)

    def linked(self, data: Mapping[str, Any]) -> dict[str, Any]:
        found = self.uses.get(data["id"])
        if found:
            written = list(data.get("conditions") or ())
            data = {**data, "conditions": written + [c for c in dict.fromkeys(found) if c not in written]}
        if data["id"] in self.against:
            data = {**data, "advised_against": self.against[data["id"]]}
        return dict(data)

    def add_entry(self, kind: Kind, data: Mapping[str, Any]) -> None:
        for field in self._LINKING:
            value = data.get(field.name)
            targets = value if isinstance(value, list) else [value] if value else []
            into = kind.plural if field.backlink == "*" else field.backlink
            for target in targets:
                self.reverse.setdefault(target, {}).setdefault(into, []).append(data["id"])

    def backlinked(self, kind: Kind, data: Mapping[str, Any]) -> dict[str, Any]:
        found = self.reverse.get(data["id"], {})
        derived = {
            field.name: found.get(field.name) or list(data.get(field.name) or ())
            for field in fields_of(kind)
            if field.derived
        }
        return {**data, **derived}
