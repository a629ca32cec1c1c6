"""Compile the catalogue: the one read → parse → check → merge pipeline behind loading and `validate`.

Only a cache miss (or `validate`) needs this module, so a warm run never imports the parser, the
validator or the merger: the CLI imports it when painref.catalogue.open_cached finds no current index.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

from painref import cache, catalogue, i18n, index
from painref.catalogue import CatalogueFile
from painref.errors import CatalogueError
from painref.i18n import ENGLISH, N_, _
from painref.merge import Merged, linked, merge, with_backlinks
from painref.model import Kind
from painref.schema import SECTION_KINDS
from painref.validate import (
    English,
    Issue,
    Severity,
    alias_warnings,
    check_document,
    check_drafts,
    check_indications,
    check_translation,
    readability_warnings,
    stale_warnings,
)
from painref.yamlio import Positions, parse


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
            data, witnessed = _compiled_data(files)
            data["translations"] = _translations(found.languages)
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
            document = parse(text, source.label)
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
