"""Name resolution and ranked search: pure functions over the model."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from functools import cache
from typing import Generic, NamedTuple, TypeVar

from painref.errors import AmbiguousNameError, NotFoundError
from painref.model import AnyEntry, Catalogue, Condition, Kind, Procedure, Treatment
from painref.text import normalize

T = TypeVar("T")

_WORD = re.compile(r"[0-9a-z]+")
# Words too common in this domain to say anything about which entry is meant.
STOPWORDS = frozenset(
    {
        *("a", "an", "and", "are", "as", "at", "be", "by", "do", "for", "from", "how", "i", "in", "is", "it"),
        *("me", "my", "of", "on", "or", "the", "to", "what", "when", "where", "which", "who", "why", "with"),
    }
)
# A prefix must be this long before it may stand for a whole name.
MIN_PREFIX = 3
FUZZY_CUTOFF = 0.8


def words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


@cache
def stem(word: str) -> str:
    """A light stemmer for English plurals and verb forms: injections→injection, burning→burn."""
    if len(word) <= 4:
        return word
    for suffix, replacement in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", "e"), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "s" and word.endswith(("ss", "us", "is")):
                return word
            return word[: -len(suffix)] + replacement
    return word


class Named(NamedTuple, Generic[T]):
    """Something a user can name: its lookup keys in order of authority."""

    item: T
    id: str
    name: str
    aliases: tuple[str, ...]


def entry_names(entries: Iterable[AnyEntry]) -> list[Named[AnyEntry]]:
    return [Named(entry, entry.id, entry.name, entry.aliases) for entry in entries]


def _unique(items: Iterable[Named[T]]) -> list[Named[T]]:
    seen: set[str] = set()
    kept: list[Named[T]] = []
    for item in items:
        if item.id not in seen:
            seen.add(item.id)
            kept.append(item)
    return kept


def resolve(
    query: str,
    candidates: Sequence[Named[T]],
    *,
    what: str = "entry",
    suggest: Callable[[], list[str]] | None = None,
    otherwise: str = "",
) -> tuple[T, bool]:
    """The one item a name means: by id, name, alias, unique prefix, then typo-tolerant match.

    Returns the item and whether it was a fuzzy guess (worth telling the user).
    Raises AmbiguousNameError listing the candidates, or NotFoundError suggesting the closest
    names; when none is close, `suggest` may offer others, and `otherwise` is a last hint.
    """
    key = normalize(query)
    if not key:
        raise NotFoundError(f"'{query}' is not a name; give an id, a name or an abbreviation")
    steps: tuple[Callable[[Named[T]], bool], ...] = (
        lambda c: normalize(c.id) == key,
        lambda c: normalize(c.name) == key,
        lambda c: any(normalize(a) == key for a in c.aliases),
    )
    for matches in steps:
        found = _unique(c for c in candidates if matches(c))
        if len(found) == 1:
            return found[0].item, False
        if found:
            raise _ambiguous(query, found, what)
    if len(key) >= MIN_PREFIX:
        found = _unique(c for c in candidates if any(normalize(k).startswith(key) for k in (c.id, c.name, *c.aliases)))
        if len(found) == 1:
            return found[0].item, False
        if found:
            raise _ambiguous(query, found, what)
    ranked = _fuzzy(key, candidates)
    if ranked and ranked[0][0] >= FUZZY_CUTOFF:
        best = ranked[0][0]
        close = [c for score, c in ranked if score >= best - 0.02]
        if len(close) == 1:
            return close[0].item, True
        raise _ambiguous(query, close, what)
    suggestions = [c.name for score, c in ranked[:3] if score >= 0.55] or (suggest() if suggest else [])
    hint = f"; did you mean {_or_list(suggestions)}?" if suggestions else otherwise
    raise NotFoundError(f"no {what} named '{query}'{hint}")


def _fuzzy(key: str, candidates: Sequence[Named[T]]) -> list[tuple[float, Named[T]]]:
    from difflib import SequenceMatcher

    matcher = SequenceMatcher(autojunk=False)
    matcher.set_seq2(key)
    scored: list[tuple[float, Named[T]]] = []
    for candidate in _unique(candidates):
        best = 0.0
        for name in (candidate.id, candidate.name, *candidate.aliases):
            matcher.set_seq1(normalize(name))
            if matcher.real_quick_ratio() > best and matcher.quick_ratio() > best:
                best = max(best, matcher.ratio())
        scored.append((best, candidate))
    return sorted(scored, key=lambda pair: (-pair[0], pair[1].name))


def _or_list(names: Sequence[str]) -> str:
    quoted = [f"'{n}'" for n in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + f" or {quoted[-1]}"


def _ambiguous(query: str, found: Sequence[Named[T]], what: str) -> AmbiguousNameError:
    shown = [f"{c.name} ({c.id})" for c in found[:6]]
    more = f" and {len(found) - 6} more" if len(found) > 6 else ""
    plural = f"{what[:-1]}ies" if what.endswith("y") else f"{what}s"
    return AmbiguousNameError(f"'{query}' could mean {len(found)} {plural}: {', '.join(shown)}{more}; be more specific")


def resolve_entry(catalogue: Catalogue, query: str, kind: Kind | None = None) -> tuple[AnyEntry, bool]:
    """Resolve a name to an entry, optionally of one kind, saying so when the name is another kind's."""

    def best_hits() -> list[str]:
        # When no name is close, the words may still be: offer the best search results.
        return [hit.entry.name for hit in search(catalogue, query, kind=kind, limit=3)]

    candidates = entry_names(catalogue.entries(kind))
    what = kind.value if kind else "entry"
    try:
        return resolve(query, candidates, what=what, suggest=best_hits, otherwise=f"; try 'painref search {query}'")
    except NotFoundError:
        if kind is None or (other := _quietly(query, catalogue)) is None:
            raise
        raise NotFoundError(
            f"'{query}' is the {other.kind.value} '{other.name}', not a {kind.value}; try 'painref show {other.id}'"
        ) from None


def _quietly(query: str, catalogue: Catalogue) -> AnyEntry | None:
    """The entry of any kind a name means exactly, or None."""
    try:
        entry, guessed = resolve(query, entry_names(catalogue.entries()))
    except (NotFoundError, AmbiguousNameError):
        return None
    return None if guessed else entry


class Hit(NamedTuple):
    """A search result: the entry, its score, and which field matched which words."""

    entry: AnyEntry
    score: float
    field: str
    matched: tuple[str, ...]


def searchable_fields(entry: AnyEntry, catalogue: Catalogue) -> list[tuple[str, float, str]]:
    """(field label, weight, text) for everything a search looks through; names weigh most."""
    fields: list[tuple[str, float, str]] = [
        ("name", 10.0, entry.name),
        ("id", 8.0, entry.id.replace("-", " ")),
        ("aliases", 8.0, " | ".join(entry.aliases)),
        ("summary", 3.0, entry.summary),
        ("regions", 2.5, " ".join(entry.regions).replace("-", " ")),
    ]
    if isinstance(entry, Procedure | Treatment):
        fields.append(("conditions", 3.0, " | ".join(catalogue.names(entry.conditions))))
        fields.append(("how it works", 1.0, entry.how_it_works))
        fields.append(("risks", 1.0, " | ".join(entry.risks)))
    if isinstance(entry, Procedure):
        fields.append(("category", 2.5, entry.category.value.replace("-", " ")))
        fields.append(("variants", 2.0, " | ".join(f"{v.name} {v.description}" for v in entry.variants)))
    if isinstance(entry, Treatment):
        fields.append(("type", 2.5, entry.type.value))
        fields.append(("examples", 6.0, " | ".join(entry.examples)))
    if isinstance(entry, Condition):
        fields.append(("symptoms", 2.0, " | ".join(entry.symptoms)))
        fields.append(("icd10", 6.0, " ".join(f"{c.code} {c.code.replace('.', '')}" for c in entry.icd10)))
    fields.append(("evidence", 0.5, entry.evidence))
    return fields


def search(catalogue: Catalogue, query: str, *, kind: Kind | None = None, limit: int | None = None) -> list[Hit]:
    """Entries ranked by how well they match the query's words, best first."""
    terms = [w for w in words(query) if w not in STOPWORDS] or words(query)
    if not terms:
        return []
    stems = [stem(t) for t in terms]
    entries = list(catalogue.entries(kind))
    indexed = [
        (
            entry,
            [
                (label, weight, {stem(w) for w in words(text)})
                for label, weight, text in searchable_fields(entry, catalogue)
            ],
        )
        for entry in entries
    ]
    # Judge each query word once against the whole vocabulary, not once per field.
    vocabulary = set().union(*(field[2] for _, fields in indexed for field in fields))
    quality = {s: _word_quality(s, vocabulary) for s in stems}
    # Rarer words say more: weight each query word by its inverse document frequency.
    document_frequency = {
        s: sum(1 for _, fields in indexed if any(quality[s].keys() & f[2] for f in fields)) for s in stems
    }
    total = max(len(indexed), 1)
    phrase = normalize(query)
    hits: list[Hit] = []
    for entry, fields in indexed:
        score = 0.0
        matched_count = 0
        matched_words: list[str] = []
        field_scores: dict[str, float] = {}
        for term, term_stem in zip(terms, stems, strict=True):
            idf = math.log(1 + total / (1 + document_frequency[term_stem]))
            term_best = 0.0
            term_field = ""
            known = quality[term_stem]
            for label, weight, stems_in_field in fields:
                found = known.keys() & stems_in_field
                best = max((known[s] for s in found), default=0.0) * weight
                if best > term_best:
                    term_best, term_field = best, label
            if term_best:
                matched_count += 1
                matched_words.append(term)
                score += term_best * idf
                field_scores[term_field] = field_scores.get(term_field, 0.0) + term_best
        if not matched_count:
            continue
        for label, weight in (("name", 30.0), ("aliases", 25.0), ("id", 20.0)):
            texts = [entry.name] if label == "name" else list(entry.aliases) if label == "aliases" else [entry.id]
            if any(normalize(t) == phrase for t in texts):
                score += weight * 2
                field_scores[label] = field_scores.get(label, 0.0) + weight * 2
            elif len(phrase) >= MIN_PREFIX and any(phrase in normalize(t) for t in texts):
                score += weight
                field_scores[label] = field_scores.get(label, 0.0) + weight
        coverage = matched_count / len(terms)
        score *= coverage**2
        best_field = max(field_scores.items(), key=lambda pair: pair[1], default=("", 0.0))[0]
        hits.append(Hit(entry, round(score, 2), best_field, tuple(matched_words)))
    hits.sort(key=lambda hit: (-hit.score, hit.entry.name))
    return hits[:limit] if limit else hits


def _word_quality(term_stem: str, vocabulary: set[str]) -> dict[str, float]:
    """Words a query word matches: 1 the same word, 0.6 a word it begins, 0.5 one typo away."""
    found: dict[str, float] = {}
    for word in vocabulary:
        if word == term_stem:
            found[word] = 1.0
        elif len(term_stem) >= MIN_PREFIX and word.startswith(term_stem):
            found[word] = 0.6
        elif len(term_stem) >= 5 and abs(len(word) - len(term_stem)) <= 1 and _within_one_edit(term_stem, word):
            found[word] = 0.5
    return found


def _within_one_edit(a: str, b: str) -> bool:
    """True when a and b differ by at most one insertion, deletion, substitution or swap."""
    if a == b:
        return True
    if len(a) > len(b):
        a, b = b, a
    if len(b) - len(a) > 1:
        return False
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        swapped = i + 1 < len(a) and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2 :] == b[i + 2 :]
        return swapped or a[i + 1 :] == b[i + 1 :]
    return a[i:] == b[i + 1 :]
