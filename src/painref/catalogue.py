"""Load the built-in catalogue and overlays, merge them by id and derive reverse relations."""

from __future__ import annotations

import contextlib
import json
import os
import re
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from painref import __version__
from painref.errors import CatalogueError
from painref.model import (
    Catalogue,
    Kind,
)
from painref.schema import CHECKLIST_FIELDS, GUIDE_FIELDS, SECTION_KINDS

if TYPE_CHECKING:
    import yaml

    from painref.validate import Draft, Issue

ENV_CATALOG = "PAINREF_CATALOG"
ENV_CACHE_DIR = "PAINREF_CACHE_DIR"
ENV_NO_CACHE = "PAINREF_NO_CACHE"
# Bump when the loader's output for the same file would change.
CACHE_FORMAT = 3
# Larger files are refused before parsing: 50,000 entries as full as the built-in ones take ~230 MB.
MAX_FILE_BYTES = 256 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class CatalogueFile:
    """One file that feeds the catalogue: the built-in one or an overlay."""

    path: Path
    label: str
    builtin: bool = False
    # Where painref found it: built-in, config (the user's catalog.d), PAINREF_CATALOG or --catalog.
    origin: str = "built-in"


@cache
def yaml_loader() -> type[yaml.SafeLoader]:
    """PyYAML's safe loader (the C one where present) that keeps dates as plain text."""
    import yaml

    base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    resolvers = {
        first: [(tag, regexp) for tag, regexp in pairs if tag != "tag:yaml.org,2002:timestamp"]
        for first, pairs in base.yaml_implicit_resolvers.items()
    }
    return type("PainrefLoader", (base,), {"yaml_implicit_resolvers": resolvers})


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


def schema_file() -> Path:
    """The JSON Schema for catalogue files, shipped beside the built-in catalogue."""
    return Path(__file__).parent / "data" / "catalog.schema.json"


def cache_dir(env: Mapping[str, str]) -> Path | None:
    if env.get(ENV_NO_CACHE):
        return None
    if env.get(ENV_CACHE_DIR):
        return Path(env[ENV_CACHE_DIR])
    base = env.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "painref"


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


def parse(text: str, label: str) -> object:
    """Parse YAML safely and fast; any problem becomes one `path:line:col: message` sentence.

    libyaml (PyYAML's C parser) reads the events and `_construct` builds plain dicts, lists and
    scalars from them, about six times faster than PyYAML's constructor (13 s to 2 s for a
    10,000-entry file). Plain scalars are read as in `_plain`; dates stay text. Only standard
    tags are accepted, so nothing is ever executed, and anchors and aliases are refused: a few
    lines of them (a "billion laughs") can stand for gigabytes once expanded, and a catalogue
    never needs them.
    """
    import yaml

    try:
        return _construct(yaml.parse(text, Loader=yaml_loader()), label)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f"{label}:{mark.line + 1}:{mark.column + 1}" if mark else label
        raise CatalogueError(f"{where}: invalid YAML: {error.problem or error.context}") from None
    except (yaml.YAMLError, RecursionError) as error:
        raise CatalogueError(f"{label}: invalid YAML: {error}") from None


_YAML_TAG = "tag:yaml.org,2002:"
# Numbers only where both YAML 1.1 (PyYAML, which writes many catalogue files) and YAML 1.2
# (editors) read a number, so text another tool wrote unquoted is never misread: 12, -3, 0x1F,
# 1.5, 1.5e+3, .inf. Booleans and null are the 1.2 words only: yes, no and on stay text.
_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)|0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+][0-9]+)?")
_WORDS: dict[str, object] = {
    **dict.fromkeys(("true", "True", "TRUE"), True),
    **dict.fromkeys(("false", "False", "FALSE"), False),
    **dict.fromkeys(("null", "Null", "NULL", "~", ""), None),
    **dict.fromkeys((".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"), float("inf")),
    **dict.fromkeys(("-.inf", "-.Inf", "-.INF"), float("-inf")),
    **dict.fromkeys((".nan", ".NaN", ".NAN"), float("nan")),
}


def _plain(value: str) -> object:
    """A plain (unquoted) scalar: true/false, null, a number, or text."""
    if value in _WORDS:
        return _WORDS[value]
    if value[0] in "0123456789-+.":
        if _INT.fullmatch(value):
            return int(value, 16) if value.startswith("0x") else int(value)
        if _FLOAT.fullmatch(value):
            return float(value)
    return value


def _scalar(event: Any, label: str) -> object:
    tag = event.tag
    if tag is None or tag == "!":
        return _plain(event.value) if not event.style and event.implicit[0] else event.value
    name = tag.removeprefix(_YAML_TAG) if tag.startswith(_YAML_TAG) else ""
    if name == "str":
        return event.value
    value = _plain(event.value) if name in ("int", "float", "bool", "null") else _MISSING
    if (
        (name == "int" and type(value) is int)
        or (name == "float" and type(value) in (int, float))
        or (name == "bool" and type(value) is bool)
        or (name == "null" and value is None)
    ):
        return value
    raise _event_error(event, label, f"the tag {_shown(tag)} is not allowed here; use plain text, numbers or lists")


_MISSING = object()


def _shown(tag: str) -> str:
    """A tag as it was written: `!!python/object`, not `tag:yaml.org,2002:python/object`."""
    return "!!" + tag.removeprefix(_YAML_TAG) if tag.startswith(_YAML_TAG) else tag


def _event_error(event: Any, label: str, message: str) -> CatalogueError:
    mark = event.start_mark
    return CatalogueError(f"{label}:{mark.line + 1}:{mark.column + 1}: {message}")


def _anchor_error(event: Any, label: str) -> CatalogueError:
    return _event_error(
        event, label, "YAML anchors and aliases (&name, *name) are not allowed in catalogue files; write the value out"
    )


def _construct(events: Any, label: str) -> object:
    """Build the document from parser events with an explicit stack, so depth never recurses."""
    import yaml

    root: object = None
    documents = 0
    # Open containers, each with the mapping key waiting for its value (or `_MISSING`).
    stack: list[list[Any]] = []
    for event in events:
        kind = type(event)
        if kind is yaml.ScalarEvent:
            if event.anchor is not None:
                raise _anchor_error(event, label)
            node: object = _scalar(event, label)
        elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
            if event.anchor is not None:
                raise _anchor_error(event, label)
            expected = _YAML_TAG + ("map" if kind is yaml.MappingStartEvent else "seq")
            if event.tag not in (None, "!", expected):
                raise _event_error(event, label, f"the tag {_shown(event.tag)} is not allowed in catalogue files")
            node = {} if kind is yaml.MappingStartEvent else []
        elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            stack.pop()
            continue
        elif kind is yaml.AliasEvent:
            raise _anchor_error(event, label)
        elif kind is yaml.DocumentStartEvent:
            documents += 1
            if documents > 1:
                raise _event_error(event, label, "invalid YAML: expected one document, found a second ('---')")
            continue
        else:  # stream start and end, document end
            continue
        if stack:
            top = stack[-1]
            parent, key = top
            if isinstance(parent, list):
                parent.append(node)
            elif key is _MISSING:
                if isinstance(node, dict | list):
                    raise _event_error(event, label, "invalid YAML: a mapping key must be text, not a list or mapping")
                top[1] = node
            else:
                parent[key] = node  # a repeated key keeps its last value, as PyYAML does; validate reports it
                top[1] = _MISSING
        else:
            root = node
        if isinstance(node, dict | list):
            stack.append([node, _MISSING])
    return root


class _Cache:
    """The merged, validated catalogue stored as JSON, keyed by the identity of every file it came from.

    A warm run reads one JSON file instead of parsing YAML and validating; the key holds each file's
    device, inode, size, modification and change times, so an edited file can never be served stale.
    """

    def __init__(self, directory: Path | None, name: str = "catalogue", suffix: str = ".json") -> None:
        self.directory = directory
        self.name = name
        self.suffix = suffix

    @staticmethod
    def key(files: Sequence[CatalogueFile]) -> list[Any] | None:
        identities: list[Any] = [CACHE_FORMAT, __version__]
        for source in files:
            try:
                st = source.path.stat()
            except OSError:
                return None
            path = str(source.path.resolve())
            identities.append([path, st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns])
        return identities

    def slot(self, key: list[Any]) -> Path | None:
        if self.directory is None:
            return None
        # Named by the files' paths only: an edited file reuses its slot instead of adding one.
        paths = json.dumps([identity[0] for identity in key[2:]])
        return self.directory / f"{self.name}-{zlib.crc32(paths.encode()):08x}{self.suffix}"

    def get(self, key: list[Any] | None) -> dict[str, Any] | None:
        slot = self.slot(key) if key else None
        if slot is None:
            return None
        try:
            with slot.open("rb") as handle:
                stored = json.load(handle)
        except (OSError, ValueError):
            return None
        merged = stored.get("merged") if isinstance(stored, dict) and stored.get("key") == key else None
        return merged if isinstance(merged, dict) else None

    def put(self, key: list[Any] | None, merged: Mapping[str, Any]) -> None:
        slot = self.slot(key) if key else None
        if slot is None:
            return
        temporary = slot.with_name(f".{slot.name}.{os.getpid()}.tmp")
        try:
            slot.parent.mkdir(parents=True, exist_ok=True)
            temporary.write_text(json.dumps({"key": key, "merged": merged}), encoding="utf-8")
            temporary.replace(slot)  # atomic: readers see the old file or the new one
        except (OSError, TypeError, ValueError):
            # A cache that cannot be written only costs speed; never fail a command over it.
            with contextlib.suppress(OSError):
                temporary.unlink(missing_ok=True)


def _merge(
    documents: Sequence[tuple[str, Any]],
) -> tuple[dict[str, Draft], dict[str, Draft], Draft | None, list[Issue]]:
    """Merge documents in order: a known id takes the keys an overlay gives, a new id adds an entry."""
    from painref.validate import EXTEND, Draft, Issue, missing_keys

    drafts: dict[str, Draft] = {}
    guide: dict[str, Draft] = {}
    checklist: Draft | None = None
    issues: list[Issue] = []
    for file, document in documents:
        for section, kind in SECTION_KINDS.items():
            for index, item in enumerate(document.get(section) or ()):
                loc = (section, index)
                existing = drafts.get(item["id"])
                if existing is None:
                    drafts[item["id"]] = Draft(kind, _extended({}, item), file, loc)
                elif existing.kind is not kind:
                    issues.append(
                        Issue(
                            file,
                            (*loc, "id"),
                            f"id '{item['id']}' is already a {existing.kind.value}; ids are unique across kinds",
                        )
                    )
                else:
                    existing.data = _extended(existing.data, item)
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
    for draft in guide.values():
        issues += missing_keys(draft.data, GUIDE_FIELDS, draft.file, draft.loc, f"guide section '{draft.data['id']}'")
    if checklist is not None:
        issues += missing_keys(checklist.data, CHECKLIST_FIELDS, checklist.file, checklist.loc, "the checklist")
    return drafts, guide, checklist, issues


def _extended(data: Mapping[str, Any], patch: Mapping[str, Any]) -> dict[str, Any]:
    """`data` with a patch applied: plain keys replace, then `key+` keys append the items not already there."""
    from painref.validate import EXTEND

    merged = dict(data)
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


def _problems_sentence(errors: Sequence[Issue]) -> str:
    first = errors[0]
    if len(errors) == 1:
        return f"the catalogue is invalid: {first}"
    return f"the catalogue has {len(errors)} problems, the first at {first}; run 'painref validate' to see them all"


def load(overlays: Sequence[Path] = (), env: Mapping[str, str] | None = None) -> Catalogue:
    """The merged catalogue, or CatalogueError with one sentence naming the first problem.

    A warm run opens the compiled index built for exactly these files; otherwise the files are
    parsed, validated and merged, and the index is rebuilt (in memory when caching is off).
    """
    from painref import index

    environ = os.environ if env is None else env
    files = catalogue_files(overlays, environ)
    store = _Cache(cache_dir(environ), suffix=".sqlite")
    key = store.key(files)
    slot = store.slot(key) if key else None
    compiled = index.open_existing(slot, key)
    if compiled is None:
        compiled = index.build(_load_fresh(files), key, slot)
    return Catalogue(compiled, [source.label for source in files])


def _load_fresh(files: Sequence[CatalogueFile]) -> dict[str, Any]:
    """Parse and validate every file, then merge them: the slow path a cache hit skips."""
    from painref.validate import Severity, check_document, check_drafts, locate

    documents: list[tuple[str, Any]] = []
    issues: list[Issue] = []
    texts: dict[str, str] = {}
    for source in files:
        text = texts[source.label] = read_text(source)
        document = parse(text, source.label)
        problems = check_document(document, source.label)
        issues += problems
        if not problems:
            documents.append((source.label, document))
    if not issues:
        drafts, guide, checklist, merge_issues = _merge(documents)
        issues += merge_issues + check_drafts(drafts)
    # Later files add synonyms or give a phrase a new meaning.
    synonyms = {str(k): v for _, document in documents for k, v in (document.get("synonyms") or {}).items()}
    errors = [issue for issue in issues if issue.severity is Severity.ERROR]
    if errors:
        raise CatalogueError(_problems_sentence(locate(errors, texts)))
    return {
        "version": str(documents[0][1].get("version", "unknown")),
        "entries": [[draft.kind.value, draft.data] for draft in drafts.values()],
        "guide": [draft.data for draft in guide.values()],
        "checklist": checklist.data if checklist is not None else None,
        "synonyms": synonyms,
    }


class Verdict(NamedTuple):
    """What `validate` found: every problem, the files read, and how many of each thing they hold."""

    issues: list[Issue]
    files: list[str]
    counts: dict[str, int]


# `validate` warns about entries whose facts were last checked longer ago than this.
STALE_AFTER_DAYS = 365


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
    from painref.validate import Issue, Severity

    environ = os.environ if env is None else env
    files = (
        [builtin_file(), *(CatalogueFile(p, str(p)) for p in paths)] if paths else catalogue_files(overlays, environ)
    )
    labels = [source.label for source in files]
    store = _Cache(cache_dir(environ), name="validated")
    day = today or date.today()
    key = store.key(files)
    if key is not None:  # staleness depends on the day and the limit, so they are part of the key
        key[1] = [key[1], day.isoformat(), stale_after]
    stored = store.get(key)
    if stored is not None and isinstance(stored.get("issues"), list) and isinstance(stored.get("counts"), dict):
        issues = [Issue(f, (), m, Severity(s), line=ln, col=c) for f, ln, c, m, s in stored["issues"]]
        return Verdict(issues, labels, stored["counts"])
    issues, counts = _check_files(files, day, stale_after)
    rows = [[i.file, i.line, i.col, i.message, i.severity.value] for i in issues]
    store.put(key, {"issues": rows, "counts": counts})
    return Verdict(issues, labels, counts)


def _check_files(files: Sequence[CatalogueFile], today: date, stale_after: int) -> tuple[list[Issue], dict[str, int]]:
    from painref.validate import (
        alias_warnings,
        check_document,
        check_drafts,
        duplicate_keys,
        locate,
        stale_warnings,
    )

    documents: list[tuple[str, Any]] = []
    issues: list[Issue] = []
    texts: dict[str, str] = {}
    for source in files:
        try:
            text = read_text(source)
            document = parse(text, source.label)
        except CatalogueError as error:
            issues.append(_error_issue(source.label, error.message))
            continue
        texts[source.label] = text
        issues += check_document(document, source.label) + duplicate_keys(text, source.label)
        if isinstance(document, dict):
            documents.append((source.label, _well_formed(document)))
    drafts, guide, _checklist, merge_issues = _merge(documents)
    issues += merge_issues + check_drafts(drafts) + alias_warnings(drafts) + stale_warnings(drafts, today, stale_after)
    counts = {kind.plural: sum(1 for draft in drafts.values() if draft.kind is kind) for kind in Kind}
    counts["guide topics"] = len(guide)
    return locate(issues, texts), counts


def _error_issue(label: str, message: str) -> Issue:
    """An Issue from a CatalogueError sentence, keeping a line:col it already names."""
    from painref.validate import Issue

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
