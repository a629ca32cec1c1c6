"""Name resolution and ranked search over the compiled catalogue."""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Generic, NamedTuple, Protocol, TypeVar

from painref.errors import AmbiguousNameError, NotFoundError
from painref.index import BY_ALIAS, COLUMN_WEIGHTS, ITEM_SEPARATOR, TEXT_COLUMNS, Index, IndexCatalogue
from painref.model import Entry, Hit, Kind
from painref.schema import FIELDS, LIST_TYPES, FieldType
from painref.text import normalize, stem, words

T = TypeVar("T")

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


class Named(NamedTuple, Generic[T]):
    """Something a user can name: its lookup keys in order of authority."""

    item: T
    id: str
    name: str
    aliases: tuple[str, ...]


class Names(Protocol[T]):
    """Where resolve looks names up: a list in memory, or the compiled index."""

    def exact(self, key: str) -> list[list[Named[T]]]:
        """Items whose id, name or an alias is `key`: one list per level of authority."""
        ...

    def prefixed(self, key: str) -> list[list[Named[T]]]:
        """Items with an id or name starting with `key`, then items with such an alias."""
        ...

    def similar(self, key: str) -> list[Named[T]]:
        """Items worth scoring as typos of `key` (all of them, for a short list)."""
        ...


class ListNames(Generic[T]):
    """Names of a short list (guide topics): every lookup scans it."""

    def __init__(self, candidates: Iterable[Named[T]]) -> None:
        self.candidates = _unique(candidates)

    def exact(self, key: str) -> list[list[Named[T]]]:
        return [
            [c for c in self.candidates if normalize(c.id) == key],
            [c for c in self.candidates if normalize(c.name) == key],
            [c for c in self.candidates if any(normalize(a) == key for a in c.aliases)],
        ]

    def prefixed(self, key: str) -> list[list[Named[T]]]:
        return [
            [c for c in self.candidates if any(normalize(k).startswith(key) for k in (c.id, c.name))],
            [c for c in self.candidates if any(normalize(k).startswith(key) for k in c.aliases)],
        ]

    def similar(self, key: str) -> list[Named[T]]:
        return self.candidates


class IndexNames:
    """Entry names in the compiled index: lookups are indexed queries, so cost does not grow with size."""

    def __init__(self, index: Index, kind: Kind | None) -> None:
        self.index = index
        self.kind = kind

    def exact(self, key: str) -> list[list[Named[str]]]:
        tiers: list[list[Named[str]]] = [[], [], []]
        for how, entry_id, name, _kind in self.index.named(key, self.kind):
            tiers[how].append(Named(entry_id, entry_id, name, ()))
        return tiers

    def prefixed(self, key: str) -> list[list[Named[str]]]:
        tiers: list[list[Named[str]]] = [[], []]
        for how, entry_id, name, _kind in self.index.prefixed(key, self.kind, limit=50):
            tiers[0 if how < BY_ALIAS else 1].append(Named(entry_id, entry_id, name, ()))
        return tiers

    def similar(self, key: str) -> list[Named[str]]:
        ids = self.index.similar_names(key, self.kind)
        keys = self.index.name_keys(ids) if ids else {}
        names = self.index.names_of(ids) if ids else {}
        return [Named(i, i, names[i], tuple(keys.get(i, ()))) for i in ids if i in names]


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
    candidates: Sequence[Named[T]] | Names[T],
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
    names: Names[T] = ListNames(candidates) if isinstance(candidates, Sequence) else candidates
    key = normalize(query)
    if not key:
        raise NotFoundError(f"'{query}' is not a name; give an id, a name or an abbreviation")
    for tier in names.exact(key):
        found = _unique(tier)
        if len(found) == 1:
            return found[0].item, False
        if found:
            raise _ambiguous(query, found, what)
    # A unique prefix of an id or name wins over prefixes of aliases ("radiofreq").
    for tier in names.prefixed(key) if len(key) >= MIN_PREFIX else ():
        found = _unique(tier)
        if len(found) == 1:
            return found[0].item, False
        if found:
            raise _ambiguous(query, found, what)
    ranked = _fuzzy(key, names.similar(key))
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


def resolve_entry(catalogue: IndexCatalogue, query: str, kind: Kind | None = None) -> tuple[Entry, bool]:
    """Resolve a name to an entry, optionally of one kind, saying so when the name is another kind's."""

    def best_hits() -> list[str]:
        # When no name is close, the words may still be: offer the best search results.
        return [hit.entry.name for hit in search(catalogue, query, kind=kind, limit=3)]

    what = kind.value if kind else "entry"
    try:
        entry_id, guessed = resolve(
            query,
            IndexNames(catalogue.store, kind),
            what=what,
            suggest=best_hits,
            otherwise=f"; try 'painref search {query}'",
        )
    except NotFoundError:
        if kind is None or (other := _quietly(query, catalogue)) is None:
            raise
        raise NotFoundError(
            f"'{query}' is the {other.kind.value} '{other.name}', not a {kind.value}; try 'painref show {other.id}'"
        ) from None
    entry = catalogue.get(entry_id)
    assert entry is not None  # the index named it
    return entry, guessed


def _quietly(query: str, catalogue: IndexCatalogue) -> Entry | None:
    """The entry of any kind a name means exactly, or None."""
    try:
        entry_id, guessed = resolve(query, IndexNames(catalogue.store, None))
    except (NotFoundError, AmbiguousNameError):
        return None
    return None if guessed else catalogue.get(entry_id)


# --- ranked search ---------------------------------------------------------------------------

# How much a match in each column of the text index counts: names and aliases above body text.
FIELD_WEIGHTS: dict[str, float] = dict(COLUMN_WEIGHTS)
# Columns shown whole beside a hit, and columns whose list items are shown one at a time
# (the rest, prose, are shown a sentence at a time).
_WHOLE = frozenset(
    f.key for f in FIELDS if f.type in (FieldType.SLUG, FieldType.CHOICE, FieldType.CHOICES, FieldType.CODES)
)
_LISTED = frozenset(f.key for f in FIELDS if f.type in LIST_TYPES) - _WHOLE
# Full-text candidates re-ranked per query: bounded, so search costs the same at any catalogue size.
# 40 ranks the evaluation exactly as 80 did (97.4% top-1, 100% top-3) in about half the time.
CANDIDATES = 40
# A word in more entries than this share (and this floor) is too common to pick candidates by.
COMMON_SHARE = 0.05
COMMON_FLOOR = 200
MAX_TERMS = 32
# A word found only through a synonym or as a typo counts for less than the word itself.
SYNONYM_FACTOR = 0.9
TYPO_FACTOR = 0.5
# A whole query's synonym naming an entry counts for less than the query naming it itself.
MEANING_FACTOR = 0.75


def _alternatives(
    terms: Sequence[str], query: str, synonyms: Mapping[str, str], index: Index
) -> list[dict[str, float]]:
    """For each query word, the words that may stand for it and how much each counts.

    A synonym phrase found in the query lends its meaning's words to each of its own words
    ("cortisone shot" -> steroid injection); a word the catalogue does not hold is matched
    through the catalogue words one typo away ("sciatca" -> sciatica).
    """
    groups: list[dict[str, float]] = [{term: 1.0} for term in terms]
    padded = f" {' '.join(words(query))} "
    for phrase, meaning in synonyms.items():
        phrase_words = words(phrase)
        if phrase_words and f" {' '.join(phrase_words)} " in padded:
            for position, term in enumerate(terms):
                if term in phrase_words:
                    for word in words(meaning):
                        if word not in STOPWORDS:
                            groups[position].setdefault(word, SYNONYM_FACTOR)
    for group in groups:
        for word in [w for w, factor in group.items() if factor == 1.0]:
            if len(word) >= 4 and not index.has_word(stem(word)):
                for known in index.similar_words(word):
                    if edit_distance(word, known, limit=2) <= (2 if len(word) >= 8 else 1):
                        group.setdefault(known, TYPO_FACTOR)
    return groups


def _fts_term(word: str) -> str:
    # Porter stemming already joins "injection" and "injections"; a prefix also finds words
    # still being typed ("radiofreq").
    return f'"{word}"*' if len(word) >= MIN_PREFIX else f'"{word}"'


def _candidates(
    index: Index,
    groups: Sequence[Mapping[str, float]],
    seen_in: Mapping[str, int],
    total: int,
    kind: Kind | None,
    weights: Sequence[float],
) -> list[tuple[Any, ...]]:
    """Full-text rows worth re-ranking, found without ranking most of a large catalogue.

    Ranking costs SQLite time per matching row, so a word in a large share of entries ("pain"
    in a big catalogue) never picks candidates alone. Candidates are entries holding a
    selective query word, or holding every query word (a conjunction, cheap to intersect);
    when that finds few, the most common word is dropped from the conjunction, and a last
    resort looks for the rarest word in names and aliases only.
    """
    common = max(COMMON_FLOOR, COMMON_SHARE * total)
    selective = [w for w, f in seen_in.items() if 0 < f <= common]
    # Each query word as "it or a stand-in", rarest first, leaving out words found nowhere.
    clauses = sorted(
        (
            (min(seen_in[w] for w in known), "(" + " OR ".join(_fts_term(w) for w in known) + ")")
            for group in groups
            if (known := [w for w in group if seen_in[w]])
        ),
    )
    rows: dict[str, tuple[Any, ...]] = {}

    def add(expression: str) -> None:
        for row in index.match(expression, kind, weights, CANDIDATES):
            rows.setdefault(row[1], row)

    if selective:
        add(" OR ".join(_fts_term(w) for w in selective))
    while len(clauses) > 1 and len(rows) < CANDIDATES // 2:
        conjunction = " AND ".join(clause for _, clause in clauses)
        # Only common words left: ranking every entry that holds them all would cost too much.
        add(conjunction if clauses[0][0] <= common else "{name aliases id}: (" + conjunction + ")")
        clauses.pop()
    if not rows and clauses:
        add("{name aliases id}: " + clauses[0][1])
    return list(rows.values())


def search(catalogue: IndexCatalogue, query: str, *, kind: Kind | None = None, limit: int | None = None) -> list[Hit]:
    """Entries ranked by how well they match the query's words, best first.

    SQLite's full-text index (BM25, porter stemming, prefixes) picks a bounded set of candidates;
    each is then scored here with field weights, word coverage, rarity and whole-phrase bonuses,
    which also says which field matched and where.
    """
    # Each distinct word once, and no more than a sentence's worth: a pasted page is not a query.
    terms = list(dict.fromkeys([w for w in words(query) if w not in STOPWORDS] or words(query)))[:MAX_TERMS]
    if not terms:
        return []
    index = catalogue.store
    groups = _alternatives(terms, query, catalogue.synonyms, index)
    # A synonym that is the whole query names its meaning as a whole ("zapping knee nerves").
    meanings = [
        normalize(meaning)
        for phrase, meaning in catalogue.synonyms.items()
        if [w for w in words(phrase) if w not in STOPWORDS] == terms
    ]
    weights = [FIELD_WEIGHTS[column] for column in TEXT_COLUMNS]
    total = max(index.count(), 1)
    seen_in = {w: index.word_frequency(stem(w)) for group in groups for w in group}
    # A query word's rarity is its own (or, for a typo, its corrections'), not its synonyms'.
    frequency = [
        max((seen_in[w] for w, f in group.items() if f == 1.0 and seen_in[w]), default=0)
        or min((seen_in[w] for w in group), default=0)
        for group in groups
    ]
    rows = _candidates(index, groups, seen_in, total, kind, weights)
    phrase = normalize(query)
    if len(phrase) >= MIN_PREFIX:
        # Entries a whole name starts with are candidates even when their words rank low.
        named = [i for _how, i, _name, _kind in index.prefixed(phrase, kind, limit=10)]
        seen = {row[1] for row in rows}
        rows += index.rows_for([i for i in named if i not in seen]) if named else []
    if not rows:
        return []
    candidates = [(row[1], dict(zip(TEXT_COLUMNS, row[3:], strict=True))) for row in rows]
    phrases = [(phrase, 1.0), *((m, MEANING_FACTOR) for m in meanings)]
    scored = _score(candidates, groups, frequency, total, phrases)
    scored.sort(key=lambda item: (-item[0], item[1]))
    shown = scored[:limit] if limit else scored
    entries = {entry.id: entry for entry in catalogue.get_many([item[2] for item in shown])}
    return [
        Hit(entries[entry_id], round(score, 2), field, matched, context)
        for score, _name, entry_id, field, matched, context in shown
        if entry_id in entries
    ]


def _score(
    candidates: Sequence[tuple[str, Mapping[str, str]]],
    groups: Sequence[Mapping[str, float]],
    frequency: Sequence[int],
    total: int,
    phrases: Sequence[tuple[str, float]],
) -> list[tuple[float, str, str, str, tuple[str, ...], str]]:
    """(score, name, id, best field, matched words, context) for every candidate that matches."""
    # Each candidate field as its set of word stems, remembering the words behind each stem.
    analysed = []
    vocabulary: set[str] = set()
    for entry_id, fields in candidates:
        per_field = []
        for column, text in fields.items():
            stems: dict[str, str] = {}
            for word in words(text):
                stems.setdefault(stem(word), word)
            vocabulary.update(stems)
            per_field.append((column, FIELD_WEIGHTS[column], stems))
        analysed.append((entry_id, fields, per_field))
    # Judge each query word once against the candidates' vocabulary, not once per field.
    ordered = sorted(vocabulary)
    quality = [_group_quality(group, vocabulary, ordered) for group in groups]
    matchable = set().union(*quality)
    # Rarer words say more: weight each query word by its inverse document frequency.
    idf = [math.log(1 + total / (1 + f)) for f in frequency]
    results = []
    for entry_id, fields, per_field in analysed:
        score = 0.0
        matched_groups = 0
        field_words: dict[str, list[str]] = {}
        field_scores: dict[str, float] = {}
        covered: dict[str, float] = {}
        for known, weight_idf in zip(quality, idf, strict=True):
            best, best_field, best_words = 0.0, "", []
            for column, weight, stems in per_field:
                found = known.keys() & stems.keys()
                if found:
                    value = max(known[s] for s in found) * weight
                    covered[column] = covered.get(column, 0.0) + value
                    if value > best:
                        best, best_field, best_words = value, column, [stems[s] for s in found]
            if best:
                matched_groups += 1
                field_words.setdefault(best_field, []).extend(best_words)
                score += best * weight_idf
                field_scores[best_field] = field_scores.get(best_field, 0.0) + best
        if not matched_groups:
            continue
        named_by = ""
        for column, bonus in (("name", 30.0), ("aliases", 25.0), ("id", 20.0)):
            keys = [normalize(item) for item in fields[column].split(ITEM_SEPARATOR)]
            if column == "id":
                keys = [normalize(fields["id"])]
            # The whole query is a name or alias: a strong sign. Part of one: scaled by how much.
            extra = 0.0
            for phrase, factor in phrases:
                if phrase in keys:
                    extra = max(extra, bonus * 2 * factor)
                    if factor == 1.0:
                        named_by = named_by or column
                elif len(phrase) >= MIN_PREFIX:
                    part = max((len(phrase) / len(key) for key in keys if key and phrase in key), default=0.0)
                    extra = max(extra, bonus * part * factor)
            if extra:
                score += extra
                field_scores[column] = field_scores.get(column, 0.0) + extra
        score *= (matched_groups / len(groups)) ** 2
        # Where the query is a whole name or alias, that is the explanation to show.
        # Otherwise the field where the query's words weigh most together explains the hit best.
        best_field = named_by or max(covered, key=lambda column: covered[column] + field_scores.get(column, 0.0))
        found_words = field_words.get(best_field) or [w for found in field_words.values() for w in found]
        context = _context(fields[best_field], found_words, best_field)
        # Highlight the words of the shown text that the query (or a stand-in for it) matched.
        shown_words = tuple(dict.fromkeys(w for w in words(context) if stem(w) in matchable)) or tuple(found_words)
        results.append((score, fields["name"], entry_id, best_field, shown_words, context))
    return results


def _group_quality(group: Mapping[str, float], vocabulary: set[str], ordered: Sequence[str]) -> dict[str, float]:
    """Vocabulary stems one query word (or a stand-in for it) matches, with how well.

    The same word counts 1 and a word it begins 0.6, times the stand-in's factor (synonyms and
    typo corrections come in as stand-ins, found in the whole index by `_alternatives`).
    """
    found: dict[str, float] = {}
    for word, factor in group.items():
        term = stem(word)
        matches = {term: 1.0} if term in vocabulary else {}
        if len(term) >= MIN_PREFIX:
            start = bisect_left(ordered, term)
            for vocab_stem in ordered[start : bisect_left(ordered, term + "\uffff")]:
                matches.setdefault(vocab_stem, 0.6)
        for vocab_stem, quality in matches.items():
            found[vocab_stem] = max(found.get(vocab_stem, 0.0), quality * factor)
    return found


def _context(text: str, matched: Sequence[str], field: str) -> str:
    """The part of a field worth showing beside a hit: the list item or sentence holding the match."""
    if field in _WHOLE or field == "name":
        return text
    if ITEM_SEPARATOR in text or field in _LISTED:
        pieces = text.split(ITEM_SEPARATOR)
    else:
        pieces = re.split(r"(?<=[.;])\s+", text)
    wanted = {w.casefold() for w in matched}
    best = max(pieces, key=lambda piece: len(wanted & set(words(piece))))
    return best.strip()


def edit_distance(a: str, b: str, limit: int = 2) -> int:
    """Optimal-string-alignment distance (insert, delete, substitute, swap neighbours), capped at limit + 1.

    Hand-written because it is short: rapidfuzz does this faster but its import alone costs
    17-24 ms here, more than a whole search.
    """
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, start=1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return min(previous[-1], limit + 1)
