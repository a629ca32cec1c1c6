"""The JSON and CSV shapes of entries, read from the field table: what scripts receive."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from painref.model import Entry, Kind
from painref.schema import GUIDE_FIELDS, LIST_TYPES, RECORD_KEYS, FieldType, fields_of

# CSV joins the items of a list in one cell with this.
CSV_ITEM_SEPARATOR = "; "


def _empty(field_type: FieldType) -> Any:
    """What a record holds for a field an entry does not give."""
    if field_type in LIST_TYPES:
        return []
    if field_type in (FieldType.REF, FieldType.INTEGER):
        return None
    return ""


def _shaped(field_type: FieldType, value: Any) -> Any:
    """A value in its record shape: list-of-mapping items with every key, flags as true/false."""
    if value is None:
        return _empty(field_type)
    if field_type in RECORD_KEYS:
        keys, flags = RECORD_KEYS[field_type]
        return [{**{k: item.get(k) for k in keys}, **{f: bool(item.get(f, False)) for f in flags}} for item in value]
    return value


def record(entry: Entry) -> dict[str, Any]:
    """An entry as SPEC.md's JSON object: kind, then every field of its kind in table order."""
    data: dict[str, Any] = {"kind": entry.kind.value}
    for field in fields_of(entry.kind):
        if field.record:
            data[field.name] = _shaped(field.type, entry.get(field.name))
    # The language of the text values, and the fields left in English; keys never change with it.
    data["lang"] = entry.lang
    data["untranslated"] = list(entry.fallback)
    return data


def flat_value(field_type: FieldType, value: Any) -> str:
    """A field's value as one CSV cell: list items joined, sources and codes written out."""
    if value is None:
        return ""
    if field_type is FieldType.SOURCES:
        return CSV_ITEM_SEPARATOR.join(f"{s['title']} <{s['url']}>" for s in value)
    if field_type is FieldType.CODES:
        return CSV_ITEM_SEPARATOR.join(f"{c['code']} {c['description']}" for c in value)
    if field_type is FieldType.VARIANTS:
        return CSV_ITEM_SEPARATOR.join(f"{v['name']}: {v['description']}" for v in value)
    if field_type is FieldType.QUESTIONS:
        return CSV_ITEM_SEPARATOR.join(f"{q['id']}: {q['question']}" for q in value)
    if isinstance(value, list | tuple):
        return CSV_ITEM_SEPARATOR.join(map(str, value))
    return str(value)


def flat_record(entry: Entry, extra: Mapping[str, Any] | None = None) -> dict[str, str]:
    """An entry as one CSV row: the `extra` columns (rank, score, ...) first, then its record."""
    row = {key: "" if value is None else str(value) for key, value in (extra or {}).items()}
    row["kind"] = entry.kind.value
    for field in fields_of(entry.kind):
        if field.record:
            row[field.name] = flat_value(field.type, entry.get(field.name))
    # As in JSON: the language of the text, and the columns left in English (clinician detail).
    row["lang"] = entry.lang
    row["untranslated"] = CSV_ITEM_SEPARATOR.join(entry.fallback)
    return row


def csv_records(entries: Sequence[Entry], extra: Sequence[Mapping[str, Any]] = ()) -> tuple[dict[str, str], ...]:
    """CSV rows for entries, each with its `extra` columns when given."""
    return tuple(flat_record(entry, extra[i] if extra else None) for i, entry in enumerate(entries))


def csv_columns(entries: Iterable[Entry], leading: Sequence[str] = ()) -> tuple[str, ...]:
    """A stable column order: the leading columns, kind, then each present kind's fields in table order."""
    columns: dict[str, None] = dict.fromkeys((*leading, "kind"))
    kinds = {entry.kind for entry in entries}
    for kind in Kind:
        if kind in kinds:
            columns.update(dict.fromkeys(field.name for field in fields_of(kind) if field.record))
    return (*columns, "lang", "untranslated")


def guide_record(data: Mapping[str, Any]) -> dict[str, str]:
    """A guide topic as one CSV row, by the guide's field types."""
    return {spec.name: flat_value(spec.type, data.get(spec.name)) for spec in GUIDE_FIELDS}
