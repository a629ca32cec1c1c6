"""Compile the catalogue: the one read → parse → check → merge pipeline behind loading and `validate`.

Only a cache miss (or `validate`) needs this module, so a warm run never imports the parser, the
validator or the merger: the CLI imports it when painref.catalogue.open_cached finds no current index.
"""

from __future__ import annotations

import marshal
import os
import sqlite3
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

from painref import cache, catalogue, i18n, index, pool
from painref.catalogue import CatalogueFile
from painref.errors import CatalogueError
from painref.i18n import ENGLISH, N_, _
from painref.merge import Links, Merged, extended, linked, merge, with_backlinks
from painref.model import Kind
from painref.schema import EXTEND, FIELDS, SECTION_KINDS, file_fields
from painref.validate import (
    Draft,
    English,
    Issue,
    Severity,
    alias_warnings,
    check_document,
    check_drafts,
    check_indication,
    check_indications,
    check_item,
    check_translation,
    readability_warnings,
    stale_warnings,
)
from painref.yamlio import NotStreamed, Piece, Positions, Unsplit, parse, parse_piece, split_pieces, stream_items


def load(
    overlays: Sequence[Path] = (), env: Mapping[str, str] | None = None, language: str = ENGLISH
) -> index.IndexCatalogue:
    """The merged catalogue, or CatalogueError with one sentence naming the first problem.

    A warm run opens the compiled index built for exactly these files; otherwise the files are
    parsed, validated and merged, and the index is rebuilt (in memory when caching is off).
    """
    found = catalogue.open_cached(overlays, env, language)
    if found.catalogue is not None:
        return found.catalogue
    files, key, slot = found.files, found.key, found.slot
    with cache.building(slot):  # concurrent cold runs build once; the others wait, then open it
        compiled = catalogue.fresh_index(files, key, slot)
        if compiled is None:
            try:
                translations, problem = _translations(found.languages), None
            except CatalogueError as error:
                translations, problem = {}, error
            # Streamed when the catalogue is sound; otherwise, or where streaming cannot tell, read
            # whole, which names the problems exactly as `validate` does.
            compiled = None if problem else _streamed(files, key, slot, translations)
            if compiled is None:
                data, witnessed = _compiled_data(files)
                if problem is not None:
                    raise problem
                data["translations"] = translations
                compiled = index.build(data, key, slot, _settled(files, key, witnessed))
    return index.IndexCatalogue(compiled, [source.label for source in files], language)


def _translations(paths: Sequence[Path]) -> dict[str, dict[str, Any]]:
    """Translated fields by language and key: entry ids, "condition/option", "guide:ID", "checklist"."""
    found: dict[str, dict[str, Any]] = {}
    for path in paths:
        document = parse(catalogue.read_text(CatalogueFile(path, str(path))), str(path))
        if not isinstance(document, dict) or not isinstance(document.get("language"), str):
            raise CatalogueError(_("{path}: a translation file needs a 'language' code such as es").format(path=path))
        keyed = found.setdefault(document["language"], {})
        document = i18n.compiled_items(document, document["language"])
        for key, fields in (document.get("entries") or {}).items():
            keyed.setdefault(str(key), {}).update(fields)
        for key, fields in (document.get("indications") or {}).items():
            keyed.setdefault(str(key), {}).update(fields)
        for key, fields in (document.get("guide") or {}).items():
            keyed.setdefault(f"guide:{key}", {}).update(fields)
        if isinstance(document.get("checklist"), dict):
            keyed.setdefault("checklist", {}).update(document["checklist"])
        if isinstance(document.get("trust"), dict):
            keyed.setdefault("trust", {}).update(document["trust"])
    return found


class Checked(NamedTuple):
    """What the pipeline found: every problem, located, and the merged catalogue."""

    issues: list[Issue]
    merged: Merged | None
    version: str
    # True when checking stopped after catalogue.MAX_PROBLEMS problems: there are more than `issues` shows.
    truncated: bool = False


def check(
    files: Sequence[CatalogueFile],
    *,
    thorough: bool,
    today: date | None = None,
    stale_after: int = 0,
    witnessed: list[list[Any]] | None = None,
) -> Checked:
    """Read, parse, check and merge the files: the one pipeline behind loading and `validate`.

    Loading (`thorough` False) stops at the first file that cannot be read and merges only when
    every file is well formed. `validate` (`thorough` True) goes on past every problem to report
    them all, merges what is well formed, and adds warnings (repeated keys are errors there,
    shared aliases and stale dates are warnings).

    `witnessed`, if given, gets [checksum, time read] for each file read, for the cache's racy check.
    """
    documents: list[tuple[str, dict[str, Any]]] = []
    issues: list[Issue] = []
    texts: dict[str, str] = {}
    # Each document's nodes, composed once (for repeated keys and to locate problems).
    positions: dict[str, Positions] = {}
    version = "unknown"
    for number, source in enumerate(files):
        read_ns = time.time_ns()
        try:
            data = catalogue.read_bytes(source)
            if witnessed is not None:
                witnessed.append([cache.checksum(data), read_ns])
            text = catalogue.decode(source, data)
            del data  # the text is what is parsed; holding both would double the peak
            # Loading refuses a key given twice where it is given; validate reports every one.
            document = parse(text, source.label, unique_keys=not thorough)
        except CatalogueError as error:
            if witnessed is not None and len(witnessed) == number:
                witnessed.append([None, read_ns])
            if not thorough:
                raise
            issues.append(_error_issue(source.label, error.message))
            continue
        texts[source.label] = text
        problems = check_document(document, source.label, limit=catalogue.MAX_PROBLEMS)
        if thorough:
            positions[source.label] = Positions(text)
            problems += _repeated_keys(positions[source.label], source.label)
            if isinstance(document, dict):
                documents.append((source.label, _well_formed(document)))
        elif not problems:
            documents.append((source.label, document))  # type: ignore[arg-type]  # checked: a mapping
        issues += problems
        if number == 0 and isinstance(document, dict):
            version = str(document.get("version", "unknown"))
        if len(issues) > catalogue.MAX_PROBLEMS:
            break
    merged: Merged | None = None
    if len(issues) <= catalogue.MAX_PROBLEMS and (thorough or not issues):
        merged = merge(documents)
        issues += merged.issues + check_drafts(merged.drafts) + check_indications(merged.indications, merged.drafts)
        if thorough:
            issues += alias_warnings(merged.drafts) + stale_warnings(merged.drafts, today or date.today(), stale_after)
            builtin = frozenset(source.label for source in files if source.builtin)
            issues += readability_warnings(merged.drafts, skip=builtin)
    truncated = len(issues) > catalogue.MAX_PROBLEMS
    return Checked(_located(issues[: catalogue.MAX_PROBLEMS], texts, positions), merged, version, truncated)


def _located(issues: Sequence[Issue], texts: Mapping[str, str], positions: dict[str, Positions]) -> list[Issue]:
    """Each issue with the line and column of what it names, sorted by place."""
    located: list[Issue] = []
    for issue in issues:
        if issue.loc or (issue.line, issue.col) == (1, 1):
            if issue.file not in positions:  # compose each document once, not once per issue
                positions[issue.file] = Positions(texts.get(issue.file))
            where = positions[issue.file].of(issue.loc)
            issue = replace(issue, line=where[0], col=where[1]) if where else issue
        located.append(issue)
    return sorted(located, key=lambda i: (i.file, i.line, i.col))


def _repeated_keys(positions: Positions, file: str) -> list[Issue]:
    return [
        Issue(file, (), _("key '{key}' is given twice in one mapping").format(key=key), line=line, col=col)
        for key, line, col in positions.repeated_keys()
    ]


def _problems_sentence(errors: Sequence[Issue], truncated: bool = False) -> str:
    first = errors[0]
    if len(errors) == 1 and not truncated:
        return _("the catalogue is invalid: {problem}").format(problem=first)
    if truncated:
        message = _(
            "the catalogue has more than {count} problems, the first at {problem};"
            " run 'painref validate' to see them all"
        )
    else:
        message = _(
            "the catalogue has {count} problems, the first at {problem}; run 'painref validate' to see them all"
        )
    return message.format(count=len(errors), problem=first)


def _settled(files: Sequence[CatalogueFile], key: list[Any] | None, witnessed: list[list[Any]]) -> list[list[Any]]:
    """What was witnessed, with each racy file read again once its timestamp can show a change.

    A big catalogue takes longer to compile than the racy window, so re-reading it once here
    spares every later run that re-read; a small one stays racy and costs little to re-read.
    """
    if key is None:
        return witnessed
    settled = [list(seen) for seen in witnessed]
    for number, (source, identity, seen) in enumerate(zip(files, key[2:], settled, strict=False)):
        now = time.time_ns()
        if seen[0] is not None and cache.racy(identity, seen[1]) and not cache.racy(identity, now):
            again = cache.file_key([source.path])
            try:
                same = again is not None and again[2] == identity and catalogue.file_checksum(source) == seen[0]
            except CatalogueError:
                same = False
            if same:
                settled[number] = [seen[0], now]
    return settled


def _compiled_data(files: Sequence[CatalogueFile]) -> tuple[dict[str, Any], list[list[Any]]]:
    """The merged catalogue as the index stores it, and what was witnessed of each file: the slow
    path a cache hit skips."""
    witnessed: list[list[Any]] = []
    checked = check(files, thorough=False, witnessed=witnessed)
    errors = [issue for issue in checked.issues if issue.severity is Severity.ERROR]
    if errors or checked.merged is None:
        raise CatalogueError(_problems_sentence(errors, checked.truncated))
    merged = checked.merged
    indications = [draft.data for draft in merged.indications.values()]
    entries = linked([(draft.kind, draft.data) for draft in merged.drafts.values()], indications)
    data = {
        "version": checked.version,
        "trust": merged.trust,
        "indications": indications,
        "entries": with_backlinks(entries),
        "guide": [draft.data for draft in merged.guide.values()],
        "checklist": merged.checklist.data if merged.checklist is not None else None,
        "synonyms": merged.synonyms,
    }
    return data, witnessed


def _streamed(
    files: Sequence[CatalogueFile], key: list[Any] | None, slot: Path | None, translations: dict[str, dict[str, Any]]
) -> index.Index | None:
    """The index built while the files are read, an entry at a time, or None if any file has a
    problem (or a shape streaming does not take): then `check` reads them whole and names it.

    Memory stays flat in the catalogue's size: each overlay is parsed from the file in pieces
    (yamlio.stream_items), each entry is checked and merged as it arrives and kept, merged, in a
    temporary table; then two passes over those rows link the entries (only ids, names and kinds
    are held for that) and write the index (index.Writer). Its checks are `check`'s own, item by
    item, so an index is built this way exactly when `check` finds no problem.

    A big file is cut into pieces (yamlio.split_pieces) that worker processes parse and check,
    and workers turn the merged entries into index rows, while this process stages and writes
    them: the build then runs on every core. Where a file cannot be cut, it is built again in
    this process alone.
    """
    workers = pool.workers() if any(_big(source) for source in files) else 1
    try:
        try:
            return index.build_with(lambda db: _Stream(db, files, translations, workers).build(key), slot)
        except (Unsplit, pool.WorkersLost):
            if workers == 1:
                raise
            return index.build_with(lambda db: _Stream(db, files, translations, 1).build(key), slot)
    # The whole read is the reference: any surprise (or a temporary table SQLite cannot write) goes to it.
    except (CatalogueError, LookupError, TypeError, ValueError, sqlite3.Error, OSError):
        return None


# A catalogue file this big is built by worker processes, where the machine has cores to spare:
# about 800 entries. Smaller ones take longer to hand out than to build here.
PARALLEL_BYTES = 4 * 2**20
# Merged entries handed to a worker at a time, to be turned into index rows: a quarter of the
# writer's batch, so the index is written in the same batches as by one process.
_ROWS_JOB = index.Writer.BATCH // 4
# Entries up to which every worker makes index rows (see _Stream._write).
_ALL_MAKERS = 20_000
# Jobs handed out and not yet taken back, per worker: enough that a worker always has the next
# one, few enough that what is in flight stays small (about 2.5 MB of rows a job).
_WINDOW = 2


def _big(source: CatalogueFile) -> bool:
    try:
        return not source.builtin and Path(source.path).stat().st_size >= PARALLEL_BYTES
    except OSError:
        return False


# The sections streamed an item at a time; the rest of a file is small and read whole.
_LISTED = frozenset((*SECTION_KINDS, "indications"))
# New entries written to the staging table at a time.
_BATCH = 500
# Room for each section's items in the order key of an entry: (file, section, item).
_ITEMS = 2**20


class _Stream:
    """One streaming build: the state `_streamed` keeps between the files and the passes."""

    def __init__(
        self, db: sqlite3.Connection, files: Sequence[CatalogueFile], translations: dict[str, Any], workers: int = 1
    ) -> None:
        self.db = db
        self.files = files
        self.translations = translations
        self.workers = workers
        self.writer = index.Writer(db, translations)
        db.execute(
            "CREATE TEMP TABLE staged(ord INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, kind TEXT NOT NULL,"
            " links BLOB NOT NULL, data BLOB NOT NULL)"
        )
        db.execute("CREATE TEMP TABLE records(n INTEGER PRIMARY KEY, data BLOB NOT NULL)")
        # Every entry's kind, by id, and the ids whose entry names a family: what checking a
        # reference needs of its target.
        self.kinds: dict[str, Kind] = {}
        self.families: set[str] = set()
        # Indication records' row in `records`, by (condition, option).
        self.records: dict[tuple[str, str], int] = {}
        # Each file's small sections (version, trust, synonyms, checklist, guide), merged at the end.
        self.documents: list[tuple[str, dict[str, Any]]] = []
        self.witnessed: list[list[Any]] = []
        self.version = "unknown"
        # New entries not yet written to `staged`, written a batch at a time.
        self.pending: list[tuple[int, str, str, bytes, bytes]] = []

    def _flush(self) -> None:
        self.db.executemany("INSERT INTO temp.staged VALUES (?, ?, ?, ?, ?)", self.pending)
        self.pending.clear()

    def build(self, key: list[Any] | None) -> None:
        for number, source in enumerate(self.files):
            read_ns = time.time_ns()
            if source.builtin:
                data = catalogue.read_bytes(source)
                document = parse(catalogue.decode(source, data), source.label)
                if not isinstance(document, dict):
                    raise NotStreamed(f"{source.label}: not a mapping")
                self._file(source.label, number, ((k, None, v) for k, v in document.items()))
                self.witnessed.append([cache.checksum(data), read_ns])
                continue
            with catalogue.chunks(source) as reader:
                if self.workers > 1 and _big(source):
                    self._file(source.label, number, self._pieces(reader, source.label))
                else:
                    items = stream_items(reader, source.label, _LISTED)
                    self._file(source.label, number, _prepared_items(source.label, items))
            if not reader.whole:
                raise NotStreamed(f"{source.label}: too large, unreadable or not UTF-8")
            self.witnessed.append([reader.checksum, read_ns])
        self._flush()
        small = merge(self.documents)
        if small.issues:
            raise NotStreamed("a guide topic or the checklist is incomplete")
        links = self._check_records()
        names = self._link(links)
        self._write(links, names)
        meta = {
            "version": self.version,
            "trust": small.trust,
            "guide": [draft.data for draft in small.guide.values()],
            "checklist": small.checklist.data if small.checklist is not None else None,
            "synonyms": small.synonyms,
        }
        records = (_thawed(row[0]) for row in self.db.execute("SELECT data FROM temp.records ORDER BY n"))
        self.writer.finish(meta, records, key, _settled(self.files, key, self.witnessed))

    def _pieces(self, reader: catalogue.Chunks, label: str) -> Iterator[tuple[str, int | None, object]]:
        """A file's items, prepared by worker processes from the pieces its text is cut into."""
        pieces = ((label, piece) for piece in split_pieces(reader.read, _LISTED))
        found = False
        for prepared in pool.ordered(_prepared_piece, pieces, self.workers, _WINDOW * self.workers):
            if prepared is None:
                raise Unsplit(f"{label}: a piece that does not parse on its own")
            found = True
            yield from _thawed(prepared)
        if not found:
            raise Unsplit(f"{label}: an empty document")

    def _file(self, label: str, number: int, pieces: Iterator[tuple[str, int | None, object]]) -> None:
        """Check and stage one file's pieces (as `_prepared_items` gives them); CatalogueError at the
        first problem."""
        small: dict[str, Any] = {}
        ids: set[str] = set()
        pairs: set[tuple[object, object]] = set()
        seen: set[str] = set()
        for section, place, value in pieces:
            if place is None or place == 0:  # a key of the document: given once
                if section in seen:
                    raise Unsplit(f"{label}: the top-level key '{section}' is given twice")
                seen.add(section)
            if place is not None:
                self._stage(label, number, section, place, value, ids, pairs)
            elif section in _LISTED and isinstance(value, list):
                for position, item in enumerate(value):
                    self._stage(label, number, section, position, _prepared(label, section, position, item), ids, pairs)
            else:
                small[section] = value
        if check_document(small, label):
            raise NotStreamed(f"{label}: a problem")
        self.documents.append((label, small))
        if number == 0:
            self.version = str(small.get("version", "unknown"))

    def _stage(
        self,
        label: str,
        number: int,
        section: str,
        index: int,
        prepared: Any,
        ids: set[str],
        pairs: set[tuple[object, object]],
    ) -> None:
        """Stage an item that `_prepared` checked on its own: what it is beside the others."""
        if prepared is None:
            raise NotStreamed(f"{label}: a problem in {section} item {index + 1}")
        if section == "indications":
            pair, item = prepared
            if pair in pairs:
                raise NotStreamed(f"{label}: indication {index + 1} is given twice")
            if all(isinstance(part, str) for part in pair):
                pairs.add(pair)
            self._record(_thawed(item))
            return
        entry_id, links, data, patch = prepared
        kind = SECTION_KINDS[section]
        if entry_id in ids:
            raise NotStreamed(f"{label}: id '{entry_id}' is given twice")
        ids.add(entry_id)
        known = self.kinds.get(entry_id)
        if known is None:
            self.kinds[entry_id] = kind
            order = (number * len(SECTION_KINDS) + list(SECTION_KINDS).index(section)) * _ITEMS + index
            self.pending.append((order, entry_id, kind.value, links, data))
            if len(self.pending) >= _BATCH:
                self._flush()
        elif known is not kind:
            raise NotStreamed(f"{label}: id '{entry_id}' is of two kinds")
        else:
            self._flush()
            (staged,) = self.db.execute("SELECT data FROM temp.staged WHERE id = ?", (entry_id,)).fetchone()
            merged = extended(_thawed(staged), _thawed(patch if patch is not None else data))
            self.db.execute(
                "UPDATE temp.staged SET links = ?, data = ? WHERE id = ?",
                (marshal.dumps(_link_fields(merged)), marshal.dumps(merged), entry_id),
            )

    def _record(self, item: dict[str, Any]) -> None:
        """Stage an indication record, or refine the one an earlier file gave (as `merge` does)."""
        pair = (str(item.get("condition")), str(item.get("option")))
        row = self.records.get(pair)
        if row is None:
            cursor = self.db.execute("INSERT INTO temp.records(data) VALUES (?)", (marshal.dumps(dict(item)),))
            self.records[pair] = int(cursor.lastrowid or 0)
        else:
            (staged,) = self.db.execute("SELECT data FROM temp.records WHERE n = ?", (row,)).fetchone()
            data = _thawed(staged)
            data.update(item)
            self.db.execute("UPDATE temp.records SET data = ? WHERE n = ?", (marshal.dumps(data), row))

    def _check_records(self) -> Links:
        """Check the merged indication records against the entries, and gather what they link."""
        links = Links()
        known = _Known(self.kinds, self.families)
        for (data,) in self.db.execute("SELECT data FROM temp.records ORDER BY n"):
            record = _thawed(data)
            pair = (str(record.get("condition")), str(record.get("option")))
            if check_indications({pair: Draft(Kind.CONDITION, record, "", ())}, known):
                raise NotStreamed("an indication record has a problem")
            links.add_record(record)
        return links

    def _link(self, links: Links) -> dict[str, str]:
        """First pass over the merged entries: their names, families and reverse links (ids only)."""
        names: dict[str, str] = {}
        for entry_id, kind, linking in self.db.execute("SELECT id, kind, links FROM temp.staged ORDER BY ord"):
            small = _thawed(linking)
            if "name" in small:
                names[entry_id] = small["name"]
            if small.get("family"):
                self.families.add(entry_id)
            links.add_entry(Kind(kind), links.linked(small))
        return names

    def _write(self, links: Links, names: dict[str, str]) -> None:
        """Second pass: check each merged entry against every other's kind, complete it, write it."""
        rows = self.db.execute("SELECT id, kind, data FROM temp.staged ORDER BY ord").fetchmany
        writing = _Writing(_Known(self.kinds, self.families), links, names, self.translations)
        # Each worker making rows comes to hold its own copy of the names and links it reads (about
        # 0.4 KB an entry): past _ALL_MAKERS entries one worker fewer keeps the build within its
        # memory budget (50,000 entries: 151 -> 125 MB across processes, 45.9 -> 47.8 s), while a
        # smaller catalogue keeps them all (10,000 entries took 1.2 times as long with one fewer).
        makers = self.workers if len(self.kinds) <= _ALL_MAKERS else self.workers - 1
        if makers < 1 or len(self.kinds) < _ROWS_JOB * self.workers:
            while batch := rows(500):
                for entry_id, kind_value, staged in batch:
                    self.writer.entry(kind_value, writing.completed(entry_id, kind_value, staged), names)
            return
        _WRITING[:] = [writing]  # what the workers, forked at the first job, see
        try:
            for made in pool.ordered(_made_rows, _numbered(rows, self.writer.count), makers, _WINDOW * makers):
                self.writer.add_rows(*_thawed(made))
        finally:
            _WRITING.clear()


def _numbered(rows: Any, count: int) -> Iterator[tuple[int, list[tuple[str, str, bytes]]]]:
    """Staged entries a job at a time, each job with the number of the entries before it."""
    while batch := rows(_ROWS_JOB):
        yield count, batch
        count += len(batch)


def _prepared_items(
    label: str, pieces: Iterable[tuple[str, int | None, object]]
) -> Iterator[tuple[str, int | None, object]]:
    """`stream_items`' pieces with each item prepared (`_prepared`), in this process."""
    for section, place, value in pieces:
        yield section, place, value if place is None else _prepared(label, section, place, value)


def _prepared_piece(job: tuple[str, Piece]) -> bytes | None:
    """In a worker: one piece of a file parsed, and its items prepared, packed; None if the piece
    does not parse on its own (the file is then built in one process)."""
    label, piece = job
    try:
        return marshal.dumps(list(_prepared_items(label, parse_piece(piece, label))))
    except Unsplit:
        return None


def _prepared(label: str, section: str, index: int, item: Any) -> Any:
    """An item checked on its own, and packed for staging: None if it has a problem.

    An indication record gives its (condition, option) and the record packed; an entry its id, the
    packed link fields and data of it as a new entry, and the item packed again if it extends
    lists (`key+`), which merging it onto an earlier file's entry needs.
    """
    if section == "indications":
        if check_indication(item, label, index):
            return None
        return (item.get("condition"), item.get("option")), marshal.dumps(item)
    kind = SECTION_KINDS[section]
    if check_item(item, file_fields(kind), label, (section, index), f"a {kind.value}"):
        return None
    data = extended({}, item)
    patch = marshal.dumps(item) if any(key.endswith(EXTEND) for key in item) else None
    return item["id"], marshal.dumps(_link_fields(data)), marshal.dumps(data), patch


class _Writing(NamedTuple):
    """What completing an entry for the index needs of all the others."""

    known: _Known
    links: Links
    names: dict[str, str]
    translations: dict[str, Any]

    def completed(self, entry_id: str, kind_value: str, staged: bytes) -> dict[str, Any]:
        """A staged entry checked against every other's kind, with its links filled in."""
        kind = Kind(kind_value)
        data = _thawed(staged)
        if check_drafts({entry_id: Draft(kind, data, "", ())}, self.known):
            raise NotStreamed(f"entry '{entry_id}' has a problem")
        return self.links.backlinked(kind, self.links.linked(data))


# The one build's _Writing while workers turn its entries into rows: they are forked with it.
_WRITING: list[_Writing] = []
# A worker's stemmer answers, kept from one job to the next: at most this many, as a catalogue's
# vocabulary grows without end and each worker keeps its own.
_STEMS: dict[str, str] = {}
_MAX_STEMS = 5_000


def _made_rows(batch: tuple[int, list[tuple[str, str, bytes]]]) -> bytes:
    """In a worker: a batch of staged entries (numbered on from the first number given), in order,
    completed and turned into index rows, packed with the words each holds.
    NotStreamed if one has a problem."""
    (writing,) = _WRITING
    rows = index.new_rows()
    held: list[str] = []
    if len(_STEMS) > _MAX_STEMS:
        _STEMS.clear()
    first, entries = batch
    for n, (entry_id, kind_value, staged) in enumerate(entries, start=first + 1):
        data = writing.completed(entry_id, kind_value, staged)
        held += index.entry_rows(rows, n, kind_value, data, writing.names, writing.translations, _STEMS)
    # Each entry's words, one after another: counting them is then one pass in C where they are
    # written, which adding up a count for each word of each job was not.
    return marshal.dumps((rows, held))


def _thawed(data: bytes) -> Any:
    """A value packed with marshal.dumps by this build: in this process, into its connection's own
    temporary tables (SQLite's private temporary file), or by its own workers, forked from it and
    answering through a pipe; never read from anywhere else."""
    return marshal.loads(data)  # noqa: S302 - written by this build, moments ago


def _link_fields(data: Mapping[str, Any]) -> dict[str, Any]:
    """What the first pass needs of an entry: its id, name and the fields that link to others."""
    return {name: data[name] for name in ("id", "name", *_LINKING) if name in data}


_LINKING = tuple(field.name for field in FIELDS if field.backlink)


class _Known(Mapping[str, Draft]):
    """Every entry as checking a reference to it sees it: its kind, and whether it names a family."""

    def __init__(self, kinds: dict[str, Kind], families: set[str]) -> None:
        self.kinds = kinds
        self.families = families

    def __getitem__(self, entry_id: str) -> Draft:
        return Draft(self.kinds[entry_id], {"family": True} if entry_id in self.families else {}, "", ())

    def __iter__(self) -> Iterator[str]:
        return iter(self.kinds)

    def __len__(self) -> int:
        return len(self.kinds)


class Verdict(NamedTuple):
    """What `validate` found: every problem, the files read, and how many of each thing they hold."""

    issues: list[Issue]
    files: list[str]
    counts: dict[str, int]
    # True when checking stopped after catalogue.MAX_PROBLEMS problems.
    truncated: bool = False


def validate_files(
    paths: Sequence[Path] = (),
    overlays: Sequence[Path] = (),
    env: Mapping[str, str] | None = None,
    *,
    stale_after: int = catalogue.STALE_AFTER_DAYS,
    today: date | None = None,
) -> Verdict:
    """Every problem (and warning) in the catalogue built from the given files, located.

    With no paths, the effective catalogue is checked: built-in plus configured overlays.
    With paths, they are checked as overlays on top of the built-in catalogue. The verdict is
    cached like the catalogue, keyed by every file's identity, so re-checking catalogue.unchanged files
    is instant and an edited file is always checked afresh.
    """
    environ = os.environ if env is None else env
    files = (
        [catalogue.builtin_file(), *(CatalogueFile(p, str(p)) for p in paths)]
        if paths
        else catalogue.catalogue_files(overlays, environ)
    )
    languages = catalogue.translation_files(environ)
    labels = [source.label for source in files]  # "ok: N files" counts catalogue files
    day = today or date.today()
    # Translation files are part of what is checked: an edited one is checked afresh.
    key = cache.file_key([*(source.path for source in files), *languages])
    if key is not None:  # staleness depends on the day and the limit, messages on the language
        key[1] = [key[1], day.isoformat(), stale_after, i18n.language()]
    slot = cache.slot(cache.cache_dir(environ), key, "validated", ".json")
    stored = cache.read_json(slot, key)
    if (
        stored is not None
        and isinstance(stored.get("issues"), list)
        and isinstance(stored.get("counts"), dict)
        and catalogue.unchanged(files, key, stored.get("fresh"))
    ):
        issues = [Issue(f, (), m, Severity(s), line=ln, col=c) for f, ln, c, m, s in stored["issues"]]
        return Verdict(issues, labels, stored["counts"], bool(stored.get("truncated")))
    witnessed: list[list[Any]] = []
    checked = check(files, thorough=True, today=day, stale_after=stale_after, witnessed=witnessed)
    drafts = checked.merged.drafts if checked.merged else {}
    counts = {kind.plural: sum(1 for draft in drafts.values() if draft.kind is kind) for kind in Kind}
    counts[N_("indications")] = len(checked.merged.indications) if checked.merged else 0  # validate says it
    counts["guide topics"] = len(checked.merged.guide) if checked.merged else 0
    if checked.merged is not None:
        checked = checked._replace(issues=[*checked.issues, *_translation_issues(languages, checked.merged)])
    rows = [[i.file, i.line, i.col, i.message, i.severity.value] for i in checked.issues]
    fresh = _settled(files, key, witnessed) if len(witnessed) == len(files) else None
    cache.write_json(slot, key, {"issues": rows, "counts": counts, "truncated": checked.truncated, "fresh": fresh})
    return Verdict(checked.issues, labels, counts, checked.truncated)


def _translation_issues(paths: Sequence[Path], merged: Merged) -> list[Issue]:
    """Every problem in the languages' files, checked against the merged English and located."""
    english = English(
        {entry_id: draft.data for entry_id, draft in merged.drafts.items()},
        {f"{condition}/{option}": draft.data for (condition, option), draft in merged.indications.items()},
        {topic: draft.data for topic, draft in merged.guide.items()},
        merged.checklist.data if merged.checklist is not None else None,
        merged.trust,
    )
    issues: list[Issue] = []
    texts: dict[str, str] = {}
    documents: list[tuple[str, object]] = []
    for path in paths:
        label = str(path)
        try:
            texts[label] = catalogue.read_text(CatalogueFile(path, label))
            document = parse(texts[label], label)
        except CatalogueError as error:
            issues.append(_error_issue(label, error.message))
            continue
        documents.append((label, document))
    # What is still missing in a language is said once, on its last file, counting them all.
    last = {document.get("language"): label for label, document in documents if isinstance(document, dict)}
    translated: dict[object, set[tuple[Any, ...]]] = {}
    for label, document in documents:
        language = document.get("language") if isinstance(document, dict) else None
        done = translated.setdefault(language, set())
        found = check_translation(document, label, english, done)
        issues += found if last.get(language) == label else [i for i in found if i.loc != ("language",)]
    return _located(issues, texts, {})


def _error_issue(label: str, message: str) -> Issue:
    """An Issue from a CatalogueError sentence, keeping a line:col it already names."""
    prefix = f"{label}:"
    if message.startswith(prefix):
        line, _, rest = message[len(prefix) :].partition(":")
        col, _, text = rest.partition(": ")
        if line.isdigit() and col.isdigit():
            return Issue(label, (), text, line=int(line), col=int(col))
    return Issue(label, (), message)


def _well_formed(document: Mapping[str, Any]) -> dict[str, Any]:
    """Only the entries that can be merged (mappings with a text id), so one bad item hides no others."""
    kept: dict[str, Any] = {}
    for key, value in document.items():
        if key in SECTION_KINDS or key == "guide":
            kept[key] = (
                [item for item in value or () if isinstance(item, dict) and isinstance(item.get("id"), str)]
                if isinstance(value, list)
                else []
            )
        else:
            kept[key] = value
    return kept
