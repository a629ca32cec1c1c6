"""The compiled catalogue: merged entries, their names and a full-text index in one SQLite file.

The YAML files stay the source of truth. The index is built from them once and kept in the cache
folder, keyed by every file's identity (device, inode, size, modification and change times), so a
warm run opens it and reads only the rows a command needs: `show` reads one entry whatever the
catalogue's size, and `search` asks SQLite's FTS5 for candidates instead of scanning every entry.
An index whose key differs from the files' is rebuilt before use, so it can never answer stale.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from painref import cache
from painref.i18n import ENGLISH, N_, TEXT, _, completeness, record_completeness, translate, translate_record
from painref.model import (
    Catalogue,
    Checklist,
    Entry,
    GuideSection,
    Indication,
    Kind,
    Trust,
    checklist_from,
    guide_from,
)
from painref.schema import ENGLISH_ONLY, FIELDS, LIST_FIELDS, REGIONS, FieldType, search_columns, translatable_fields
from painref.text import normalize, stem, words

# What the full-text index holds for each entry, one column per searched field (or group of
# fields), in table order; search weighs them.
COLUMN_WEIGHTS: tuple[tuple[str, float], ...] = search_columns()
TEXT_COLUMNS: tuple[str, ...] = tuple(column for column, _ in COLUMN_WEIGHTS)
# Separates the items of a list field inside one column (aliases, risks, ...).
ITEM_SEPARATOR = " | "
# The columns holding an entry's names, whose items search weighs one by one.
NAME_COLUMNS = ("id", "name", "aliases")

_SCHEMA = f"""
CREATE TABLE meta(name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE indications(condition TEXT NOT NULL, option TEXT NOT NULL, data TEXT NOT NULL);
CREATE TABLE translations(lang TEXT NOT NULL, key TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY (lang, key))
    WITHOUT ROWID;
CREATE INDEX indications_condition ON indications(condition);
CREATE INDEX indications_option ON indications(option);
CREATE TABLE entries(
    n INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, name TEXT NOT NULL,
    -- A list's fields (LIST_FIELDS) before the whole entry: a row's columns are read in order,
    -- so reading them does not walk the entry's overflow pages.
    listed TEXT NOT NULL, data TEXT NOT NULL
);
-- Covers a list's reads (each kind's listed column, in order): about 400 bytes a row packed
-- together, where the table's rows sit a few to a page between entries' data.
CREATE INDEX entries_kind ON entries(kind, n, listed);
CREATE TABLE names(key TEXT NOT NULL, n INTEGER NOT NULL, how INTEGER NOT NULL, text TEXT NOT NULL, kind TEXT NOT NULL);
CREATE INDEX names_key ON names(key, kind);
CREATE VIRTUAL TABLE name_grams USING fts5(key, n UNINDEXED, tokenize='trigram', detail='none');
CREATE TABLE words(word TEXT PRIMARY KEY, df INTEGER NOT NULL) WITHOUT ROWID;
CREATE VIRTUAL TABLE word_grams USING fts5(word, tokenize='trigram', detail='none');
CREATE TABLE stems(stem TEXT PRIMARY KEY, df INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE dictionary(word TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE columns(n INTEGER PRIMARY KEY, {", ".join(TEXT_COLUMNS)});
CREATE TABLE stemmed(n INTEGER PRIMARY KEY, data TEXT NOT NULL);
CREATE VIRTUAL TABLE text USING fts5(
    {", ".join(TEXT_COLUMNS)}, content='', tokenize='unicode61 remove_diacritics 2', prefix='3'
);
"""
# Written in every index's header (PRAGMA application_id): "PnRf". A file without it is not ours.
APPLICATION_ID = 0x506E5266
# Rows read and decoded together when entries are read in turn: few enough to hold at once.
_BATCH = 500
# How a name key belongs to its entry, in order of authority.
BY_ID, BY_NAME, BY_ALIAS = 0, 1, 2


class Index:
    """A read-only view of one compiled catalogue."""

    def __init__(self, connection: sqlite3.Connection, path: Path | None = None) -> None:
        self.db = connection
        # The cache file this index was read from (None in memory): discarded if found damaged.
        self.path = path

    # --- whole-catalogue facts -------------------------------------------------------------

    def meta(self, name: str) -> Any:
        row = self.db.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
        return json.loads(row[0]) if row else None

    def count(self) -> int:
        """How many entries the catalogue holds (recorded when the index was built)."""
        return int(self.meta("count") or 0)

    # --- entries -----------------------------------------------------------------------------

    def entry(self, entry_id: str) -> tuple[Kind, dict[str, Any]] | None:
        row = self.db.execute("SELECT kind, data FROM entries WHERE id = ?", (entry_id,)).fetchone()
        return (Kind(row[0]), json.loads(row[1])) if row else None

    def entries_by_id(self, ids: Sequence[str]) -> dict[str, tuple[Kind, dict[str, Any]]]:
        """Several entries in one query, by id."""
        marks = ",".join("?" * len(ids))
        rows = self.db.execute(f"SELECT id, kind, data FROM entries WHERE id IN ({marks})", ids)
        return {entry_id: (Kind(kind), json.loads(data)) for entry_id, kind, data in rows}

    def entries(
        self, kind: Kind | None = None, fields: Sequence[str] | None = None
    ) -> Iterator[tuple[Kind, dict[str, Any]]]:
        """Every entry in catalogue order, or only those of one kind; with `fields`, only those
        fields of each, a field an entry lacks as None. A list's fields (LIST_FIELDS) are read from
        their own small column; others SQLite picks out of each entry (decoding whole entries is
        most of a long list's time)."""
        data, picked = "data", None
        if fields is not None and set(fields) <= set(LIST_FIELDS):
            data, picked = "listed", [LIST_FIELDS.index(name) for name in fields]
        elif fields is not None:
            assert all(name.isidentifier() for name in fields)
            # Given two paths or more, json_extract parses the entry once and gives a JSON array
            # (the id at its end makes it two or more).
            data = "json_extract(data, " + ", ".join(f"'$.{name}'" for name in (*fields, "id")) + ")"
        if kind is None:
            rows = self.db.execute(f"SELECT kind, {data} FROM entries ORDER BY n")
        else:
            rows = self.db.execute(f"SELECT kind, {data} FROM entries WHERE kind = ? ORDER BY n", (kind.value,))
        kinds = {each.value: each for each in Kind}
        while batch := rows.fetchmany(_BATCH):
            # Decoded together, as one JSON array: one call for many short rows.
            decoded: Iterable[Any] = json.loads("[" + ",".join([found for _, found in batch]) + "]")
            if picked is not None and picked != list(range(len(picked))):
                decoded = [[values[i] for i in picked] for values in decoded]
            if fields is not None:  # each as a mapping of the fields asked for
                decoded = [dict(zip(fields, values, strict=False)) for values in decoded]
            yield from zip([kinds[kind_value] for kind_value, _ in batch], decoded, strict=True)

    def indications(self, column: str, entry_id: str) -> list[dict[str, Any]]:
        """Indication records of one condition or one option (`column` is "condition" or "option")."""
        assert column in ("condition", "option")
        rows = self.db.execute(f"SELECT data FROM indications WHERE {column} = ? ORDER BY rowid", (entry_id,))
        return [json.loads(row[0]) for row in rows]

    def translations(self, lang: str, keys: Sequence[str]) -> dict[str, dict[str, Any]]:
        """Translated fields for entry ids, indication keys ("condition/option"), "guide:ID" or "checklist"."""
        marks = ",".join("?" * len(keys))
        rows = self.db.execute(f"SELECT key, data FROM translations WHERE lang = ? AND key IN ({marks})", (lang, *keys))
        return {key: json.loads(data) for key, data in rows}

    def languages(self) -> list[str]:
        return [row[0] for row in self.db.execute("SELECT DISTINCT lang FROM translations ORDER BY lang")]

    def names_of(self, ids: Sequence[str]) -> dict[str, str]:
        """Display names for ids, read in one query."""
        marks = ",".join("?" * len(ids))
        rows = self.db.execute(f"SELECT id, name FROM entries WHERE id IN ({marks})", ids)
        return dict(rows.fetchall())

    # --- names: what `show`, `compare` and `condition` resolve --------------------------------

    def named(self, key: str, kind: Kind | None) -> list[tuple[int, str, str, str]]:
        """(how, id, name, kind) of entries with this exact name key, most authoritative first."""
        return self._names("key = ?", (key,), kind, limit=50)

    def prefixed(self, key: str, kind: Kind | None, limit: int = 50) -> list[tuple[int, str, str, str]]:
        """Entries with a name key that starts with `key`."""
        return self._names("key >= ? AND key < ?", (key, key + "\uffff"), kind, limit)

    def _names(
        self, where: str, args: tuple[str, ...], kind: Kind | None, limit: int
    ) -> list[tuple[int, str, str, str]]:
        # Pick the entries from the names index first, then read only those entries' names.
        sql = (
            "SELECT found.how, entries.id, entries.name, entries.kind FROM"
            f" (SELECT n, min(how) AS how FROM names WHERE {where}"
            + (" AND kind = ?" if kind else "")
            + " GROUP BY n ORDER BY how, n LIMIT ?) AS found"
            " JOIN entries ON entries.n = found.n ORDER BY found.how, found.n"
        )
        return self.db.execute(sql, (*args, *((kind.value,) if kind else ()), limit)).fetchall()

    def spellings(self, key: str, kind: Kind | None, limit: int = 500) -> list[tuple[str, str, int]]:
        """(spelling, entry name, how) of ids, names and aliases whose key starts with `key` (completion)."""
        sql = (
            "SELECT names.text, entries.name, names.how"
            " FROM names JOIN entries ON entries.n = names.n WHERE names.key >= ? AND names.key < ?"
            + (" AND names.kind = ?" if kind else "")
            + " ORDER BY names.key LIMIT ?"
        )
        return self.db.execute(sql, (key, key + "\uffff", *((kind.value,) if kind else ()), limit)).fetchall()

    def name_spellings(self, ids: Sequence[str]) -> dict[str, list[str]]:
        """Every name (id, name, aliases) of the given entries, as written."""
        marks = ",".join("?" * len(ids))
        found: dict[str, list[str]] = {}
        sql = (
            "SELECT entries.id, names.text FROM names JOIN entries ON entries.n = names.n"
            f" WHERE entries.id IN ({marks})"
        )
        for entry_id, key in self.db.execute(sql, ids):
            found.setdefault(entry_id, []).append(key)
        return found

    def similar_names(self, key: str, kind: Kind | None, limit: int = 60) -> list[str]:
        """Ids of entries whose name keys share the most three-letter pieces with `key` (typo candidates)."""
        grams = _trigrams(key)
        if not grams:
            return []
        sql = (
            "SELECT DISTINCT entries.id FROM name_grams JOIN entries ON entries.n = name_grams.n"
            " WHERE name_grams MATCH ?" + (" AND entries.kind = ?" if kind else "") + " ORDER BY rank LIMIT ?"
        )
        return [row[0] for row in self.db.execute(sql, (grams, *((kind.value,) if kind else ()), limit))]

    # --- words: what `search` looks through ----------------------------------------------------

    def word_frequency(self, prefix: str) -> int:
        """How many entries hold the most common word stem starting with `prefix` (a stem)."""
        row = self.db.execute(
            "SELECT max(df) FROM stems WHERE stem >= ? AND stem < ?", (prefix, prefix + "\uffff")
        ).fetchone()
        return int(row[0] or 0)

    def stem_frequency(self, word_stem: str) -> int:
        """How many entries hold this word stem."""
        row = self.db.execute("SELECT df FROM stems WHERE stem = ?", (word_stem,)).fetchone()
        return int(row[0]) if row else 0

    def has_stem(self, word_stem: str) -> bool:
        """Whether some word of the catalogue has this stem."""
        return self.db.execute("SELECT 1 FROM stems WHERE stem = ?", (word_stem,)).fetchone() is not None

    def in_dictionary(self, word: str) -> bool:
        """Whether `word` is in the shipped English or Spanish word lists (data/*-words.txt)."""
        return self.db.execute("SELECT 1 FROM dictionary WHERE word = ?", (word,)).fetchone() is not None

    def similar_words(self, word: str, limit: int = 40) -> list[str]:
        """Catalogue words sharing the most three-letter pieces with `word` (typo candidates)."""
        grams = _trigrams(word)
        if not grams:
            return []
        rows = self.db.execute(
            "SELECT word FROM word_grams WHERE word_grams MATCH ? ORDER BY rank LIMIT ?", (grams, limit)
        )
        return [row[0] for row in rows]

    def match(self, expression: str, kind: Kind | None, weights: Sequence[float], limit: int) -> list[int]:
        """Row numbers of entries matching an FTS5 expression (over stems), best BM25 first.

        Only row numbers are ranked: the columns are read afterwards for the few kept (`rows`).
        """
        rank = f"bm25(text, {', '.join(str(w) for w in weights)})"
        if kind is None:
            sql = f"SELECT rowid FROM text WHERE text MATCH ? ORDER BY {rank} LIMIT ?"
            return [row[0] for row in self.db.execute(sql, (expression, limit))]
        sql = (
            f"SELECT text.rowid FROM text JOIN entries ON entries.n = text.rowid"
            f" WHERE text MATCH ? AND entries.kind = ? ORDER BY {rank} LIMIT ?"
        )
        return [row[0] for row in self.db.execute(sql, (expression, kind.value, limit))]

    def rows(self, numbers: Sequence[int]) -> list[tuple[Any, ...]]:
        """Searchable columns of the given rows: (n, id, kind, *columns), in the order asked."""
        marks = ",".join("?" * len(numbers))
        sql = (
            f"SELECT columns.n, entries.id, entries.kind, {', '.join('columns.' + c for c in TEXT_COLUMNS)}"
            f" FROM columns JOIN entries ON entries.n = columns.n WHERE columns.n IN ({marks})"
        )
        found = {row[0]: row for row in self.db.execute(sql, numbers)}
        return [found[n] for n in numbers if n in found]

    def stemmed(self, numbers: Sequence[int]) -> list[Stemmed]:
        """What search ranks the given rows by, in the order asked: their words already stemmed (see
        `_stemmed`), so a query analyses no entry's text."""
        marks = ",".join("?" * len(numbers))
        sql = (
            "SELECT stemmed.n, entries.id, entries.kind, entries.name, stemmed.data"
            f" FROM stemmed JOIN entries ON entries.n = stemmed.n WHERE stemmed.n IN ({marks})"
        )
        found = {row[0]: row for row in self.db.execute(sql, numbers)}
        made = []
        for n in numbers:
            if n in found:
                _, entry_id, kind, name, data = found[n]
                columns, names, (english_only, translated_only) = json.loads(data)
                made.append(
                    Stemmed(
                        n,
                        entry_id,
                        kind,
                        name,
                        [dict(zip(stems.split(), spelled.split(), strict=True)) for stems, spelled in columns],
                        [[(spelled.split(), stems.split()) for spelled, stems in items] for items in names],
                        frozenset(english_only.split()),
                        frozenset(translated_only.split()),
                    )
                )
        return made

    def families(self, numbers: Sequence[int]) -> dict[int, str]:
        """The family id of each of the given rows that has one (from the list's own column)."""
        marks = ",".join("?" * len(numbers))
        at = LIST_FIELDS.index("family")
        rows = self.db.execute(f"SELECT n, listed FROM entries WHERE n IN ({marks})", numbers)
        return {n: family for n, listed in rows if (family := json.loads(listed)[at])}

    def numbers(self, ids: Sequence[str]) -> list[int]:
        """Row numbers of the given entry ids."""
        marks = ",".join("?" * len(ids))
        return [row[0] for row in self.db.execute(f"SELECT n FROM entries WHERE id IN ({marks})", ids)]


class Stemmed(NamedTuple):
    """One entry's searched words as search ranks them (`Index.stemmed`)."""

    n: int
    id: str
    kind: str
    name: str
    # Per text column, in table order: each distinct stem and the column's first word with it.
    columns: list[dict[str, str]]
    # Per name column (NAME_COLUMNS): each item's words and their stems, in order.
    names: list[list[tuple[list[str], list[str]]]]
    # Stems only its English text holds, and stems only its translations hold.
    english_only: frozenset[str] = frozenset()
    translated_only: frozenset[str] = frozenset()


class IndexCatalogue:
    """The merged catalogue read from its compiled index on demand (painref.model.Catalogue).

    `get` reads one entry, so `show` costs the same at 50 entries or 50,000; `entries` reads a
    kind in full, once, for the commands that need every entry (`list`, filters).
    """

    def __init__(self, store: Index, files: Sequence[str] = (), language: str = ENGLISH) -> None:
        self.store = store
        self.files = tuple(files)
        self.language = language
        self._by_id: dict[str, Entry | None] = {}
        self._kinds: dict[Kind, tuple[Entry, ...]] = {}

    def _entries(self, found: Sequence[tuple[Kind, dict[str, Any]]]) -> list[Entry]:
        """Entries in the catalogue's language: each translated field over its English, the rest marked."""
        if self.language == ENGLISH:
            return [Entry(kind, data) for kind, data in found]
        translations = self.store.translations(self.language, [data["id"] for _, data in found])
        fields = translatable_fields()
        made = []
        for kind, data in found:
            result = translate(data, fields, translations.get(data["id"], {}))
            made.append(Entry(kind, result.data, self.language, result.fallback))
        return made

    def completeness(self, language: str) -> tuple[int, int]:
        """How many of the translatable texts have a current translation in `language`: the entries'
        fields (but ENGLISH_ONLY's clinician detail, which stays English), the indication records'
        texts, the guide, the checklist and the trust statement."""
        if language == ENGLISH:
            return 1, 1
        found = list(self.store.entries())
        conditions = [data["id"] for _, data in self.store.entries(Kind.CONDITION)]
        records = [record for condition in conditions for record in self.store.indications("condition", condition)]
        keys = [data["id"] for _, data in found]
        keys += [f"{r['condition']}/{r['option']}" for r in records]
        guide = list(self.store.meta("guide") or ())
        keys += [f"guide:{section['id']}" for section in guide] + ["checklist", "trust"]
        translations = self.store.translations(language, keys)
        fields = [name for name in translatable_fields() if name not in ENGLISH_ONLY]
        parts = [
            completeness(((data["id"], data) for _, data in found), fields, translations),
            record_completeness(((f"{r['condition']}/{r['option']}", r) for r in records), translations),
            completeness(
                ((f"guide:{s['id']}", s) for s in guide), ("title", "summary", "body", "points"), translations
            ),
        ]
        checklist = self.store.meta("checklist")
        if checklist is not None:
            found_checklist = translations.get("checklist", {})
            parts.append(completeness([("checklist", checklist)], ("intro", "result_yes", "result_no"), translations))
            asked = found_checklist.get("questions") or {}
            parts.append(completeness(((q["id"], q) for q in checklist["questions"]), ("question", "why"), asked))
        trust = self.store.meta("trust")
        if trust is not None:
            parts.append(completeness([("trust", trust)], ("authors", "review", "funding", "conflicts"), translations))
        return sum(done for done, _ in parts), sum(total for _, total in parts)

    def languages(self) -> list[str]:
        """English and every language the catalogue has translations for."""
        return [ENGLISH, *(code for code in self.store.languages() if code != ENGLISH)]

    def _translated(self, key: str, data: dict[str, Any], fields: Sequence[str]) -> dict[str, Any]:
        if self.language == ENGLISH:
            return data
        return translate(data, fields, self.store.translations(self.language, [key]).get(key, {})).data

    @cached_property
    def version(self) -> str:
        return str(self.store.meta("version"))

    @cached_property
    def guide(self) -> tuple[GuideSection, ...]:
        fields = ("title", "summary", "body", "points")
        return tuple(
            guide_from(self._translated(f"guide:{data['id']}", data, fields)) for data in self.store.meta("guide") or ()
        )

    @cached_property
    def checklist(self) -> Checklist | None:
        data = self.store.meta("checklist")
        if data is None:
            return None
        if self.language != ENGLISH:
            found = self.store.translations(self.language, ["checklist"]).get("checklist", {})
            data = translate(data, ("intro", "result_yes", "result_no"), found).data
            asked = found.get("questions") or {}
            data["questions"] = [
                translate(q, ("question", "why"), asked.get(q["id"], {})).data for q in data["questions"]
            ]
        return checklist_from(data)

    @cached_property
    def synonyms(self) -> dict[str, str]:
        """Lay phrases and what they mean in the catalogue's words (for search)."""
        return dict(self.store.meta("synonyms") or {})

    @cached_property
    def trust(self) -> Trust | None:
        data = self.store.meta("trust")
        if data is None:
            return None
        data = self._translated("trust", data, ("authors", "review", "funding", "conflicts"))
        return Trust(**{key: str(data.get(key, "")) for key in Trust._fields})

    def indications(self, condition_id: str) -> list[Indication]:
        return self._records(self.store.indications("condition", condition_id))

    def _records(self, found: list[dict[str, Any]]) -> list[Indication]:
        if self.language == ENGLISH or not found:
            return [Indication(data) for data in found]
        keys = [f"{data['condition']}/{data['option']}" for data in found]
        translations = self.store.translations(self.language, keys)
        return [
            Indication(translate_record(data, translations.get(key, {}))) for key, data in zip(keys, found, strict=True)
        ]

    def _kind(self, kind: Kind) -> tuple[Entry, ...]:
        if kind not in self._kinds:
            built = []
            for entry in self._entries(list(self.store.entries(kind))):
                entry = self._by_id.get(entry.id) or entry
                self._by_id[entry.id] = entry
                built.append(entry)
            self._kinds[kind] = tuple(built)
        return self._kinds[kind]

    def entries(self, kind: Kind | None = None, fields: Sequence[str] | None = None) -> Iterator[Entry]:
        if fields is not None and self.language == ENGLISH:
            # Only the fields asked for, entry by entry: neither kept nor shared with `get`.
            for each in Kind:
                if kind in (None, each):
                    yield from (Entry(found, data) for found, data in self.store.entries(each, fields))
            return
        for each in Kind:
            if kind in (None, each):
                yield from self._kind(each)

    def get(self, entry_id: str) -> Entry | None:
        if entry_id not in self._by_id:
            found = self.store.entry(entry_id)
            self._by_id[entry_id] = self._entries([found])[0] if found else None
        return self._by_id[entry_id]

    def get_many(self, ids: Sequence[str]) -> list[Entry]:
        missing = [i for i in dict.fromkeys(ids) if i not in self._by_id]
        if missing:
            found = self.store.entries_by_id(missing)
            made = {entry.id: entry for entry in self._entries([found[i] for i in missing if i in found])}
            for entry_id in missing:
                self._by_id[entry_id] = made.get(entry_id)
        return [entry for i in ids if (entry := self._by_id.get(i)) is not None]

    def names(self, ids: Sequence[str]) -> tuple[str, ...]:
        if self.language != ENGLISH:  # names are translated: read the entries themselves
            found = {entry.id: entry.name for entry in self.get_many(ids)}
            return tuple(found.get(i, i) for i in ids)
        missing = [i for i in ids if self._by_id.get(i) is None]
        found = self.store.names_of(missing) if missing else {}
        return tuple(found[i] if i in found else entry.name if (entry := self._by_id.get(i)) else i for i in ids)


def _as_catalogue(catalogue: IndexCatalogue) -> Catalogue:
    return catalogue  # mypy checks here that IndexCatalogue satisfies the Catalogue protocol


def _trigrams(text: str) -> str:
    """An FTS5 query matching any three-letter piece of `text` (trigram tokenizer syntax)."""
    pieces = dict.fromkeys(text[i : i + 3] for i in range(len(text) - 2))
    return " OR ".join(f'"{piece}"' for piece in pieces if '"' not in piece)


# --- building ----------------------------------------------------------------------------------


def searchable(field_type: FieldType, value: Any, names: Mapping[str, str]) -> str:
    """A field's value as the words search reads, by its type."""
    if not value:
        return ""
    if field_type is FieldType.SLUG:
        return str(value).replace("-", " ")
    if field_type is FieldType.CHOICE:
        return str(value).replace("-", " ")
    if field_type is FieldType.CHOICES:
        return " ".join(value).replace("-", " ")
    if field_type is FieldType.REFS:
        return ITEM_SEPARATOR.join(names.get(ref, ref) for ref in value)
    if field_type is FieldType.REF:
        return names.get(value, value)
    if field_type is FieldType.CODES:
        return " ".join(f"{c['code']} {c['code'].replace('.', '')}" for c in value)
    if field_type is FieldType.VARIANTS:
        return ITEM_SEPARATOR.join(f"{v['name']}: {v['description']}" for v in value)
    if field_type is FieldType.SOURCES:
        return ITEM_SEPARATOR.join(s["title"] for s in value)
    if isinstance(value, list):
        return ITEM_SEPARATOR.join(map(str, value))
    return str(value)


def text_fields(data: Mapping[str, Any], names: Mapping[str, str]) -> dict[str, str]:
    """The searchable text of one merged entry, column by column."""
    fields = dict.fromkeys(TEXT_COLUMNS, "")
    for name, key, field_type in _weighted():
        if value := data.get(name):
            fields[key] = searchable(field_type, value, names)
    return fields


def _weighted() -> tuple[tuple[str, str, FieldType], ...]:
    """The searched fields (name, column, type), in table order: asked once per entry."""
    if _WEIGHTED[0] is not FIELDS:  # worked out again only if the table changes (a test adds a field)
        _WEIGHTED[:] = [FIELDS, tuple((f.name, f.key, f.type) for f in FIELDS if f.weight)]
    return _WEIGHTED[1]  # type: ignore[no-any-return]


_WEIGHTED: list[Any] = [None, ()]


def build(merged: Mapping[str, Any], key: Any, path: Path | None, fresh: Any = None) -> Index:
    """Compile merged catalogue data into an index: written durably to `path`, else in memory.

    `fresh` is stored beside the key: what the racy check needs (see painref.cache).
    """
    return build_with(lambda db: _fill(db, merged, key, fresh), path)


def build_with(fill: Callable[[sqlite3.Connection], None], path: Path | None) -> Index:
    """An index that `fill` writes (through a Writer) into a new database: written durably to
    `path`, else, or when the cache cannot be written, in memory."""
    if path is not None:
        try:
            with cache.replacing(path) as temporary:
                connection = sqlite3.connect(temporary, isolation_level=None)
                try:
                    fill(connection)
                finally:
                    connection.close()
            return Index(_connect(path), path)
        except (OSError, sqlite3.Error):
            pass  # a cache that cannot be written only costs speed
    connection = sqlite3.connect(":memory:", isolation_level=None)
    fill(connection)
    return Index(_read_only(connection))


def _foreign_names(entry_id: str, translations: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """An entry's name and aliases in every translated language."""
    found: list[str] = []
    for keyed in translations.values():
        fields = keyed.get(entry_id) or {}
        name = (fields.get("name") or {}).get(TEXT)
        aliases = (fields.get("aliases") or {}).get(TEXT) or []
        found += [text for text in (name, *aliases) if isinstance(text, str) and text.strip()]
    return found


# Searched in every language: a Spanish question finds an entry by its Spanish summary or symptoms.
_FOREIGN_SEARCHED = tuple(f for f in FIELDS if f.weight and f.translatable and f.name not in ("name", "aliases"))


# Links searched by the names of what they link to, in every language: "tramadol dolor lumbar"
# finds Tramadol by its conditions, which a Spanish reader knows by their Spanish names.
_LINKS = tuple(f for f in FIELDS if f.weight and f.type in (FieldType.REFS, FieldType.REF))


def _foreign_links(data: Mapping[str, Any], translations: Mapping[str, Mapping[str, Any]]) -> dict[str, str]:
    """The translated names of the entries an entry links to, column by column."""
    found: dict[str, list[str]] = {}
    for field in _LINKS:
        value = data.get(field.name)
        refs = [value] if isinstance(value, str) else value if isinstance(value, list) else []
        for keyed in translations.values():
            for ref in refs:
                name = ((keyed.get(ref) or {}).get("name") or {}).get(TEXT)
                if isinstance(name, str) and name.strip():
                    found.setdefault(field.key, []).append(name)
    return {column: ITEM_SEPARATOR.join(names) for column, names in found.items()}


def _foreign_regions(data: Mapping[str, Any], translations: Mapping[str, Mapping[str, Any]]) -> dict[str, str]:
    """The entry's body regions in every translated language that names them (the interface's own
    words for them): "espalda" finds what is done for the lower back, as "back" does."""
    regions = [REGIONS[slug] for slug in data.get("regions") or () if slug in REGIONS]
    if not regions:
        return {}
    found = [label for language in translations for label in map(_region_words(language), regions)]
    translated = [label for label in found if label not in regions]  # untranslated: the English again
    return {_REGIONS_COLUMN: ITEM_SEPARATOR.join(translated)} if translated else {}


def _region_words(language: str) -> Callable[[str], str]:
    """How the interface says a region in `language` (its gettext catalogue, read once)."""
    if language not in _REGION_WORDS:
        import gettext

        from painref.i18n import DOMAIN, LOCALE_DIR

        _REGION_WORDS[language] = gettext.translation(DOMAIN, LOCALE_DIR, languages=[language], fallback=True).gettext
    return _REGION_WORDS[language]


_REGION_WORDS: dict[str, Callable[[str], str]] = {}


@lru_cache(maxsize=4)
def region_words(languages: tuple[str, ...]) -> Mapping[str, frozenset[str]]:
    """The body regions each one-word label names, in English and in `languages` as the interface
    says them ("knee", "rodilla"; "glúteo" from "nalga (glúteo)"), folded as `words` folds them."""
    found: dict[str, set[str]] = {}
    for slug, label in REGIONS.items():
        for said in (label, *(_region_words(language)(label) for language in languages)):
            for part in re.split(r"[()]", said):
                if len(spelled := words(part)) == 1:
                    found.setdefault(spelled[0], set()).add(slug)
    return {word: frozenset(slugs) for word, slugs in found.items()}


_REGIONS_COLUMN = next(f.key for f in FIELDS if f.name == "regions")


def _foreign_text(entry_id: str, translations: Mapping[str, Mapping[str, Any]]) -> dict[str, str]:
    """An entry's translated searchable text, column by column, in every translated language."""
    found: dict[str, list[str]] = {}
    for keyed in translations.values():
        fields = keyed.get(entry_id) or {}
        for field in _FOREIGN_SEARCHED:
            text = (fields.get(field.name) or {}).get(TEXT)
            if isinstance(text, list):
                # Written as the English is (a variant as "name: description"), so a hit shows it so.
                text = searchable(field.type, text, {})
            if isinstance(text, str) and text.strip():
                found.setdefault(field.key, []).append(text)
    return {column: ITEM_SEPARATOR.join(texts) for column, texts in found.items()}


def _fill(db: sqlite3.Connection, merged: Mapping[str, Any], key: Any, fresh: Any = None) -> None:
    entries: list[tuple[str, Mapping[str, Any]]] = [(str(kind), data) for kind, data in merged["entries"]]
    names = {data["id"]: data["name"] for _, data in entries}
    writer = Writer(db, merged.get("translations") or {})
    for kind, data in entries:
        writer.entry(kind, data, names)
    writer.finish(merged, merged.get("indications") or (), key, fresh)


class Writer:
    """Writes a new index an entry at a time, in catalogue order, holding only a batch of rows and
    the word counts: how both the whole-catalogue build and the streaming one write."""

    BATCH = 500
    # Distinct words counted in memory before the counts are written out (see _spill).
    SPILL = 30_000

    def __init__(self, db: sqlite3.Connection, translations: Mapping[str, Mapping[str, Any]]) -> None:
        # No journal and no syncing while filling: the file is a private temporary one until
        # cache.replacing syncs it once, whole, and renames it into place.
        db.execute("PRAGMA journal_mode = OFF")
        db.execute("PRAGMA synchronous = OFF")
        db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        db.executescript(_SCHEMA)
        # The full text is merged once, by the closing 'optimize', not level by level while filling.
        db.execute("INSERT INTO text(text, rank) VALUES ('automerge', 0)")
        db.execute("BEGIN")
        self.db = db
        self.translations = translations
        self.count = 0
        # How many entries hold each word (each stem's count is the full-text index's own, see `finish`).
        self.frequency: Counter[str] = Counter()
        # The one stemmer's answer for each distinct word, asked once per word.
        self.stems: dict[str, str] = {}
        self.spilled = False
        self._rows = new_rows()

    def entry(self, kind: str, data: Mapping[str, Any], names: Mapping[str, str]) -> None:
        """Add one merged entry; `names` gives the display name of every entry it may link to."""
        self.count += 1
        held = entry_rows(self._rows, self.count, kind, data, names, self.translations, self.stems)
        self.frequency.update(held)
        if len(self.frequency) > self.SPILL:
            self._spill()
        if len(self._rows["entries"]) >= self.BATCH:
            self._flush()

    def add_rows(self, rows: Mapping[str, Sequence[tuple[Any, ...]]], held: Iterable[str]) -> None:
        """Add the rows `entry_rows` made elsewhere for the next entries (numbered on from `count`,
        in order), and the words each of them holds (each entry's once)."""
        self.count += len(rows["entries"])
        for table, batch in rows.items():
            self._rows[table] += batch
        self.frequency.update(held)
        if len(self.frequency) > self.SPILL:
            self._spill()
        # Written a batch at a time, as `entry` writes: each table's pages then lie together in
        # the file as they do when one process builds it, which a list of every entry reads.
        if len(self._rows["entries"]) >= self.BATCH:
            self._flush()

    def _spill(self) -> None:
        """Write the word counts held so far to a temporary table and forget them, so a big
        catalogue's vocabulary is never held whole (`finish` adds them up)."""
        if not self.spilled:
            self.db.execute("CREATE TEMP TABLE word_counts(word TEXT NOT NULL, df INTEGER NOT NULL)")
            self.spilled = True
        self.db.executemany("INSERT INTO temp.word_counts VALUES (?, ?)", self.frequency.items())
        self.frequency.clear()
        self.stems.clear()

    def _flush(self) -> None:
        for table, rows in self._rows.items():
            if rows:
                self.db.executemany(_INSERTS[table], rows)
                rows.clear()

    def finish(self, merged: Mapping[str, Any], indications: Iterable[Mapping[str, Any]], key: Any, fresh: Any) -> None:
        """Write the rest: translations, indication records, word tables and the catalogue-wide facts
        of `merged` (version, guide, checklist, synonyms, trust), then commit."""
        self._flush()
        db = self.db
        db.executemany(
            "INSERT INTO translations VALUES (?, ?, ?)",
            (
                (lang, key, json.dumps(fields, ensure_ascii=False))
                for lang, keyed in self.translations.items()
                for key, fields in keyed.items()
            ),
        )
        db.executemany(
            "INSERT INTO indications VALUES (?, ?, ?)",
            ((r["condition"], r["option"], json.dumps(r, ensure_ascii=False)) for r in indications),
        )
        if self.spilled:
            self._spill()
            db.execute("INSERT INTO words SELECT word, sum(df) FROM temp.word_counts GROUP BY word")
        else:
            # One JSON text that SQLite reads itself: about half the time of a row at a time.
            db.execute(
                "INSERT INTO words SELECT key, value FROM json_each(?)", (_JSON(dict(sorted(self.frequency.items()))),)
            )
        # In word order (Counter order is set order, which changes from run to run): the rows'
        # order breaks ties in similar_words.
        db.execute("INSERT INTO word_grams(word) SELECT word FROM words WHERE length(word) >= 3")
        db.execute("INSERT INTO dictionary SELECT value FROM json_each(?)", (_JSON(sorted(dictionary_words())),))
        meta = {
            "key": key,
            "fresh": fresh,
            "version": merged["version"],
            "guide": merged["guide"],
            "checklist": merged["checklist"],
            "synonyms": merged.get("synonyms") or {},
            "trust": merged.get("trust"),
            "count": self.count,
        }
        db.executemany("INSERT INTO meta VALUES (?, ?)", ((k, json.dumps(v)) for k, v in meta.items()))
        db.execute("INSERT INTO text(text) VALUES ('optimize')")
        db.execute("DELETE FROM text_config WHERE k = 'automerge'")  # the default again, as before filling
        # How many entries hold each stem: the full-text rows hold each entry's stems (the tokenizer
        # takes painref's stems, [0-9a-z]+, as they are), so the index counts them as it is built.
        db.execute("CREATE VIRTUAL TABLE temp.stem_counts USING fts5vocab(main, text, row)")
        db.execute("INSERT INTO stems SELECT term, doc FROM temp.stem_counts")
        db.execute("DROP TABLE temp.stem_counts")
        db.execute("COMMIT")


def new_rows() -> dict[str, list[tuple[Any, ...]]]:
    """Empty row lists, one for each table an entry adds rows to."""
    return {table: [] for table in _INSERTS}


def entry_rows(
    rows: Mapping[str, list[tuple[Any, ...]]],
    n: int,
    kind: str,
    data: Mapping[str, Any],
    names: Mapping[str, str],
    translations: Mapping[str, Mapping[str, Any]],
    stems: dict[str, str],
) -> set[str]:
    """Add the index rows of one merged entry, number `n`, to `rows`, and give the words it holds.

    `names` gives the display name of every entry it may link to; `stems` is the stemmer's answer
    for each word met so far, which this adds to. It holds no other state, so entries can be
    turned into rows in several processes and written in one.
    """
    listed = _TEXT_JSON([data.get(name) for name in LIST_FIELDS])
    rows["entries"].append((n, data["id"], kind, data["name"], listed, _TEXT_JSON(data)))
    spelled = [(data["id"], BY_ID), (data["name"], BY_NAME), *((a, BY_ALIAS) for a in data.get("aliases") or ())]
    # Names and lay terms in every language resolve and are searched, whichever language is shown.
    foreign = _foreign_names(data["id"], translations)
    spelled += [(text, BY_ALIAS) for text in foreign]
    seen: set[str] = set()
    grams: set[str] = set()
    for text, how in spelled:
        if (name_key := normalize(text)) and text not in seen:
            seen.add(text)
            rows["names"].append((name_key, n, how, text, kind))
            if name_key not in grams:
                grams.add(name_key)
                rows["name_grams"].append((name_key, n))
    fields = text_fields(data, names)
    # The translated text apart too, so search can rank what matches in the chosen language first.
    translated = [*foreign]
    english = " ".join(fields.values()) if translations else ""
    if foreign:
        fields["aliases"] = ITEM_SEPARATOR.join(filter(None, (fields["aliases"], *foreign)))
    for column, text in _foreign_text(data["id"], translations).items():
        fields[column] = ITEM_SEPARATOR.join(filter(None, (fields[column], text)))
        translated.append(text)
    for column, text in (*_foreign_links(data, translations).items(), *_foreign_regions(data, translations).items()):
        fields[column] = ITEM_SEPARATOR.join(filter(None, (fields[column], text)))
        translated.append(text)
    rows["columns"].append((n, *fields.values()))
    field_words = [words(value) for value in fields.values()]
    held: set[str] = set().union(*field_words)
    for word in held.difference(stems):
        stems[word] = _stem(word)
    # The full-text index holds stems from painref's own stemmer, the one queries use.
    stem_of = stems.__getitem__
    field_stems = [list(map(stem_of, spelled)) for spelled in field_words]
    rows["text"].append((n, *map(" ".join, field_stems)))
    sides = _sides(english, " ".join(translated), stems) if translated else ("", "")
    rows["stemmed"].append((n, _stemmed(fields, field_words, field_stems, stem_of, sides)))
    return held


def _sides(english: str, translated: str, stems: dict[str, str]) -> tuple[str, str]:
    """The stems only the English text has, and those only the translations have, space-separated.

    The English text's words are among the entry's (its English fields come first), so each has
    its stem already; a translation's words likewise."""
    in_english = {stems[w] for w in words(english) if w in stems}
    in_translation = {stems[w] for w in words(translated) if w in stems}
    return " ".join(sorted(in_english - in_translation)), " ".join(sorted(in_translation - in_english))


def _stemmed(
    fields: Mapping[str, str],
    field_words: Sequence[list[str]],
    field_stems: Sequence[list[str]],
    stem_of: Any,
    sides: tuple[str, str] = ("", ""),
) -> str:
    """What search ranks an entry by (`Index.stemmed`), as JSON: per column, its distinct stems and
    the first word with each, both space-separated; per name column, each item's words and stems;
    and the stems only its English text has, and only its translations have (`_sides`)."""
    columns = []
    for spelled, stemmed in zip(field_words, field_stems, strict=True):
        # Reversed, so that the first word with a stem is the one kept.
        first = dict(zip(reversed(stemmed), reversed(spelled), strict=True))
        columns.append((" ".join(first), " ".join(first.values())))
    names = []
    for column in NAME_COLUMNS:
        items = fields[column].split(ITEM_SEPARATOR)
        spelled_items = [field_words[TEXT_COLUMNS.index(column)]] if len(items) == 1 else map(words, items)
        names.append([(" ".join(spelled), " ".join(map(stem_of, spelled))) for spelled in spelled_items])
    return _JSON((columns, names, sides))


# json.dumps as the index writes it, without the check for circular data (YAML without anchors has
# none), which was a fifth of encoding an entry: _JSON escapes non-ASCII text, _TEXT_JSON keeps it.
_JSON = json.JSONEncoder(check_circular=False).encode
_TEXT_JSON = json.JSONEncoder(ensure_ascii=False, check_circular=False).encode

# The one stemmer, without its cache: the writer keeps its own answers, once per distinct word, so
# a big catalogue's vocabulary is not held twice.
_stem = stem.__wrapped__

_MARKS = ", ".join("?" * (len(TEXT_COLUMNS) + 1))
# Each table an entry adds rows to, and how a row is inserted.
_INSERTS = {
    "entries": "INSERT INTO entries VALUES (?, ?, ?, ?, ?, ?)",
    "names": "INSERT INTO names VALUES (?, ?, ?, ?, ?)",
    "name_grams": "INSERT INTO name_grams(key, n) VALUES (?, ?)",
    "columns": f"INSERT INTO columns VALUES ({_MARKS})",
    "text": f"INSERT INTO text(rowid, {', '.join(TEXT_COLUMNS)}) VALUES ({_MARKS})",
    "stemmed": "INSERT INTO stemmed VALUES (?, ?)",
}


# The shipped word lists (see scripts/make_wordlist.py): real words search never takes for typos.
WORD_LISTS = ("english-words.txt", "spanish-words.txt")


def dictionary_words() -> set[str]:
    """Every word of the shipped English and Spanish word lists."""
    from importlib.resources import files  # only when building: ~3 ms that warm runs skip

    found: set[str] = set()
    for name in WORD_LISTS:
        text = files("painref").joinpath("data", name).read_text(encoding="utf-8")
        found.update(line for line in text.splitlines() if line and not line.startswith("#"))
    return found


def _connect(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None)
    return _read_only(connection)


def _read_only(connection: sqlite3.Connection) -> sqlite3.Connection:
    # The index is data: never run SQL functions or views that a tampered file might declare.
    connection.execute("PRAGMA trusted_schema = OFF")
    connection.execute("PRAGMA query_only = ON")
    return connection


def open_existing(path: Path | None, key: Any) -> Index | None:
    """The index at `path` if it was built from exactly these files, else None.

    A file that is not a painref index or is damaged (a wrong or truncated header, unreadable
    tables) is removed and said once on stderr, so the caller rebuilds it; damage deeper in the
    file shows up as sqlite3.DatabaseError on first use, and the CLI rebuilds then (see
    painref.cli). A valid index built from other files is simply stale: replaced without a word.
    """
    if path is None:
        return None
    problem = _header_problem(path)
    if problem == "missing":
        return None
    connection = None
    if problem is None:
        try:
            connection = _connect(path)
            stored = Index(connection, path).meta("key")
        except (sqlite3.Error, ValueError, OSError):
            problem = "damaged"
        else:
            if stored == key:
                cache.touch(path)
                return Index(connection, path)
            connection.close()
            return None
    if connection is not None:
        connection.close()
    discard(path, problem or "damaged")
    return None


def discard(path: Path, problem: str) -> None:
    """Remove a damaged or foreign cache file, saying so once."""
    with contextlib.suppress(OSError):
        path.unlink()
    message = _DISCARDED.get(problem, _DISCARDED["damaged"])
    cache.notice(_(message).format(path=path))


# What is said of a cache file removed, by its problem (see _header_problem).
_DISCARDED = {
    "damaged": N_("the cached index {path} was damaged; it is being rebuilt"),
    "not painref's": N_("the cached index {path} was not painref's; it is being rebuilt"),
    "truncated": N_("the cached index {path} was truncated; it is being rebuilt"),
}


def _header_problem(path: Path) -> str | None:
    """Why the file at `path` is not a whole painref index, judged from its 100-byte header alone:
    "missing", "not painref's", "truncated", or None if the header is sound."""
    descriptor = cache.open_private(path)
    if descriptor is None:
        return "missing" if not os.path.lexists(path) else "not painref's"
    try:
        header = os.pread(descriptor, 100, 0)
        size = os.fstat(descriptor).st_size
    except OSError:
        return "damaged"
    finally:
        os.close(descriptor)
    if len(header) < 100 or not header.startswith(b"SQLite format 3\x00"):
        return "not painref's"
    if int.from_bytes(header[68:72], "big") != APPLICATION_ID:
        return "not painref's"
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    if header[24:28] != header[92:96] or size != page_size * pages:
        return "truncated"
    return None
