"""Find the catalogue's files, read them, and run the one check → merge pipeline behind loading and `validate`."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
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


def config_dir(env: Mapping[str, str]) -> Path:
    """The user's catalogue folder: $XDG_CONFIG_HOME/painref/catalog.d (~/.config/... by default)."""
    base = env.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "painref" / "catalog.d"


def catalogue_files(overlays: Sequence[Path] = (), env: Mapping[str, str] | None = None) -> list[CatalogueFile]:
    """Every file in precedence order, later ones winning: the built-in catalogue, the user's
    catalog.d/*.yaml (sorted by name), PAINREF_CATALOG's files, then --catalog's."""
    environ = os.environ if env is None else env
    folder = config_dir(environ)
    try:
        configured = sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and not p.name.startswith("."))
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
    try:
        own = sorted(p for p in (config_dir(env).parent / "i18n").iterdir() if p.suffix in (".yaml", ".yml"))
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
    return found


def schema_file() -> Path:
    """The JSON Schema for catalogue files, shipped beside the built-in catalogue."""
    return Path(__file__).parent / "data" / "catalog.schema.json"


def read_text(source: CatalogueFile) -> str:
    """A catalogue file's text, or one clear sentence about why it cannot be read."""
    label = source.label
    try:
        if not source.builtin:
            if source.path.is_dir():
                raise CatalogueError(f"catalogue '{label}' is a directory, not a YAML file")
            if source.path.stat().st_size > MAX_FILE_BYTES:
                raise CatalogueError(f"catalogue '{label}' is larger than {MAX_FILE_BYTES // 2**20} MiB")
        data = _builtin_bytes() if source.builtin else source.path.read_bytes()
    except FileNotFoundError:
        raise CatalogueError(f"catalogue file '{label}' does not exist") from None
    except PermissionError:
        raise CatalogueError(f"catalogue file '{label}' cannot be read: permission denied") from None
    except OSError as error:
        raise CatalogueError(f"catalogue file '{label}' cannot be read: {error.strerror or error}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise CatalogueError(f"catalogue file '{label}' is not valid UTF-8 (byte {error.start})") from None


def _builtin_bytes() -> bytes:
    from importlib.resources import files

    return files("painref").joinpath("data", "procedures.yaml").read_bytes()


class Checked(NamedTuple):
    """What the pipeline found: every problem, located, and the merged catalogue."""

    issues: list[Issue]
    merged: Merged | None
    version: str


def check(
    files: Sequence[CatalogueFile], *, thorough: bool, today: date | None = None, stale_after: int = 0
) -> Checked:
    """Read, parse, check and merge the files: the one pipeline behind loading and `validate`.

    Loading (`thorough` False) stops at the first file that cannot be read and merges only when
    every file is well formed. `validate` (`thorough` True) goes on past every problem to report
    them all, merges what is well formed, and adds warnings (repeated keys are errors there,
    shared aliases and stale dates are warnings).
    """
    documents: list[tuple[str, dict[str, Any]]] = []
    issues: list[Issue] = []
    texts: dict[str, str] = {}
    version = "unknown"
    for number, source in enumerate(files):
        try:
            text = read_text(source)
            document = parse(text, source.label)
        except CatalogueError as error:
            if not thorough:
                raise
            issues.append(_error_issue(source.label, error.message))
            continue
        texts[source.label] = text
        problems = check_document(document, source.label)
        if thorough:
            problems += _repeated_keys(text, source.label)
            if isinstance(document, dict):
                documents.append((source.label, _well_formed(document)))
        elif not problems:
            documents.append((source.label, document))  # type: ignore[arg-type]  # checked: a mapping
        issues += problems
        if number == 0 and isinstance(document, dict):
            version = str(document.get("version", "unknown"))
    merged: Merged | None = None
    if thorough or not issues:
        merged = merge(documents)
        issues += merged.issues + check_drafts(merged.drafts) + check_indications(merged.indications, merged.drafts)
        if thorough:
            issues += alias_warnings(merged.drafts) + stale_warnings(merged.drafts, today or date.today(), stale_after)
            builtin = frozenset(source.label for source in files if source.builtin)
            issues += readability_warnings(merged.drafts, skip=builtin)
    return Checked(_located(issues, texts), merged, version)


def _located(issues: Sequence[Issue], texts: Mapping[str, str]) -> list[Issue]:
    """Each issue with the line and column of what it names, sorted by place."""
    positions: dict[str, Positions] = {}
    located: list[Issue] = []
    for issue in issues:
        if issue.loc or (issue.line, issue.col) == (1, 1):
            where = positions.setdefault(issue.file, Positions(texts.get(issue.file))).of(issue.loc)
            issue = replace(issue, line=where[0], col=where[1]) if where else issue
        located.append(issue)
    return sorted(located, key=lambda i: (i.file, i.line, i.col))


def _repeated_keys(text: str, file: str) -> list[Issue]:
    return [
        Issue(file, (), f"key '{key}' is given twice in one mapping", line=line, col=col)
        for key, line, col in Positions(text).repeated_keys()
    ]


def _problems_sentence(errors: Sequence[Issue]) -> str:
    first = errors[0]
    if len(errors) == 1:
        return f"the catalogue is invalid: {first}"
    return f"the catalogue has {len(errors)} problems, the first at {first}; run 'painref validate' to see them all"


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
    compiled = index.open_existing(slot, key)
    if compiled is None:
        compiled = index.build({**_compiled_data(files), "translations": _translations(languages)}, key, slot)
    return index.IndexCatalogue(compiled, [source.label for source in files], language)


def _compiled_data(files: Sequence[CatalogueFile]) -> dict[str, Any]:
    """The merged catalogue as the index stores it: the slow path a cache hit skips."""
    checked = check(files, thorough=False)
    errors = [issue for issue in checked.issues if issue.severity is Severity.ERROR]
    if errors or checked.merged is None:
        raise CatalogueError(_problems_sentence(errors))
    merged = checked.merged
    indications = [draft.data for draft in merged.indications.values()]
    entries = linked([(draft.kind, draft.data) for draft in merged.drafts.values()], indications)
    return {
        "version": checked.version,
        "trust": merged.trust,
        "indications": indications,
        "entries": with_backlinks(entries),
        "guide": [draft.data for draft in merged.guide.values()],
        "checklist": merged.checklist.data if merged.checklist is not None else None,
        "synonyms": merged.synonyms,
    }


class Verdict(NamedTuple):
    """What `validate` found: every problem, the files read, and how many of each thing they hold."""

    issues: list[Issue]
    files: list[str]
    counts: dict[str, int]


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
    if stored is not None and isinstance(stored.get("issues"), list) and isinstance(stored.get("counts"), dict):
        issues = [Issue(f, (), m, Severity(s), line=ln, col=c) for f, ln, c, m, s in stored["issues"]]
        return Verdict(issues, labels, stored["counts"])
    checked = check(files, thorough=True, today=day, stale_after=stale_after)
    drafts = checked.merged.drafts if checked.merged else {}
    counts = {kind.plural: sum(1 for draft in drafts.values() if draft.kind is kind) for kind in Kind}
    counts["indications"] = len(checked.merged.indications) if checked.merged else 0
    counts["guide topics"] = len(checked.merged.guide) if checked.merged else 0
    rows = [[i.file, i.line, i.col, i.message, i.severity.value] for i in checked.issues]
    cache.write_json(slot, key, {"issues": rows, "counts": counts})
    return Verdict(checked.issues, labels, counts)


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
