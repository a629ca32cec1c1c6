"""Find the catalogue's files, read them, and run the one check → merge pipeline behind loading and `validate`."""

from __future__ import annotations

import contextlib
import io
import os
import stat
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

from painref import cache, index
from painref.errors import CatalogueError
from painref.i18n import ENGLISH
from painref.merge import Merged, linked, merge, with_backlinks
from painref.model import Kind
from painref.schema import SECTION_KINDS
from painref.validate import (
    Issue,
    Severity,
    alias_warnings,
    check_document,
    check_drafts,
    check_indications,
    readability_warnings,
    stale_warnings,
)
from painref.yamlio import Positions, parse

ENV_CATALOG = "PAINREF_CATALOG"
# Larger files are refused before parsing: 50,000 entries as full as the built-in ones take ~230 MB.
MAX_FILE_BYTES = 256 * 1024 * 1024
# Checking stops soon after this many problems: a small file of broken items costs no minutes.
MAX_PROBLEMS = 200
# `validate` warns about entries whose facts were last checked longer ago than this.
STALE_AFTER_DAYS = 365


@dataclass(frozen=True, slots=True)
class CatalogueFile:
    """One file that feeds the catalogue: the built-in one or an overlay."""

    path: Path
    label: str
    builtin: bool = False
    # Where painref found it: built-in, config (the user's catalog.d), PAINREF_CATALOG or --catalog.
    origin: str = "built-in"


def builtin_file() -> CatalogueFile:
    """The catalogue shipped in the package; its text is read through importlib.resources.

    The path here only names the file and identifies it for the cache: it is where
    importlib.resources finds it for any installed package on disk. Importing
    importlib.resources costs ~3 ms, so warm runs (cache hits) skip it. Where the package
    is not on disk (a zip), the path does not exist, nothing is cached, and the resource
    is still read.
    """
    path = Path(__file__).parent / "data" / "procedures.yaml"
    return CatalogueFile(path, str(path), builtin=True)


def config_dir(env: Mapping[str, str]) -> Path | None:
    """The user's catalogue folder: $XDG_CONFIG_HOME/painref/catalog.d (~/.config/... by default).

    A relative XDG_CONFIG_HOME is ignored, as the XDG spec says; with no home either (no HOME
    and no passwd entry), there is no such folder.
    """
    base = cache.absolute(env.get("XDG_CONFIG_HOME"))
    if base is None and (home := cache.home_dir()) is not None:
        base = home / ".config"
    return base / "painref" / "catalog.d" if base is not None else None


def catalogue_files(overlays: Sequence[Path] = (), env: Mapping[str, str] | None = None) -> list[CatalogueFile]:
    """Every file in precedence order, later ones winning: the built-in catalogue, the user's
    catalog.d/*.yaml (sorted by name), PAINREF_CATALOG's files, then --catalog's."""
    environ = os.environ if env is None else env
    folder = config_dir(environ)
    try:
        configured = (
            sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and not p.name.startswith("."))
            if folder is not None
            else []
        )
    except OSError:  # no folder (the usual case), or one that cannot be read
        configured = []
    from_env = [Path(p) for p in environ.get(ENV_CATALOG, "").split(os.pathsep) if p.strip()]
    return [
        builtin_file(),
        *(CatalogueFile(p, str(p), origin="config") for p in configured),
        *(CatalogueFile(p, str(p), origin=ENV_CATALOG) for p in from_env),
        *(CatalogueFile(p, str(p), origin="--catalog") for p in overlays),
    ]


def translation_files(env: Mapping[str, str]) -> list[Path]:
    """The languages' text files: the built-in data/i18n/*.yaml, then the user's i18n/*.yaml
    beside catalog.d (a clinic adds a language, or its own wording, with one file)."""
    builtin = sorted((Path(__file__).parent / "data" / "i18n").glob("*.yaml"))
    folder = config_dir(env)
    try:
        own = sorted(p for p in (folder.parent / "i18n").iterdir() if p.suffix in (".yaml", ".yml")) if folder else []
    except OSError:  # no folder (the usual case)
        own = []
    return [*builtin, *own]


def _translations(paths: Sequence[Path]) -> dict[str, dict[str, Any]]:
    """Translated fields by language and key: entry ids, "condition/option", "guide:ID", "checklist"."""
    found: dict[str, dict[str, Any]] = {}
    for path in paths:
        document = parse(read_text(CatalogueFile(path, str(path))), str(path))
        if not isinstance(document, dict) or not isinstance(document.get("language"), str):
            raise CatalogueError(f"{path}: a translation file needs a 'language' code such as es")
        keyed = found.setdefault(document["language"], {})
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


def schema_file() -> Path:
    """The JSON Schema for catalogue files, shipped beside the built-in catalogue."""
    return Path(__file__).parent / "data" / "catalog.schema.json"


def read_text(source: CatalogueFile) -> str:
    """A catalogue file's text, or one clear sentence about why it cannot be read."""
    return decode(source, read_bytes(source))


def decode(source: CatalogueFile, data: bytes | bytearray) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise CatalogueError(f"catalogue file '{source.label}' is not valid UTF-8 (byte {error.start})") from None


def read_bytes(source: CatalogueFile) -> bytes | bytearray:
    """A catalogue file's bytes, at most MAX_FILE_BYTES of them, from a regular file only.

    The file is opened without blocking and checked with fstat before a byte is read, so a FIFO
    with no writer, a device or a socket is refused at once; the size is what was actually read
    (MAX_FILE_BYTES + 1 at most), not what stat says, so a file that gives more than it claims
    (like those in /proc) cannot run on. The bytes are read into one buffer of the size stat
    gave, so a 228 MB catalogue costs 228 MB here, not twice that.
    """
    if source.builtin:
        return _builtin_bytes()
    with _regular(source) as (handle, claimed):
        try:
            buffer = bytearray(min(claimed, MAX_FILE_BYTES) + 1)
            size = 0
            with memoryview(buffer) as view:
                while size < len(buffer) and (count := handle.readinto(view[size:])):
                    size += count
            del buffer[size:]
            while size <= MAX_FILE_BYTES and (chunk := handle.read(min(2**20, MAX_FILE_BYTES + 1 - size))):
                buffer += chunk  # more than stat claimed
                size += len(chunk)
        except OSError as error:
            raise CatalogueError(f"catalogue file '{source.label}' cannot be read: {error.strerror or error}") from None
    if size > MAX_FILE_BYTES:
        raise CatalogueError(f"catalogue '{source.label}' is larger than {MAX_FILE_BYTES // 2**20} MiB")
    return buffer


def file_checksum(source: CatalogueFile) -> int:
    """cache.checksum of a catalogue file's bytes, read a megabyte at a time (no copy of the file)."""
    if source.builtin:
        return cache.checksum(_builtin_bytes())
    value = 0
    with _regular(source) as (handle, _):
        try:
            size = 0
            while size <= MAX_FILE_BYTES and (chunk := handle.read(2**20)):
                value = cache.checksum(chunk, value)
                size += len(chunk)
        except OSError as error:
            raise CatalogueError(f"catalogue file '{source.label}' cannot be read: {error.strerror or error}") from None
    return value


@contextlib.contextmanager
def _regular(source: CatalogueFile) -> Iterator[tuple[io.FileIO, int]]:
    """An unbuffered reader of a regular file and the size it claims, or one sentence why not."""
    label = source.label
    try:
        descriptor = os.open(source.path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        raise CatalogueError(f"catalogue file '{label}' does not exist") from None
    except PermissionError:
        raise CatalogueError(f"catalogue file '{label}' cannot be read: permission denied") from None
    except OSError as error:
        raise CatalogueError(f"catalogue file '{label}' cannot be read: {error.strerror or error}") from None
    try:
        status = os.fstat(descriptor)
        if stat.S_ISDIR(status.st_mode):
            raise CatalogueError(f"catalogue '{label}' is a directory, not a YAML file")
        if not stat.S_ISREG(status.st_mode):
            raise CatalogueError(
                f"catalogue '{label}' is not a regular file (a pipe, device or socket); save it to a file first"
            )
        if status.st_size > MAX_FILE_BYTES:  # refused before reading; reading is bounded anyway
            raise CatalogueError(f"catalogue '{label}' is larger than {MAX_FILE_BYTES // 2**20} MiB")
    except BaseException:
        os.close(descriptor)
        raise
    with io.FileIO(descriptor, "rb", closefd=True) as handle:
        yield handle, status.st_size


def _builtin_bytes() -> bytes:
    from importlib.resources import files

    return files("painref").joinpath("data", "procedures.yaml").read_bytes()


class Checked(NamedTuple):
    """What the pipeline found: every problem, located, and the merged catalogue."""

    issues: list[Issue]
    merged: Merged | None
    version: str
    # True when checking stopped after MAX_PROBLEMS problems: there are more than `issues` shows.
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
            data = read_bytes(source)
            if witnessed is not None:
                witnessed.append([cache.checksum(data), read_ns])
            text = decode(source, data)
            del data  # the text is what is parsed; holding both would double the peak
            document = parse(text, source.label)
        except CatalogueError as error:
            if witnessed is not None and len(witnessed) == number:
                witnessed.append([None, read_ns])
            if not thorough:
                raise
            issues.append(_error_issue(source.label, error.message))
            continue
        texts[source.label] = text
        problems = check_document(document, source.label, limit=MAX_PROBLEMS)
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
        if len(issues) > MAX_PROBLEMS:
            break
    merged: Merged | None = None
    if len(issues) <= MAX_PROBLEMS and (thorough or not issues):
        merged = merge(documents)
        issues += merged.issues + check_drafts(merged.drafts) + check_indications(merged.indications, merged.drafts)
        if thorough:
            issues += alias_warnings(merged.drafts) + stale_warnings(merged.drafts, today or date.today(), stale_after)
            builtin = frozenset(source.label for source in files if source.builtin)
            issues += readability_warnings(merged.drafts, skip=builtin)
    truncated = len(issues) > MAX_PROBLEMS
    return Checked(_located(issues[:MAX_PROBLEMS], texts, positions), merged, version, truncated)


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
        Issue(file, (), f"key '{key}' is given twice in one mapping", line=line, col=col)
        for key, line, col in positions.repeated_keys()
    ]


def _problems_sentence(errors: Sequence[Issue], truncated: bool = False) -> str:
    first = errors[0]
    if len(errors) == 1 and not truncated:
        return f"the catalogue is invalid: {first}"
    count = f"more than {len(errors)}" if truncated else str(len(errors))
    return f"the catalogue has {count} problems, the first at {first}; run 'painref validate' to see them all"


def load(
    overlays: Sequence[Path] = (), env: Mapping[str, str] | None = None, language: str = ENGLISH
) -> index.IndexCatalogue:
    """The merged catalogue, or CatalogueError with one sentence naming the first problem.

    A warm run opens the compiled index built for exactly these files; otherwise the files are
    parsed, validated and merged, and the index is rebuilt (in memory when caching is off).
    """
    environ = os.environ if env is None else env
    files = catalogue_files(overlays, environ)
    languages = translation_files(environ)
    key = cache.file_key([*(source.path for source in files), *languages])
    slot = cache.slot(cache.cache_dir(environ), key, "catalogue", ".sqlite")
    compiled = _fresh_index(files, key, slot)
    if compiled is None:
        with cache.building(slot):  # concurrent cold runs build once; the others wait, then open it
            compiled = _fresh_index(files, key, slot)
            if compiled is None:
                data, witnessed = _compiled_data(files)
                data["translations"] = _translations(languages)
                compiled = index.build(data, key, slot, _settled(files, key, witnessed))
    return index.IndexCatalogue(compiled, [source.label for source in files], language)


def _fresh_index(files: Sequence[CatalogueFile], key: list[Any] | None, slot: Path | None) -> index.Index | None:
    """The cached index for these files if it exists and they have not changed since it was built."""
    compiled = index.open_existing(slot, key)
    if compiled is not None and not _unchanged(files, key, compiled.meta("fresh")):
        compiled.db.close()
        return None
    return compiled


def _unchanged(files: Sequence[CatalogueFile], key: list[Any] | None, witnessed: Any) -> bool:
    """Whether files whose identity matches the key also kept their content: a file modified too
    close to when it was read for the cache (cache.racy) is read again and its checksum compared.
    Files modified long before are trusted by identity alone, so a warm run reads no YAML."""
    if key is None or not isinstance(witnessed, list) or len(witnessed) != len(files):
        return False
    for source, identity, seen in zip(files, key[2:], witnessed, strict=False):
        if not (isinstance(seen, list) and len(seen) == 2 and isinstance(seen[1], int)):
            return False
        if cache.racy(identity, seen[1]):
            try:
                if seen[0] is None or file_checksum(source) != seen[0]:
                    return False
            except CatalogueError:
                return False
    return True


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
                same = again is not None and again[2] == identity and file_checksum(source) == seen[0]
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


class Verdict(NamedTuple):
    """What `validate` found: every problem, the files read, and how many of each thing they hold."""

    issues: list[Issue]
    files: list[str]
    counts: dict[str, int]
    # True when checking stopped after MAX_PROBLEMS problems.
    truncated: bool = False


def validate_files(
    paths: Sequence[Path] = (),
    overlays: Sequence[Path] = (),
    env: Mapping[str, str] | None = None,
    *,
    stale_after: int = STALE_AFTER_DAYS,
    today: date | None = None,
) -> Verdict:
    """Every problem (and warning) in the catalogue built from the given files, located.

    With no paths, the effective catalogue is checked: built-in plus configured overlays.
    With paths, they are checked as overlays on top of the built-in catalogue. The verdict is
    cached like the catalogue, keyed by every file's identity, so re-checking unchanged files
    is instant and an edited file is always checked afresh.
    """
    environ = os.environ if env is None else env
    files = (
        [builtin_file(), *(CatalogueFile(p, str(p)) for p in paths)] if paths else catalogue_files(overlays, environ)
    )
    labels = [source.label for source in files]
    day = today or date.today()
    key = cache.file_key([source.path for source in files])
    if key is not None:  # staleness depends on the day and the limit, so they are part of the key
        key[1] = [key[1], day.isoformat(), stale_after]
    slot = cache.slot(cache.cache_dir(environ), key, "validated", ".json")
    stored = cache.read_json(slot, key)
    if (
        stored is not None
        and isinstance(stored.get("issues"), list)
        and isinstance(stored.get("counts"), dict)
        and _unchanged(files, key, stored.get("fresh"))
    ):
        issues = [Issue(f, (), m, Severity(s), line=ln, col=c) for f, ln, c, m, s in stored["issues"]]
        return Verdict(issues, labels, stored["counts"], bool(stored.get("truncated")))
    witnessed: list[list[Any]] = []
    checked = check(files, thorough=True, today=day, stale_after=stale_after, witnessed=witnessed)
    drafts = checked.merged.drafts if checked.merged else {}
    counts = {kind.plural: sum(1 for draft in drafts.values() if draft.kind is kind) for kind in Kind}
    counts["indications"] = len(checked.merged.indications) if checked.merged else 0
    counts["guide topics"] = len(checked.merged.guide) if checked.merged else 0
    rows = [[i.file, i.line, i.col, i.message, i.severity.value] for i in checked.issues]
    fresh = _settled(files, key, witnessed) if len(witnessed) == len(files) else None
    cache.write_json(slot, key, {"issues": rows, "counts": counts, "truncated": checked.truncated, "fresh": fresh})
    return Verdict(checked.issues, labels, counts, checked.truncated)


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
