"""Name resolution and ranked search over the compiled catalogue."""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cache
from itertools import permutations
from typing import Generic, NamedTuple, Protocol, TypeVar

from painref.errors import AmbiguousNameError, NotFoundError
from painref.i18n import ENGLISH, N_, TEXT, _
from painref.index import (
    BY_ALIAS,
    COLUMN_WEIGHTS,
    ITEM_SEPARATOR,
    NAME_COLUMNS,
    TEXT_COLUMNS,
    Index,
    IndexCatalogue,
    Stemmed,
    region_words,
    searchable,
)
from painref.model import Entry, Hit, Kind
from painref.schema import FIELDS, LIST_TYPES, FieldType
from painref.text import american_spellings, edit_distance, is_typo_of, normalize, stem, typo_limit, words

T = TypeVar("T")

# Words too common in this domain to say anything about which entry is meant.
STOPWORDS = frozenset(
    {
        *("a", "an", "and", "are", "as", "at", "be", "by", "do", "for", "from", "how", "i", "in", "is", "it"),
        *("me", "my", "of", "on", "or", "the", "to", "what", "when", "where", "which", "who", "why", "with"),
        # Helping verbs and pronouns of questions ("will a nerve block hurt", "can I take ...").
        *("am", "can", "could", "did", "does", "had", "has", "have", "may", "might", "shall", "should", "was"),
        *("were", "will", "would", "you", "your", "this", "that", "these", "those", "they", "them", "their"),
        # Spanish (accents folded): a question in Spanish is searched by its telling words too.
        *("al", "como", "con", "cual", "de", "del", "el", "en", "es", "la", "las", "le", "lo", "los", "mi", "mis"),
        *("o", "para", "por", "que", "se", "su", "sus", "un", "una", "uno", "y"),
        # Quantifiers and intensifiers ("headaches every day", "muy fuerte").
        *("every", "each", "any", "some", "very", "so", "too", "just", "cada", "muy", "tan", "algun", "alguna"),
        *("only", "todos", "todas", "solo"),
        # Indefinite pronouns and "cannot" of everyday speech ("can't bear anything touching it",
        # "nada me ayuda"): what they say is in the words around them.
        *("anything", "something", "everything", "nothing", "anyone", "someone", "everyone", "cannot", "cant"),
        *("algo", "nada", "todo", "alguien", "nadie"),
        # Spanish helping verbs, as "can" and "could" ("solo puedo caminar una cuadra").
        *("puedo", "puede", "pueden", "podria"),
        # Joining words of a sentence ("to see if it's my hip or my back").
        *("if", "its", "but", "because", "than", "then", "into", "also", "pero", "porque", "tambien"),
    }
)
# A word's family is the words sharing all but its last three letters, and at least this many.
MIN_KIN = 5
# A prefix must be this long before it may stand for a whole name.
MIN_PREFIX = 3
# No name is longer than this: a longer "name" is pasted text, searched (capped) but never matched
# letter by letter, so a 100,000-character argument costs no more than a short one.
MAX_NAME = 200
# A search hit stands for a name only when it clearly beats the runner-up, and one of its names
# and the query's words (or their synonyms and corrections) mostly cover each other.
CLEAR_WINNER = 1.3
# A winner this far ahead whose names hold every query word stands for the name it shortens,
# if the query holds more than this share of the telling words of one of its names: "osteoporosis"
# is not the "osteoporotic fracture", it only qualifies it; "piriformis" is "piriformis syndrome".
DECISIVE = 3.0
SHORTENS = 0.5
NAMES_IT = 0.75
# A name covering the query this fully (see `_coverage`) names the specific entry meant.
FULL_COVER = 0.85


class Named(NamedTuple, Generic[T]):
    """Something a user can name: its lookup keys in order of authority."""

    item: T
    id: str
    name: str
    aliases: tuple[str, ...]
    # Its kind (procedure, condition, treatment), where it has one: what "RFA procedure" may name.
    kind: str = ""


class Names(Protocol[T]):
    """Where resolve looks names up: a list in memory, or the compiled index."""

    def exact(self, key: str) -> list[list[Named[T]]]:
        """Items whose id, name or an alias is `key`: one list per level of authority."""
        ...

    def prefixed(self, key: str) -> list[list[Named[T]]]:
        """Items with an id or name starting with `key`, then items with such an alias."""
        ...

    def similar(self, key: str) -> list[Named[T]]:
        """Items worth checking as typos of `key` (all of them, for a short list), with every name."""
        ...

    def is_word(self, word: str) -> bool:
        """Whether `word` is a real word (so never a typo of another)."""
        ...

    def respelled(self, word: str) -> list[str]:
        """Words the names may write for `word`: its American spelling, or a one-word synonym."""
        ...

    def coined(self, word: str) -> bool:
        """Whether a word of a name is in no word list: a drug, brand or medical coinage ("Celebrex")."""
        ...

    def at_levels(self, candidate: Named[T], regions: frozenset[str]) -> bool:
        """Whether the candidate is found in one of these body regions (where spine levels are)."""
        ...


class ListNames(Generic[T]):
    """Names of a short list (guide topics): every lookup scans it."""

    def __init__(self, candidates: Iterable[Named[T]]) -> None:
        self.candidates = _unique(candidates)
        self.vocabulary = {w for c in self.candidates for name in (c.id, c.name, *c.aliases) for w in words(name)}

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

    def is_word(self, word: str) -> bool:
        return word in self.vocabulary

    def respelled(self, word: str) -> list[str]:
        return [w for w in american_spellings(word) if w in self.vocabulary]

    def coined(self, word: str) -> bool:
        return False  # a short list has no word lists: its names' words are all everyday words

    def at_levels(self, candidate: Named[T], regions: frozenset[str]) -> bool:
        return False  # guide topics have no body regions: a spine level names none of them


class IndexNames:
    """Entry names in the compiled index: lookups are indexed queries, so cost does not grow with size."""

    def __init__(self, index: Index, kind: Kind | None) -> None:
        self.index = index
        self.kind = kind
        self.synonyms: dict[str, tuple[str, ...]] | None = None  # read when first needed

    def exact(self, key: str) -> list[list[Named[str]]]:
        tiers: list[list[Named[str]]] = [[], [], []]
        for how, entry_id, name, kind in self.index.named(key, self.kind):
            tiers[how].append(Named(entry_id, entry_id, name, (), kind))
        return tiers

    def prefixed(self, key: str) -> list[list[Named[str]]]:
        found = self.index.prefixed(key, self.kind, limit=50)
        # Every spelling of a lone candidate, so `resolve` can see whether the prefix ends a word.
        ids = {entry_id for _how, entry_id, _name, _kind in found}
        spellings = self.index.name_spellings(list(ids)) if len(ids) == 1 else {}
        tiers: list[list[Named[str]]] = [[], []]
        for how, entry_id, name, _kind in found:
            aliases = tuple(spellings.get(entry_id, ()))
            tiers[0 if how < BY_ALIAS else 1].append(Named(entry_id, entry_id, name, aliases))
        return tiers

    def similar(self, key: str) -> list[Named[str]]:
        ids = self.index.similar_names(key, self.kind)
        spellings = self.index.name_spellings(ids) if ids else {}
        names = self.index.names_of(ids) if ids else {}
        return [Named(i, i, names[i], tuple(spellings.get(i, ()))) for i in ids if i in names]

    def is_word(self, word: str) -> bool:
        # A word the synonym table explains is understood, never a typo: "artrodesis" (spinal
        # fusion) is no misspelt "artrosis".
        return is_known_word(word, self.index) or word in self._synonyms()

    def respelled(self, word: str) -> list[str]:
        return [*american(word, self.index), *self._synonyms().get(word, ())]

    def coined(self, word: str) -> bool:
        return not any(self.index.in_dictionary(form) for form in _dictionary_forms(word))

    def at_levels(self, candidate: Named[str], regions: frozenset[str]) -> bool:
        found = self.index.entry(candidate.id)
        return found is not None and (
            not regions.isdisjoint(found[1].get("regions") or ()) or at_the_spine(str(found[1].get("name", "")))
        )

    def _synonyms(self) -> dict[str, tuple[str, ...]]:
        if self.synonyms is None:
            self.synonyms = one_word_synonyms(self.index.meta("synonyms") or {})
        return self.synonyms


def american(word: str, index: Index) -> list[str]:
    """The American spelling the catalogue writes for a British spelling ("programme", "anaesthetic",
    "tumour"), where it writes it more often (the British one may be in a source's title)."""
    respelt = american_spellings(word)
    if not respelt:  # most words: no need to ask the index how often it writes this one
        return []
    spelt = index.stem_frequency(stem(word))
    return [w for w in respelt if index.stem_frequency(stem(w)) > spelt]


def one_word_synonyms(synonyms: Mapping[str, str]) -> dict[str, tuple[str, ...]]:
    """The synonym table's one-word phrases and the words of their meanings, stopwords aside
    ("shot": injection, "L5": lumbar, "infiltración": inyección, injection)."""
    table: dict[str, tuple[str, ...]] = {}
    for phrase, meaning in synonyms.items():
        said = words(phrase)
        if len(said) == 1:
            table[said[0]] = tuple(w for w in words(str(meaning)) if w not in STOPWORDS and w != said[0])
    return table


def is_known_word(word: str, index: Index) -> bool:
    """A word of the catalogue, or an English or Spanish word in any form.

    Only a word that is neither may be a typo: "knee" is never read as a misspelt "nerve", nor
    "piojos" (lice) as a misspelt "opioids".
    """
    if not word.isalpha() or index.has_stem(stem(word)) or index.in_dictionary(word):
        return True
    if not any(index.in_dictionary(form) for form in _dictionary_forms(word)[1:]):
        return False
    # Known only through a form guessed from its ending ("triger" as if from "trig"): a catalogue
    # word one slip away ("trigger") is the likelier meaning.
    return not any(len(known) > MIN_KIN and edit_distance(word, known, 1) <= 1 for known in index.similar_words(word))


SPANISH_FORMS_FROM = 6
# Spanish endings and the head word endings they come from: the word lists hold head words only.
_SPANISH_ENDINGS = (
    *(("aron", "ar"), ("aban", "ar"), ("aba", "ar"), ("ando", "ar"), ("amos", "ar"), ("ado", "ar")),
    *(("ada", "ar"), ("ados", "ar"), ("adas", "ar"), ("ieron", "er"), ("ieron", "ir"), ("iendo", "er")),
    *(("iendo", "ir"), ("ido", "er"), ("ido", "ir"), ("ida", "er"), ("ida", "ir"), ("idos", "ir"), ("idas", "ir")),
    *(("ciones", "r"), ("cion", "r"), ("an", "ar"), ("en", "er"), ("en", "ir"), ("as", "o"), ("os", "o")),
    *(("es", ""), ("s", ""), ("a", "o"), ("o", "ar"), ("a", "ar"), ("e", "er"), ("e", "ir")),
)

# Pronouns Spanish joins to the end of an infinitive or a gerund ("sentarme", "apretarlos",
# "poniéndose"), longest first.
_ENCLITICS = (
    *("selos", "selas", "melo", "mela", "telo", "tela", "selo", "sela", "nos", "los", "las", "les"),
    *("me", "te", "se", "lo", "la", "le"),
)
# What an infinitive or a gerund ends in, accents folded, once its pronouns are taken off.
_BEARS_ENCLITIC = ("ar", "er", "ir", "ando", "iendo")


def _dictionary_forms(word: str) -> list[str]:
    """The word and its likely head words in English and Spanish (the shipped lists have no plurals,
    verb endings or feminine forms, and of the Spanish verbs' forms only those the endings below
    cannot lead back to its infinitive)."""
    forms = [word, stem(word), stem(word) + "e"]
    for pronoun in _ENCLITICS:
        bare = word[: -len(pronoun)]
        if word.endswith(pronoun) and len(bare) >= MIN_KIN and bare.endswith(_BEARS_ENCLITIC):
            forms += _dictionary_forms(bare)
            break
    for suffix in ("s", "es", "ed", "d", "ing", "ly", "er", "ers"):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            forms.append(word[: -len(suffix)])
    if word.endswith("ies"):
        forms.append(word[:-3] + "y")
    # Only longer words: short ones have too many look-alikes ("pian" is a misspelt "pain", not
    # a form of "piar").
    forms += [
        word[: -len(ending)] + head
        for ending, head in _SPANISH_ENDINGS
        if word.endswith(ending) and len(word) >= SPANISH_FORMS_FROM and len(word) > len(ending) + 2
    ]
    return list(dict.fromkeys(forms))


def _kin_heard(word: str, index: Index) -> bool:
    """Whether the catalogue holds a word of the same family: one sharing all but the last three
    letters of a long word ("addictive" and "addiction"), and at least five of them."""
    return len(word) >= MIN_KIN + 3 and index.word_frequency(word[: len(word) - 3]) > 0


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
    otherwise: str = "",
    display: Callable[[Sequence[str]], Mapping[str, str]] | None = None,
) -> tuple[T, bool]:
    """The one item a name means: by id, name, alias, unique prefix, then per-word typos.

    Returns the item and whether it was a typo-tolerant guess (worth telling the user).
    Raises AmbiguousNameError listing the candidates, or NotFoundError suggesting names one
    typo-per-word away; `otherwise` is the hint when there are none. `display` gives the names
    the candidates are listed by, by id, where they differ from the names looked up (another language's).
    """
    names: Names[T] = ListNames(candidates) if isinstance(candidates, Sequence) else candidates
    key = normalize(query[: MAX_NAME * 4])
    if not key:
        raise NotFoundError(
            _("'{query}' is not a name; give an id, a name or an abbreviation").format(query=quoted(query))
        )
    if len(key) > MAX_NAME:
        raise NotFoundError(
            _("{no_what} has a name that long{otherwise}").format(no_what=_no(what), otherwise=otherwise)
        )
    for tier in names.exact(key):
        found = _unique(tier)
        if len(found) == 1:
            return found[0].item, False
        if found:
            raise _ambiguous(query, found, what, display)
    # A name with a word in the other number is that name before it is the start of an alias:
    # "cefaleas" is "cefalea" (Headache), not "cefaleas en racimo" (Cluster headache). The start of
    # another entry's own name is as good a reading: "trigger point" (Myofascial pain syndrome's
    # "trigger points", or Trigger point injection) is a choice.
    numbered = _unique(n for k in _in_other_number(query, key) for tier in names.exact(k) for n in tier)
    if len(numbered) == 1 and len(key) >= MIN_PREFIX:
        started = _unique(names.prefixed(key)[0])
        if (
            len(started) == 1
            and started[0].id != numbered[0].id
            and _prefix_of_a_word(words(query), started[0], names.is_word)
        ):
            numbered.append(started[0])
    if len(numbered) == 1:
        return numbered[0].item, True
    if numbered:
        raise _ambiguous(query, numbered, what, display)
    # A unique prefix of an id or name wins over prefixes of aliases ("radiofreq"); but a whole
    # word is no prefix of a longer one ("pain" is not "Painful diabetic neuropathy").
    for tier in names.prefixed(key) if len(key) >= MIN_PREFIX else ():
        found = _unique(tier)
        if len(found) == 1 and _prefix_of_a_word(words(query), found[0], names.is_word):
            return found[0].item, False
        if len(found) == 1:
            break
        if found:
            raise _ambiguous(query, found, what, display)
    reworded = _unique(_reworded(query, key, names))
    if len(reworded) == 1:
        return reworded[0].item, True
    if reworded:
        raise _ambiguous(query, reworded, what, display)
    typed = [w for w in words(query) if w not in STOPWORDS and w not in _SIDES] or words(query)
    # A typo in "C7 radiculopaty" is in the name's words: read with the level's region word first
    # ("cervical", as the synonym table says), then without the level, for a name found there.
    regions = _level_regions(typed)
    readings = [typed]
    if levels := _levels(typed):
        regional = [
            (names.respelled(w) or [w])[0] if i in levels else w for i, w in enumerate(typed) if not w.isdigit()
        ]
        readings = [regional, _without_levels(typed) or typed]
    is_word = cache(names.is_word)  # each typed word asked once, however many names it is tried against
    similar = [c for c in _unique(names.similar(key)) if not regions or names.at_levels(c, regions)]
    close: list[Named[T]] = []
    for reading in readings:
        close = [c for c in similar if _misspells(reading, c, is_word)]
        if close:
            break
    if not close:
        # A name cut off while typing, maybe with a typo in the cut ("gabapne", "Celebre"): names
        # by id or name before names by alias, as for whole prefixes.
        for tier in _cut_off(readings[-1], similar, is_word, names.coined):
            if tier:
                close = tier
                break
    if len(close) == 1:
        return close[0].item, True
    if close:
        raise _ambiguous(query, close, what, display)
    raise NotFoundError(
        _("{no_what} named '{query}'{otherwise}").format(no_what=_no(what), query=quoted(query), otherwise=otherwise)
    )


# Each kind of thing a name can name, as "no ..." and in the plural, so that a sentence can be
# whole in every language ("ninguna entrada", "ningún procedimiento").
_NO = {
    "entry": N_("no entry"),
    "procedure": N_("no procedure"),
    "condition": N_("no condition"),
    "treatment": N_("no treatment"),
    "guide topic": N_("no guide topic"),
}
_PLURAL = {
    "entry": N_("entries"),
    "procedure": N_("procedures"),
    "condition": N_("conditions"),
    "treatment": N_("treatments"),
    "guide topic": N_("guide topics"),
}


def _no(what: str) -> str:
    return _(_NO[what]) if what in _NO else f"no {what}"


# Words that say what kind of thing a name is, and the kinds each may go with: "ESI procedure",
# "Lyrica pills", "CBT treatment" name ESI, Lyrica and CBT ("nerve pain medication" is not the
# condition Nerve pain).
_PROCEDURE, _TREATMENT, _CONDITION = Kind.PROCEDURE.value, Kind.TREATMENT.value, Kind.CONDITION.value
_KIND_WORDS: dict[str, frozenset[str]] = {
    **dict.fromkeys(("procedure", "procedures", "procedimiento", "procedimientos"), frozenset({_PROCEDURE})),
    **dict.fromkeys(("therapy", "terapia"), frozenset({_PROCEDURE, _TREATMENT})),
    # "Herniated disc treatment" names the condition whose options it asks for, as "CBT treatment"
    # names a treatment.
    **dict.fromkeys(
        ("treatment", "treatments", "tratamiento", "tratamientos"), frozenset({_PROCEDURE, _TREATMENT, _CONDITION})
    ),
    # Words a condition's name is said with: "herniated disc pain", "dolor de ciática", "sciatica
    # symptoms", "options for spinal stenosis".
    **dict.fromkeys(
        (
            *("pain", "pains", "dolor", "dolores", "symptoms", "symptom", "sintomas", "sintoma"),
            *("options", "opciones"),
        ),
        frozenset({_CONDITION}),
    ),
    **dict.fromkeys(
        (
            *("medication", "medications", "medicine", "medicines", "drug", "drugs", "pill", "pills"),
            *("tablet", "tablets", "medicamento", "medicamentos", "pastilla", "pastillas", "farmaco", "farmacos"),
            *("capsule", "capsules", "capsula", "capsulas", "comprimido", "comprimidos", "tableta", "tabletas"),
            # The forms a medicine is put on the skin in: "Versatis plasters", "Voltaren Emulgel".
            *("patch", "patches", "plaster", "plasters", "parche", "parches", "cream", "creams", "crema", "cremas"),
            *("gel", "gels", "emulgel", "ointment", "pomada", "pomadas", "spray", "lotion", "locion"),
        ),
        frozenset({_TREATMENT}),
    ),
    **dict.fromkeys(("condition", "enfermedad"), frozenset({_CONDITION})),
    # A device maker's name before its device's ("Abbott Proclaim DRG", "Medtronic Intellis").
    **dict.fromkeys(
        ("abbott", "medtronic", "nevro", "boston", "scientific", "stryker", "relievant", "bioness", "vertos"),
        frozenset({_PROCEDURE}),
    ),
    # "Nerve block injection", "Botox shot", "inyección de bloqueo ...": a procedure's.
    **dict.fromkeys(("injection", "injections", "shot", "shots", "inyeccion", "inyecciones"), frozenset({_PROCEDURE})),
}
# A dose beside a medicine's name ("gabapentin 300 mg", "ibuprofeno 600", "Voltaren 1% gel").
_DOSE = re.compile(r"[0-9]+(?:mg|mcg|ug|g|ml)?|mg|mcg|ml|g|milligrams?|miligramos?|grams?|gramos?")
_TREATMENTS = frozenset({_TREATMENT})
# Abbreviations in the plural: "ESIs", "MBBs" (a lower-case s after capitals).
_ABBREVIATION_PLURAL = re.compile(r"\b([A-Z][A-Z0-9]+)s\b")
# Words that join two names ("RFA and SI joint injection", "tramadol o ibuprofeno").
_JOINING = frozenset({"and", "or", "vs", "versus", "plus", "with", "y", "o", "u", "e", "contra", "con"})
# Names of up to this many words are also looked up in every order of their words.
MAX_REORDERED = 4


def _reworded(query: str, key: str, names: Names[T]) -> list[Named[T]]:
    """What the query names exactly once reworded as people reword names: a word for its kind
    added ("RFA procedure", "herniated disc pain"), an abbreviation in the plural ("lumbar ESIs"),
    the words in another order ("RFA knee" for "knee RFA"); then with a word as the names write it
    ("exercise programme", "z-joint shot", "L5 radiculopathy"). Only whole names count, and a kind
    word only for its kinds."""
    typed = words(_ABBREVIATION_PLURAL.sub(r"\1", query[:MAX_NAME]))
    # A side of the body is never part of a name ("left C6 radiculopathy" is "C6 radiculopathy").
    typed = [w for w in typed if w not in _SIDES] or typed
    # Words are not moved across a word joining two names: "RFA and SI joint" is not "SI joint RFA".
    found = _reworded_as(typed, key, names, reorder=_JOINING.isdisjoint(typed))
    if found or len(typed) > MAX_NUMBERED:
        return found
    # One word as the names write it, then every such word at once; in the order typed only.
    respelled = [names.respelled(w) if w not in STOPWORDS else [] for w in typed]
    variants = [[*typed[:i], other, *typed[i + 1 :]] for i, others in enumerate(respelled) for other in others]
    if sum(1 for others in respelled if others) > 1:
        variants.append([others[0] if others else w for w, others in zip(typed, respelled, strict=True)])
    for variant in variants:
        found += _reworded_as(variant, key, names, reorder=False)
    # The name with a spine level or a side said ("L5 radiculopathy", "hernia discal L5-S1",
    # "right knee OA") is the name.
    plain = _without_levels(typed)
    if not found and plain and len(plain) < len(typed):
        regions = _level_regions(typed)
        found = [
            named
            for named in _reworded_as(plain, key, names, reorder=_JOINING.isdisjoint(plain))
            if names.at_levels(named, regions)
        ]
    return found


# A spine level ("L5", "C6", "T12", "S1"): it says where, never what, so it is no name by itself.
_LEVEL = re.compile(r"c[1-8]|t(?:[1-9]|1[0-2])|l[1-5]|s[1-5]")


# The body regions each part of the spine is in, as entries name their regions: a name said with
# a level is that name only where the entry is found there ("C2 neuralgia" is not Neuropathic pain,
# whose regions are the feet, legs, hands and chest). The thoracic nerves also run round the chest
# and belly wall ("T6 intercostal nerve block", "post-herpetic neuralgia, T6 dermatome").
_LEVEL_REGIONS = {
    "c": frozenset({"neck"}),
    "t": frozenset({"upper-back", "mid-back", "chest", "abdomen"}),
    "l": frozenset({"lower-back"}),
    "s": frozenset({"lower-back", "buttock", "pelvis"}),
}
# "S1 joint" is the SI (sacroiliac) joint typed with a one: S1 is a nerve root, not a joint.
_JOINT_WORDS = frozenset({"joint", "joints", "articulacion", "articulaciones"})


def _levels(typed: Sequence[str]) -> set[int]:
    """Positions of the spine levels among the typed words, with a number joined to one ("L4-5",
    "C5-6" are "l4", "5" and "c5", "6")."""
    found: set[int] = set()
    for position, word in enumerate(typed):
        if word == "s1" and position + 1 < len(typed) and typed[position + 1] in _JOINT_WORDS:
            continue
        if _LEVEL.fullmatch(word) or (position - 1 in found and word.isdigit()):
            found.add(position)
    return found


def _level_regions(typed: Sequence[str]) -> frozenset[str]:
    """The body regions of the spine levels typed."""
    levels = _levels(typed)
    return frozenset().union(*(_LEVEL_REGIONS[typed[i][0]] for i in levels if typed[i][0] in _LEVEL_REGIONS))


def _without_levels(typed: Sequence[str]) -> list[str]:
    """The typed words without spine levels and sides, or none if they are all there is."""
    levels = _levels(typed)
    return [w for i, w in enumerate(typed) if i not in levels and w not in _SIDES]


# Words for the side of the body ("right L5 TFESI", "bilateral GON blocks", "rodilla izquierda"):
# like a level, a side says where, never what.
_SIDES = frozenset(
    {
        # Not "rt" or "lt": RT is also radiotherapy.
        *("left", "right", "bilateral", "bilat", "unilateral", "sided"),
        *("izquierdo", "izquierda", "izquierdos", "izquierdas", "derecho", "derecha", "derechos", "derechas"),
        *("izq", "izqdo", "izqda", "der", "dcho", "dcha"),
    }
)


# Words that say "not". In a query they are no word to match: what it says "not" of is still its
# subject ("epicondilitis que no se cura", "no steroid"), and "no" is in most Spanish texts. In a
# name they are a word that must be said: "radiofrecuencia ablativa" is not Pulsed
# radiofrequency's "radiofrecuencia no ablativa", nor "antiinflamatorios esteroideos" the NSAIDs.
_NEGATIONS = frozenset({"no", "not", "non", "sin", "without"})
# How long something has lasted ("for over 3 months", "for years", "desde hace meses", "llevo
# años"). Its words say little of what is meant, and a number word is in no entry ("six"), so it
# is read as its unit alone, after a stopword ("for months", "de meses"), which the synonym table
# may explain (lasting months or years is what "chronic" means).
_DURATION = re.compile(
    r"\b(?:(?P<en>for|over|more\s+than)|desde|hace|llevo|lleva|llevamos|durante|por|de|m[aá]s\s+de)"
    r"(?:\s+(?:for|over|more\s+than|the|past|last|a|an|one|two|three|four|five|six|several|many|few|"
    r"hace|de|un|una|unos|unas|dos|tres|cuatro|cinco|seis|varios|varias|muchos|muchas|\d+))*"
    r"\s+(?P<unit>days?|weeks?|months?|years?|d[ií]as|semanas|mes(?:es)?|a[nñ]os?)\b",
    re.IGNORECASE,
)


def _durations(query: str) -> tuple[str, frozenset[str]]:
    """The query with each duration read as its unit after "for" or "de", and the stems of those units."""
    units: list[str] = []

    def read(found: re.Match[str]) -> str:
        units.extend(words(found["unit"]))
        return f"{'for' if found['en'] else 'de'} {found['unit']}"

    return _DURATION.sub(read, query), frozenset(map(stem, units))


# A medicine's instructions, which search leaves out: a dose ("300 mg", "600mg"), a number of hours
# or times ("every 8 hours", "3 veces"), and a prescriber's shorthand for how often ("bid", "q8h").
_UNITS = re.compile(r"mg|mcg|ug|g|ml|milligrams?|miligramos?|grams?|gramos?|u|ui|iu|units?|unidades")
_DOSED = re.compile(r"[0-9]+(?:mg|mcg|ug|g|ml|u|ui|iu)|q[0-9]+h|[0-9]+hr?s?")
_SIGS = frozenset({"qhs", "qd", "bid", "tid", "qid", "qds", "prn", "qam", "qpm", "tds", "nocte", "mane"})
_PER = frozenset({"hours", "hour", "hrs", "hr", "horas", "hora", "times", "veces"})


def _instructions(typed: Sequence[str]) -> set[int]:
    """The positions of the typed words that say how much of a medicine and how often."""
    found: set[int] = set()
    for position, word in enumerate(typed):
        if _DOSED.fullmatch(word) or word in _SIGS:
            found.add(position)
            if word[0].isdigit() and position and typed[position - 1] == "c":  # "c/8h": every 8 hours
                found.add(position - 1)
        elif position and typed[position - 1].isdigit() and (word in _PER or _UNITS.fullmatch(word)):
            found |= {position - 1, position}
    return found


# A grade said beside a name ("grade 1 spondylolisthesis", "espondilolistesis grado II", "KL grade
# 3", "Modic tipo 1", "CRPS type 1"), with the name of its scale; a type only with its number.
_GRADES = frozenset({"grade", "grado"})
_TYPES = frozenset({"type", "tipo"})
_SCALES = frozenset({"kl", "kellgren", "lawrence", "meyerding"})
# The skin area a nerve root serves, said beside a name ("post-herpetic neuralgia, T6 dermatome").
_DERMATOMES = frozenset({"dermatome", "dermatomes", "dermatoma", "dermatomas"})
_GRADE_NUMBERS = re.compile(r"[0-9]|i{1,3}|iv|v")
# How often a medicine is taken ("at bedtime", "twice a day", "cada 8 horas", "qhs"): like a dose,
# instructions said beside a medicine's name, never what it is.
_SCHEDULE = frozenset(
    {
        *("bedtime", "night", "nightly", "daily", "day", "once", "twice", "times", "hours", "hourly", "weekly"),
        *("hs", "od", "bd"),  # shorthand too short to leave out of search (`_instructions` has the rest)
        *("noche", "noches", "acostarse", "diario", "diaria", "dia", "dias", "vez", "veces", "cada", "horas"),
    }
)


# How a procedure is done, said beside its name ("under fluoro", "US-guided", "ecoguiada", "trial",
# "definitivo", "interlaminar"): never which procedure it is.
_HOW_DONE = frozenset(
    {
        *("fluoro", "fluoroscopic", "fluoroscopy", "guided", "guidance", "ultrasound", "us", "ct", "under"),
        *("trial", "permanent", "implant", "revision", "interlaminar", "transforaminal", "caudal", "parasagittal"),
        *("ecoguiado", "ecoguiada", "guiado", "guiada", "fluoroscopia", "radioscopia", "ecografia", "bajo"),
        *("prueba", "definitivo", "definitiva", "implante"),
        # Which of a series of test blocks ("2nd confirmatory block", "Dx genicular nerve blocks").
        *("dx", "diagnostic", "confirmatory", "comparative", "repeat", "diagnostico", "diagnostica", "confirmatorio"),
    }
)
# A part of the spine said beside a name: a region, tried without only if the name with it is none
# ("lumbar facet RFA" is RFA, but "lumbar sympathetic block" is a name).
_SPINE_PARTS = {
    "lumbar": frozenset({"lower-back"}),
    "lumbares": frozenset({"lower-back"}),
    "cervical": frozenset({"neck"}),
    "cervicales": frozenset({"neck"}),
    "thoracic": frozenset({"upper-back", "mid-back", "chest"}),
    "toracico": frozenset({"upper-back", "mid-back", "chest"}),
    "toracica": frozenset({"upper-back", "mid-back", "chest"}),
    "dorsal": frozenset({"upper-back", "mid-back", "chest"}),
}
# How long a problem has lasted, said beside a name ("omalgia crónica", "antidepressants for
# chronic pain"), as search counts it toward a condition (_FACETS).
_LASTING = frozenset(
    {"chronic", "persistent", "longstanding", "longterm", "cronico", "cronica", "cronicos", "cronicas", "persistente"}
)
# How many are given ("genicular nerve blocks x3", "TPI x4"), and which of a series ("2nd block").
_COUNT = re.compile(r"x[0-9]+|[0-9]+(?:st|nd|rd|th|o|a|er|do|ro|to)")
# Sides as notes shorten them: "Rt", "Lt" anywhere; "R" and "L" only just before a spine level, a
# body region, a part of the spine, a word of where on it, or the SI joint ("R knee IA inj", "L SI
# jt injection"), as "L" alone is also a level's letter and "L-spine" the low back.
_SIDE_SHORT = frozenset({"rt", "lt"})
_SIDE_LETTERS = frozenset({"r", "l"})
_WHERE_ON = frozenset({"upper", "lower", "lateral", "medial", "anterior", "posterior", "superior", "inferior"})
# An occasion of care said beside a treatment's or procedure's name, never which one it is: "Qutenza
# application", "SPRINT PNS lead placement", "acupuncture sessions", "MBSR 8-week course", "PT eval
# & treat", "sesiones de fisioterapia", "colocación de electrodos", "valorar y tratar".
_OCCASION = frozenset(
    {
        *("session", "sessions", "course", "courses", "visit", "visits", "appointment", "appointments"),
        *("eval", "evaluation", "assessment", "treat", "consult", "consultation", "followup", "application"),
        *("placement", "lead", "leads", "programme", "program", "class", "classes", "week", "weeks"),
        *("sesion", "sesiones", "curso", "cursos", "consulta", "valoracion", "evaluacion", "aplicacion"),
        *("colocacion", "electrodo", "electrodos", "programa", "semana", "semanas", "valorar", "tratar", "seguimiento"),
    }
)
# The label a note, an order or a referral puts before a name ("Referral: physiotherapy", "Cita:
# bloqueo simpático lumbar", "Interconsulta: lumbalgia crónica").
_LABEL = re.compile(
    r"^\s*(?:referral|refer|order|orders|appt|appointment|dx|diagnosis|rx|plan|procedure|indication|reason|"
    r"interconsulta|cita|derivaci[oó]n|diagn[oó]stico|orden|motivo|procedimiento|receta)\s*:\s*",
    re.IGNORECASE,
)
# "three times a day", "dos veces al día".
_COUNTS = frozenset({"one", "two", "three", "four", "un", "una", "dos", "tres", "cuatro"})


class _Unqualified(NamedTuple):
    """A name's words without what is said beside it (see `_unqualified`)."""

    kept: list[str]
    # The body regions its region words name, each word's regions apart ("knee", "rodilla").
    regions: list[frozenset[str]]
    # Whether a dose or how often it is taken was said: a medicine is meant, or an injected one.
    dosed: bool
    # Whether how a procedure is done was said (_HOW_DONE).
    done: bool
    # The kept words that are a part of the spine (_SPINE_PARTS), which may be part of the name.
    spine: list[str]
    # The kept words written as a brand or model is (`_looks_like_a_brand`).
    brands: list[str]
    # The kept words and the region words, in the order typed.
    placed: list[str]
    # Whether an occasion of care was said (_OCCASION): a treatment or procedure is meant.
    occasion: bool = False


def _unqualified(typed: Sequence[str], regions_of: Mapping[str, frozenset[str]], original: str = "") -> _Unqualified:
    """The typed words without what says where, how much, how often, how or how long rather than
    what: spine levels, sides, a grade, a dose and how often it is taken, body regions, how a
    procedure is done, how long a problem has lasted ("grade 1 L4-5 spondylolisthesis", "CRPS right
    foot", "left knee Synvisc", "Elavil 10 mg at bedtime", "right L5 TFESI under fluoro", "omalgia
    crónica"). `regions_of` gives the regions a word names; `original` is the query as typed, which
    shows a brand (`_looks_like_a_brand`)."""
    levels = _levels(typed)
    instructions = _instructions(typed)
    said = _Unqualified([], [], False, False, [], [], [])
    for position, word in enumerate(typed):
        before = typed[position - 1] if position else ""
        after = typed[position + 1] if position + 1 < len(typed) else ""
        graded = (
            word in _GRADES
            or (before in _GRADES | _TYPES and _GRADE_NUMBERS.fullmatch(word))
            or (word in _TYPES and _GRADE_NUMBERS.fullmatch(after))
            or (word in _SCALES and after in _GRADES)
        )
        singular = [word, *_other_number(word)] if word.isalpha() and len(word) >= MIN_PREFIX else [word]
        region = next((regions_of[w] for w in singular if w in regions_of), None)
        if (
            position in levels
            or word in _SIDES
            or word in _SIDE_SHORT
            or word == "w"  # "w/ fluoro": with
            or (word in _PART_WORDS and (before in _BODY_PARTS or after in _BODY_PARTS))
            or (word in _WHERE_ON and after in regions_of)
            or (word in _SIDE_LETTERS and _before_a_place(after, position + 1 in levels, regions_of))
            or graded
            or word in _DERMATOMES
            or word in _LASTING
            or _COUNT.fullmatch(word)
        ):
            continue
        if word in STOPWORDS:  # kept between the words of a name ("ablación del nervio ...")
            said.kept.append(word)
            said.placed.append(word)
        elif region is not None:
            said.regions.append(region)
            said.placed.append(word)
        elif (
            position in instructions
            or _DOSE.fullmatch(word)
            or word in _SCHEDULE
            or word in _ORAL
            or (word in _COUNTS and after in ("times", "veces"))
        ):
            said = said._replace(dosed=True)
        elif word in _HOW_DONE:
            said = said._replace(done=True)
        elif word in _OCCASION:
            said = said._replace(occasion=True)
        else:
            said.kept.append(word)
            said.placed.append(word)
            if word in _SPINE_PARTS:
                said.spine.append(word)
            elif _looks_like_a_brand(word, original):
                said.brands.append(word)
    return said


def _before_a_place(after: str, level: bool, regions_of: Mapping[str, frozenset[str]]) -> bool:
    """Whether the word after "R" or "L" says where: a spine level, a body region, a part of the
    spine, a word of where on a part ("L lateral elbow"), or the SI joint."""
    return level or after in regions_of or after in _SPINE_PARTS or after in _WHERE_ON or after == "si"


def _looks_like_a_brand(word: str, original: str) -> bool:
    """Whether the query writes the word as a brand or model is written: with a digit ("HF10"), in
    capitals ("SPRINT"), or with a capital after the query's start ("con Coolief"). A medical word
    missing from the word lists ("distonía cervical") is written in small letters."""
    for found in re.finditer(r"\w+", original):
        if normalize(found[0]) == word:
            spelled = found[0]
            return any(c.isdigit() for c in spelled) or (
                len(spelled) > 1 and (spelled.isupper() or (spelled[0].isupper() and found.start() > 0))
            )
    return False


def _named_with_qualifiers(
    query: str, winner: Entry, missed: Sequence[str], catalogue: IndexCatalogue, kind: Kind | None
) -> bool:
    """Whether the query is one of the winner's names with what says where, how much, how often or
    how said beside it (`_unqualified`), or after a label: the name without them resolves to the
    winner, which is found in each body region said and at the spine levels said, is no condition if
    a dose is said and a procedure if how it is done is said. "knee nerve block" is not Nerve block
    where search ranks Genicular nerve block first."""
    whole = [w for w in words(query[:MAX_NAME]) if w not in STOPWORDS]
    query = _LABEL.sub("", query[:MAX_NAME], count=1)
    typed = words(query)
    if _NEGATED.match(query) or not _NEGATIONS.isdisjoint(typed) or _form_unfit(query, winner):
        return False
    store = catalogue.store
    said = _unqualified(typed, _regions_said(catalogue), query[:MAX_NAME])
    # A treatment with no body regions of its own is for any of them ("PT eval & treat - lumbar").
    anywhere = winner.kind is Kind.TREATMENT and not winner.regions
    if not anywhere and (
        any(region.isdisjoint(winner.regions) for region in said.regions) or not _found_at_levels(query, winner)
    ):
        return False
    if (
        (said.dosed and winner.kind is Kind.CONDITION)
        or (said.done and winner.kind is not Kind.PROCEDURE)
        or (said.occasion and winner.kind is Kind.CONDITION)
    ):
        return False
    # A brand or model beside the name: one the catalogue has never heard of, or one the winner's
    # text names ("Superion", "Intracept"). A real word in capitals the winner never speaks of is
    # no brand of it ("RF ablation for Atrial Fibrillation"), nor is another entry's name ("... for
    # CRPS").
    brands = {
        w
        for w in said.brands
        if (w not in missed or not is_known_word(w, store))
        and all(named_id == winner.id for _how, named_id, _name, _kind in store.named(w, None))
    }
    # The words with their body regions, then without; each then without brands, then without a
    # part of the spine where the winner is found. A medicine is also read without the word for a
    # shot ("Toradol shot"): injected, it is still that medicine, as a name of a procedure is not.
    readings: list[list[str]] = []
    for words_said in (said.placed, said.kept):
        readings += [words_said, [w for w in words_said if w not in brands]]
    if winner.kind is Kind.TREATMENT:
        readings += [[w for w in reading if w not in _INJECTED] for reading in readings]
    if said.spine and (anywhere or all(not _SPINE_PARTS[w].isdisjoint(winner.regions) for w in said.spine)):
        readings += [[w for w in reading if w not in said.spine] for reading in readings]
    names = IndexNames(store, kind)
    said_as_names = []
    for reading in dict.fromkeys(tuple(reading) for reading in readings):
        telling = [i for i, w in enumerate(reading) if w not in STOPWORDS]
        kept = reading[telling[0] : telling[-1] + 1] if telling else ()
        if kept and len(telling) < len(whole):
            said_as_names.append(kept)
    # Only a whole name, perhaps reworded, not the start of one; a typo of one only when no reading
    # is a name as typed ("amitryptiline 10mg nocte").
    for read in (_named_as_typed, _misspelt):
        for kept in said_as_names:
            if found := read(kept, names):
                named_ids = {named.id for named in found}
                # A family's name said with a body region its member is for is that member: "IA inj"
                # beside "R knee" is Knee joint injection, which search ranks first.
                return named_ids == {winner.id} or bool(said.regions and named_ids == {winner.family})
    return False


def _named_as_typed(typed: Sequence[str], names: IndexNames) -> list[Named[str]]:
    """The names the typed words are, in another number, or reworded (`_reworded`), also with
    the last word in another number ("facet jt injections")."""
    said_as = " ".join(typed)
    key = normalize(said_as)
    found = next((tier for k in (key, *_in_other_number(said_as, key)) for tier in names.exact(k) if tier), None)
    if found:
        return found
    for last in (typed[-1], *_other_number(typed[-1])):
        said_as = " ".join((*typed[:-1], last))
        if found := _reworded(said_as, normalize(said_as), names):
            return found
    return []


def _misspelt(typed: Sequence[str], names: IndexNames) -> list[Named[str]]:
    """The names the typed words are with typos in words that are no real words ("amitryptiline"
    beside "10mg nocte"), as `resolve` reads them (`_misspells`)."""
    is_word = cache(names.is_word)
    telling = [w for w in typed if w not in STOPWORDS] or list(typed)
    return [c for c in _unique(names.similar(normalize(" ".join(typed)))) if _misspells(telling, c, is_word)]


# Parts of the body said beside a name where a procedure is done, and the region each is in: a joint
# of a limb, a muscle, a nerve. Search needs no synonym for them (the catalogue's text writes them
# where it speaks of them), but a note saying one beside a name says where ("PRP inj R lateral
# elbow", "TPIs bilat upper traps x4", "RF pulsada del nervio supraescapular", "infiltración
# coxofemoral": the hip joint; V1 to V3 are the trigeminal nerve's branches, in the face).
_BODY_PARTS = {
    **dict.fromkeys(("elbow", "elbows", "codo", "codos"), frozenset({"arm"})),
    **dict.fromkeys(("wrist", "wrists", "thumb", "thumbs", "finger", "fingers"), frozenset({"hand"})),
    **dict.fromkeys(("muneca", "munecas", "pulgar", "pulgares"), frozenset({"hand"})),
    **dict.fromkeys(("coxofemoral",), frozenset({"hip"})),
    **dict.fromkeys(("trapezius", "traps", "trapecio", "trapecios"), frozenset({"neck", "shoulder", "upper-back"})),
    **dict.fromkeys(("suprascapular", "supraescapular"), frozenset({"shoulder"})),
    **dict.fromkeys(("v1", "v2", "v3"), frozenset({"face"})),
}
# The word for what such a part is, said with it ("suprascapular nerve", "músculo trapecio").
_PART_WORDS = frozenset({"nerve", "nerves", "muscle", "muscles", "nervio", "nervios", "musculo", "musculos"})


def _regions_said(catalogue: IndexCatalogue) -> dict[str, frozenset[str]]:
    """The body regions each word names: a region's one-word label in any language, a word the
    synonym table explains with one ("ankle: foot leg"), or a part of the body (_BODY_PARTS)."""
    labels = region_words(tuple(catalogue.store.languages()))
    found = {**_BODY_PARTS, **labels}
    for word, meanings in one_word_synonyms(catalogue.synonyms).items():
        named = [labels[m] for m in meanings if m in labels]
        if named and word not in found:
            found[word] = frozenset().union(*named)
    return found


def _qualified(typed: Sequence[str]) -> bool:
    """Whether the typed words say a spine level or a side."""
    return bool(_levels(typed)) or not _SIDES.isdisjoint(typed)


def _reworded_as(typed: list[str], key: str, names: Names[T], *, reorder: bool) -> list[Named[T]]:
    found: list[Named[T]] = []
    for kept, kinds in _without_kind_words(typed):
        telling = [w for w in kept if w not in STOPWORDS]
        if not telling:
            continue
        # The words as typed, then without the small words they start with ("my CBT-I", "dolor de
        # hernia de disco"), before any order of the telling words alone, which drops a small word
        # that is part of a name (the "I" of "CBT-I").
        start = next(i for i, w in enumerate(kept) if w not in STOPWORDS)
        orders = permutations(telling) if len(telling) <= MAX_REORDERED else [telling]
        for keys in (
            [normalize(" ".join(kept)), normalize(" ".join(kept[start:]))],
            [normalize(" ".join(order)) for order in orders] if reorder else [],
        ):
            for reworded in dict.fromkeys(keys):
                if reworded != key:
                    found += [n for tier in names.exact(reworded) for n in tier if kinds is None or n.kind in kinds]
            if found:
                return found
    return found


def _without_kind_words(typed: list[str]) -> list[tuple[list[str], frozenset[str] | None]]:
    """The words as typed, then without kind words at their start, their end or both, fewest taken
    off first ("cognitive behavioral therapy treatment", then without "treatment", then "therapy";
    "treatment for nerve pain" without "treatment", though "pain" is one too), each with the kinds
    the words taken off allow (None: any); then the same without a dose."""
    found: list[tuple[list[str], frozenset[str] | None]] = []
    starts: list[tuple[list[str], frozenset[str] | None]] = [(typed, None)]
    if any(_DOSE.fullmatch(word) for word in typed):  # a dose says a medicine is meant
        starts.append(([word for word in typed if not _DOSE.fullmatch(word)], _TREATMENTS))
    for kept, kinds in starts:
        leading = next((i for i, word in enumerate(kept) if word not in _KIND_WORDS), len(kept))
        trailing = next((i for i, word in enumerate(reversed(kept)) if word not in _KIND_WORDS), len(kept))
        cuts = sorted(
            ((i, j) for i in range(leading + 1) for j in range(trailing + 1) if i + j < len(kept)),
            key=lambda cut: (cut[0] + cut[1], -cut[1]),
        )
        for i, j in cuts:
            allowed = kinds
            for word in kept[:i] + kept[len(kept) - j :]:
                allowed = _KIND_WORDS[word] if allowed is None else allowed & _KIND_WORDS[word]
            found.append((kept[i : len(kept) - j], allowed))
    return found


# Names of up to this many words are also looked up with a word in the other number.
MAX_NUMBERED = 8


def _in_other_number(query: str, key: str) -> list[str]:
    """The query's keys with one word (or every word) in the other number, as English and Spanish
    make plurals: "trigger point" for "trigger points", "inyeccion" for "inyecciones"."""
    typed = words(query[:MAX_NAME])
    if not typed or len(typed) > MAX_NUMBERED:
        return []
    forms = [[] if w in STOPWORDS or not w.isalpha() or len(w) < MIN_PREFIX else _other_number(w) for w in typed]
    keys = [normalize(" ".join([*typed[:i], form, *typed[i + 1 :]])) for i, found in enumerate(forms) for form in found]
    # Every plural at once in the singular ("facet joints injections").
    singular = [found[0] if found and w.endswith("s") else w for w, found in zip(typed, forms, strict=True)]
    keys.append(normalize(" ".join(singular)))
    return [k for k in dict.fromkeys(keys) if k != key]


def _other_number(word: str) -> list[str]:
    """A word's likely singulars, or its likely plurals ("ies"/"y", "es", "s"; "ces"/"z")."""
    if word.endswith("ies"):
        return [word[:-3] + "y", word[:-1]]
    if word.endswith("ces"):
        return [word[:-3] + "z", word[:-1]]
    if word.endswith("es"):
        return [word[:-2], word[:-1]]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return [word[:-1]]
    if word.endswith("y") and word[-2] not in "aeiou":
        return [word[:-1] + "ies", word + "s"]
    if word.endswith("z"):
        return [word[:-1] + "ces"]
    return [word + "s", word + "es"]


def _prefix_of_a_word(typed: Sequence[str], candidate: Named[T], is_word: Callable[[str], bool]) -> bool:
    """Whether the typed words begin one of the candidate's names as typing does: the last typed
    word unfinished ("radiofreq"), or a whole word of that name ("spinal cord"). Whole words the
    name goes on to qualify with a small word ("for", "de", "para") name more than it does:
    "marcapasos" (a pacemaker) is not "marcapasos para el dolor"."""
    if not typed or not is_word(typed[-1]):
        return True
    names = [words(name) for name in (candidate.id.replace("-", " "), candidate.name, *candidate.aliases)]
    count = len(typed)
    begun = [spelled for spelled in names if spelled[:count] == list(typed)]
    if begun:
        return any(len(spelled) == count or spelled[count] not in STOPWORDS for spelled in begun)
    return any(typed[-1] in spelled for spelled in names)


def _misspells(typed: Sequence[str], candidate: Named[T], is_word: Callable[[str], bool]) -> bool:
    """Whether the typed words are one of the candidate's names, word by word, in another form
    ("parches de lidocaína" for "parche de lidocaína") or with typos only in words that are not
    real words ("radiofrequncy ablaton"; never "knee pain" for "nerve pain"). Small words such as
    "of" and "de" may come and go; two typed words may be one word of the name ("radio frequency
    ablasion"); and one word of a longer name may slip into another real word: two letters swapped
    ("phantom limb pian"), or one letter off in a name of three or more words ("spinal chord
    stimulation")."""
    for name in (candidate.id, candidate.name, *candidate.aliases):
        spelled = [w for w in words(name) if w not in STOPWORDS] or words(name)
        if _spells(tuple(typed), tuple(spelled), is_word):
            return True
    return False


# A word cut off while typing stands for the word it starts from this many letters, and may hold
# a typo from CUT_TYPO letters, in its last CUT_TYPO_AT letters (where typing stopped: "gabapne",
# "radiofrek"; a slip earlier, "uperir" for "periradicular", is no cut); a real word is a cut only
# of a coined word it nearly ends (CUT_WORD letters or more, at most CUT_MISSING short of it:
# "Celebre" for "Celebrex", never "radio" for "radiofrequency").
MIN_CUT = 4
CUT_TYPO = 7
CUT_TYPO_AT = 2
CUT_WORD = 6
CUT_MISSING = 2


def _cut_off(
    typed: Sequence[str],
    candidates: Sequence[Named[T]],
    is_word: Callable[[str], bool],
    coined: Callable[[str], bool],
) -> tuple[list[Named[T]], list[Named[T]]]:
    """The candidates one of whose names the typed words begin, the last word cut off (see `_cut`)
    and the words before it as `_spells` lines them up: those named so by id or name, then those
    named so by an alias."""
    if not typed or len(typed) > MAX_NUMBERED:
        return [], []
    *before, last = typed
    by_name: list[Named[T]] = []
    by_alias: list[Named[T]] = []
    for candidate in candidates:
        for tier, name in enumerate((candidate.id.replace("-", " "), candidate.name, *candidate.aliases)):
            spelled = [w for w in words(name) if w not in STOPWORDS] or words(name)
            if (
                len(spelled) > len(before)
                and _cut(last, spelled[len(before)], is_word, coined)
                and _spells(tuple(before), tuple(spelled[: len(before)]), is_word)
            ):
                (by_name if tier < 2 else by_alias).append(candidate)
                break
    return by_name, by_alias


def _cut(typed: str, word: str, is_word: Callable[[str], bool], coined: Callable[[str], bool]) -> bool:
    """Whether `typed` is the start of `word`, as typing leaves it: exactly, or with one typo when
    long enough; a real word only exactly, and only for a coined word it nearly ends."""
    if len(typed) < MIN_CUT or len(typed) >= len(word) or not typed.isalpha():
        return False
    if is_word(typed):
        return (
            len(typed) >= CUT_WORD and len(word) - len(typed) <= CUT_MISSING and word.startswith(typed) and coined(word)
        )
    if word.startswith(typed):
        return True
    head = len(typed) - CUT_TYPO_AT
    return (
        len(typed) >= CUT_TYPO
        and word.startswith(typed[:head])
        and any(edit_distance(typed[head:], word[head:n], 1) <= 1 for n in (len(typed) - 1, len(typed), len(typed) + 1))
    )


def _spells(typed: tuple[str, ...], spelled: tuple[str, ...], is_word: Callable[[str], bool]) -> bool:
    """Whether the typed words line up with a name's words (see `_misspells`); at most one swap."""
    if len(spelled) > len(typed) or len(typed) > 2 * len(spelled):
        return False
    swaps = 1 if len(spelled) >= 2 else 0

    def same(t: str, s: str, swapped: int, joined: int | None = None) -> int | None:
        """Slips used so far if `t` may be `s`, or None. Typed words `joined` from that position on
        are two real words joined, which may only be `s` as it is spelt: "rodilla RFA" is not a
        typo of "rodillera"."""
        if t == s or stem(t) == stem(s):
            return swapped
        if joined is not None and is_word(typed[joined]) and is_word(typed[joined + 1]):
            return None
        if is_typo_of(t, s) and not is_word(t):
            return swapped
        if swapped >= swaps:
            return None
        # A real word for a name's word: two letters swapped ("pian"), or, among three or more
        # words, one letter more, less or other ("spinal chord stimulation").
        slipped = _swapped(t, s) or (
            len(spelled) >= 3 and min(len(t), len(s)) > MIN_PREFIX and edit_distance(t, s, 1) <= 1
        )
        return swapped + 1 if slipped else None

    @cache  # each (typed word, name word, swaps) once: never exponential in the name's length
    def line_up(i: int, j: int, swapped: int) -> bool:
        if j == len(spelled):
            return i == len(typed)
        if i == len(typed):
            return False
        one = same(typed[i], spelled[j], swapped)
        if one is not None and line_up(i + 1, j + 1, one):
            return True
        if i + 1 < len(typed):
            two = same(typed[i] + typed[i + 1], spelled[j], swapped, i)
            if two is not None and line_up(i + 2, j + 1, two):
                return True
        return False

    return line_up(0, 0, 0)


def _swapped(typed: str, word: str) -> bool:
    """Whether `typed` is `word` with two neighbouring letters swapped ("pian", "pain")."""
    if len(typed) != len(word) or len(word) < MIN_PREFIX + 1 or typed == word:
        return False
    differ = [i for i, (a, b) in enumerate(zip(typed, word, strict=True)) if a != b]
    return (
        len(differ) == 2
        and differ[1] == differ[0] + 1
        and typed[differ[0]] == word[differ[1]]
        and typed[differ[1]] == word[differ[0]]
    )


def quoted(query: str) -> str:
    """A query as quoted back in a message: long input cut short."""
    return query if len(query) <= 60 else query[:57] + "..."


def _or_list(names: Sequence[str]) -> str:
    quoted = [f"'{n}'" for n in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + _(" or ") + quoted[-1]


def _ambiguous(
    query: str,
    found: Sequence[Named[T]],
    what: str,
    display: Callable[[Sequence[str]], Mapping[str, str]] | None = None,
) -> AmbiguousNameError:
    names = display([c.id for c in found[:6]]) if display else {}
    shown = [f"{names.get(c.id, c.name)} ({c.id})" for c in found[:6]]
    more = _(" and {count} more").format(count=len(found) - 6) if len(found) > 6 else ""
    plural = _(_PLURAL[what]) if what in _PLURAL else f"{what}s"
    return AmbiguousNameError(
        _("'{query}' could mean {count} {plural}: {names}{more}; be more specific").format(
            query=quoted(query), count=len(found), plural=plural, names=", ".join(shown), more=more
        )
    )


def resolve_entry(catalogue: IndexCatalogue, query: str, kind: Kind | None = None) -> tuple[Entry, bool]:
    """Resolve a name to an entry, optionally of one kind, saying so when the name is another kind's.

    Names first (`resolve`); when no name matches, search decides: a single clear winner that
    shares a word (or a typo of one) with its own names is shown as a guess, otherwise the
    error offers search's best hits.
    """
    what = kind.value if kind else "entry"
    try:
        entry_id, guessed = resolve(query, IndexNames(catalogue.store, kind), what=what, display=_names_in(catalogue))
        if guessed and (found := catalogue.get(entry_id)) is not None and _form_unfit(query, found):
            raise NotFoundError(query)  # a guess of the wrong form: search decides, as for no name
    except NotFoundError:
        if kind is not None and (other := _quietly(query, catalogue)) is not None:
            raise NotFoundError(
                _("'{query}' is the {other} '{name}', not a {kind}; try 'painref show {id}'").format(
                    query=quoted(query), other=_(other.kind.value), name=other.name, kind=_(kind.value), id=other.id
                )
            ) from None
        ranked = _ranked(catalogue, query, kind=kind, limit=3)
        hits = [found.hit for found in ranked]
        if (
            hits
            and _clear_winner(hits)
            and not _says_more(ranked[0].missed, catalogue.store)
            and _found_at_levels(query, hits[0].entry)
            and (
                ranked[0].naming >= NAMES_IT
                or (
                    _decisive(hits)
                    and _wholly_named_by(query, hits[0].entry, catalogue.store)
                    and _shortens(query, hits[0].entry, catalogue.store)
                )
            )
            and _named_by(query, hits[0].entry, catalogue.store)
            and not _care_unasked(query, hits[0].entry, catalogue)
            and not _names_another(query, hits, catalogue.store)
            and not _negation_unsaid(query, hits[0].entry, catalogue.store)
            and (hits[0].entry.kind is not Kind.CONDITION or not _instructions(words(query[:MAX_NAME])))
            and not _form_unfit(query, hits[0].entry)
        ) or (hits and _named_with_qualifiers(query, hits[0].entry, ranked[0].missed, catalogue, kind)):
            return hits[0].entry, True
        if hits:
            suggested = _or_list([hit.entry.name for hit in hits])
            raise NotFoundError(
                _("{no_what} named '{query}'; did you mean {suggested}?").format(
                    no_what=_no(what), query=quoted(query), suggested=suggested
                )
            ) from None
        message = (
            _("{no_what} named '{query}' and nothing matches it; try 'painref list'")
            if kind
            else _("{no_what} named '{query}' and nothing matches it; try 'painref list all'")
        )
        raise NotFoundError(message.format(no_what=_no(what), query=quoted(query))) from None
    entry = catalogue.get(entry_id)
    assert entry is not None  # the index named it
    return entry, guessed


def _names_in(catalogue: IndexCatalogue) -> Callable[[Sequence[str]], Mapping[str, str]] | None:
    """Entries' names in the catalogue's language, by id (the index looks names up in English)."""
    if catalogue.language == ENGLISH:
        return None
    return lambda ids: {entry.id: entry.name for entry in catalogue.get_many(list(ids))}


class _Ranked(NamedTuple):
    """A hit as `_ranked` gives it, with what the resolver weighs beside its score."""

    hit: Hit
    # How well one of its names and the query's words cover each other.
    naming: float
    # The query's words that nothing in the entry matches.
    missed: tuple[str, ...]


def _found_at_levels(query: str, entry: Entry) -> bool:
    """Whether the entry is found where the spine levels the query says are, if it says any:
    "L5 radiculopathy" may be Radiculopathy, "C2 neuralgia" is not Neuropathic pain; or is at the
    spine, where a level says where it is done ("T8 spinal cord stimulator trial")."""
    regions = _level_regions(words(query[:MAX_NAME]))
    return not regions or not regions.isdisjoint(entry.regions) or at_the_spine(entry.name)


# Words of a name that place what it names at the spine, at any level of it: its cord, its nerve
# roots, the spaces round them, its bones. A level said beside such a name says where it is done,
# not where the pain is ("T8 spinal cord stimulator", "estimulación del GRD L4", "T7 ESI").
_AT_THE_SPINE = frozenset(
    {
        *("spinal", "spine", "epidural", "intrathecal", "root", "vertebra", "vertebral"),
        *("medula", "medular", "espinal", "columna", "raiz", "intratecal", "vertebral"),
    }
)


def at_the_spine(name: str) -> bool:
    """Whether a name says what it names is at the spine (_AT_THE_SPINE)."""
    return not _AT_THE_SPINE.isdisjoint(words(name))


def _says_more(missed: Sequence[str], index: Index) -> bool:
    """Whether the query asks about something its best hit never speaks of: a real word the hit
    does not hold ("plasma rico en plaquetas para la cara": the entry says nothing of the face),
    other than a word for its kind, a side of the body, a spine level, a count or a dose. A word
    that is no word at all (a brand the catalogue lacks, a typo with no correction) says nothing
    either way."""
    return any(
        word not in _KIND_WORDS
        and word not in _SIDES
        and word not in _SIDE_SHORT
        and not _DOSE.fullmatch(word)
        and not _LEVEL.fullmatch(word)
        and not _COUNT.fullmatch(word)
        and is_known_word(word, index)
        for word in missed
    )


def _clear_winner(hits: Sequence[Hit]) -> bool:
    return len(hits) == 1 or hits[0].score >= CLEAR_WINNER * hits[1].score


def _decisive(hits: Sequence[Hit]) -> bool:
    """The only hit, or one far ahead of the next."""
    return len(hits) == 1 or hits[0].score >= DECISIVE * hits[1].score


def _wholly_named_by(query: str, entry: Entry, index: Index) -> bool:
    """Whether every telling query word is in one of the entry's names (see `_words_named`), also
    as its start ("minima" in "mínimamente"): the query is a shortened name ("anticonvulsivos para
    el dolor"), though it covers too little of any one name to be one. Pasted text is no name."""
    found = _words_named(query, entry, index, as_start=True) if len(query) <= MAX_NAME else []
    return bool(found) and all(found)


def _shortens(query: str, entry: Entry, index: Index) -> bool:
    """Whether the query holds more than half (SHORTENS) of one of the entry's names in any
    language, counting only the name's telling words: not stopwords, nor words as common as
    "syndrome" (STOPLIKE_SHARE), which say little of what the name names."""
    typed = [w for w in words(query[:MAX_NAME]) if w not in STOPWORDS]
    held = {stem(t) for t in typed}
    common = STOPLIKE_SHARE * index.count()
    spellings = index.name_spellings([entry.id]).get(entry.id, ())
    for name in (entry.name, *entry.aliases, *spellings):
        telling = [w for w in words(name) if w not in STOPWORDS and index.stem_frequency(stem(w)) <= common]
        covered = [
            w
            for w in telling
            if stem(w) in held
            or any(len(t) > MIN_PREFIX and w.startswith(t) for t in typed)
            or any(is_typo_of(t, w) and not is_known_word(t, index) for t in typed)
        ]
        if telling and len(covered) > SHORTENS * len(telling):
            return True
    return False


# What joins two names in a question about both: "A or B", "A vs. B", "A y B", "A/B"; and how
# many joins are looked at (each part is looked up).
MAX_JOINED = 8
_JOINED_NAMES = re.compile(r"\s+(?:or|and|vs\.?|versus|y|o|e|u|contra)\s+|\s*[,/&+]\s*", re.IGNORECASE)


# A name that starts by saying what is not meant.
_NEGATED = re.compile(r"\s*(?:not|no|non|without|never|sin|nunca)\b", re.IGNORECASE)


def _names_another(query: str, hits: Sequence[Hit], index: Index) -> bool:
    """Whether the query means more than its winner: it starts with "not", it joins two entries'
    names ("Tramadol or hip steroid injection"), or it holds the whole of a name of another hit in
    words the winner's names lack ("SCS and postherpetic neuralgia"; but "genicular RFA" names one
    entry, whose names hold "RFA", Radiofrequency ablation's)."""
    if _NEGATED.match(query):  # "not stellate ganglion block" asks about something else
        return True
    # Names on either side of "or", "and", "vs" ("Tramadol or hip steroid injection").
    parts = [normalize(part) for part in _JOINED_NAMES.split(query[:MAX_NAME], maxsplit=MAX_JOINED)]
    if len(parts) > 1 and len({i for part in parts if part for _how, i, _name, _kind in index.named(part, None)}) > 1:
        return True
    typed = {stem(w) for w in words(query[: MAX_NAME * 4]) if w not in STOPWORDS}
    ids = [hit.entry.id for hit in hits]
    spellings = index.name_spellings(ids)
    winner, *others = hits
    own = {
        stem(w)
        for name in (winner.entry.name, *winner.entry.aliases, *spellings.get(winner.entry.id, ()))
        for w in words(name)
    }
    for hit in others:
        for name in (hit.entry.name, *hit.entry.aliases, *spellings.get(hit.entry.id, ())):
            stems = {stem(w) for w in words(name) if w not in STOPWORDS}
            if stems and stems <= typed and not stems <= own:
                return True
    return False


def _negation_unsaid(query: str, entry: Entry, index: Index) -> bool:
    """Whether one of the entry's names in any language says "not" (_NEGATIONS) where the query,
    which says the rest of that name, does not: "radiofrecuencia ablativa" is the opposite of
    Pulsed radiofrequency's "radiofrecuencia no ablativa"."""
    typed = words(query[: MAX_NAME * 4])
    if not _NEGATIONS.isdisjoint(typed):
        return False
    held = {stem(w) for w in typed}
    spellings = index.name_spellings([entry.id]).get(entry.id, ())
    for name in (entry.name, *entry.aliases, *spellings):
        spelled = words(name)
        if not _NEGATIONS.isdisjoint(spelled):
            rest = {stem(w) for w in spelled if w not in STOPWORDS and w not in _NEGATIONS}
            if rest and rest <= held:
                return True
    return False


def _care_unasked(query: str, entry: Entry, catalogue: IndexCatalogue) -> bool:
    """Whether the query describes a problem while its winner is care for it: "dolor de cabeza en
    la nuca" is not shown as the occipital nerve block just because one of its lay names is
    "inyección en la nuca para el dolor de cabeza". A word for care (or a synonym's) in the query,
    a whole word of the entry's name in any language, or the whole of one of its aliases, says the
    care is meant."""
    if entry.kind is Kind.CONDITION:
        return False
    store = catalogue.store
    names = [entry.name] + [
        text
        for lang in store.languages()
        if isinstance(text := store.translations(lang, [entry.id]).get(entry.id, {}).get("name", {}).get(TEXT), str)
    ]
    spellings = store.name_spellings([entry.id]).get(entry.id, ())
    # A word misspelt as no real word is the word of its names it misspells ("Flexaril 10mg",
    # "accupuncture sessions"), as `_words_named` reads it.
    named = {w for name in (*names, *entry.aliases, *spellings) for w in words(name)}
    typed = [
        stem(next((w for w in sorted(named) if is_typo_of(t, w)), t) if not is_known_word(t, store) else t)
        for t in words(query[: MAX_NAME * 4])
    ]
    asked = set(typed)
    for phrase, meaning in catalogue.synonyms.items():  # as search lends synonyms (`_alternatives`)
        if _holds_phrase(typed, sorted(stem(w) for w in words(phrase))):
            asked |= {stem(w) for w in words(meaning)}
    own = {stem(w) for name in names for w in words(name) if w not in STOPWORDS}
    if asked & CARE_WORDS or asked & own:
        return False
    # One of its aliases said whole names the care too ("RFA/RFN", "carbamazepine (Tegretol)").
    for alias in (*entry.aliases, *spellings):
        telling = {stem(w) for w in words(alias) if w not in STOPWORDS}
        if telling and telling <= asked:
            return False
    return True


# A medicine given as a shot (`_named_with_qualifiers`).
_INJECTED = frozenset(
    {
        *("shot", "shots", "injection", "injections", "injectable", "inj", "im", "iv"),
        *("intramuscular", "intravenous", "intravenoso", "inyeccion", "inyecciones", "inyectable"),
    }
)
# A medicine's form: taken by mouth, or put on the skin. A name said with one form is never a guess
# of an entry whose name says the other ("Voltaren 50 mg tabletas" is no gel, though "Voltaren" alone
# names the gel in the US).
_ORAL = frozenset(
    {
        *("tablet", "tablets", "tab", "tabs", "pill", "pills", "capsule", "capsules", "caps", "oral", "syrup"),
        *("tableta", "tabletas", "comprimido", "comprimidos", "pastilla", "pastillas", "capsula", "capsulas"),
        *("jarabe", "gotas", "drops", "grageas"),
    }
)
_ON_THE_SKIN = frozenset(
    {
        *("topical", "gel", "gels", "cream", "creams", "patch", "patches", "ointment", "lotion"),
        *("topico", "topica", "topicos", "topicas", "crema", "cremas", "parche", "parches", "pomada", "unguento"),
    }
)


def _form_unfit(query: str, entry: Entry) -> bool:
    """Whether the query names a medicine's form the entry's name rules out: by mouth or as a shot
    for one put on the skin, or on the skin for one whose name says by mouth."""
    typed = set(words(query[: MAX_NAME * 4]))
    named = {w for name in (entry.name, entry.id) for w in words(name)}
    return bool(
        ((typed & _ORAL or typed & _INJECTED) and named & _ON_THE_SKIN and not typed & _ON_THE_SKIN)
        or (typed & _ON_THE_SKIN and named & _ORAL and not typed & _ORAL)
    )


def _named_by(query: str, entry: Entry, index: Index) -> bool:
    """Whether a query word is a word of one of the entry's names, or a typo of one (see `resolve`)."""
    return any(_words_named(query, entry, index))


def _words_named(query: str, entry: Entry, index: Index, *, as_start: bool = False) -> list[bool]:
    """For each telling query word, whether one of the entry's names in any language holds it in
    any form, misspelt (when it is no real word), or, `as_start`, as the start of a longer word."""
    typed = {w for w in words(query[: MAX_NAME * 4]) if w not in STOPWORDS}
    spellings = index.name_spellings([entry.id]).get(entry.id, ())  # names in every language
    named = {w for name in (entry.id, entry.name, *entry.aliases, *spellings) for w in words(name)}
    stems = {stem(w) for w in named}
    return [
        stem(t) in stems
        or (as_start and len(t) > MIN_PREFIX and any(w.startswith(t) for w in named))
        or (not is_known_word(t, index) and any(is_typo_of(t, w) for w in named))
        for t in typed
    ]


def _quietly(query: str, catalogue: IndexCatalogue) -> Entry | None:
    """The entry of any kind a name means exactly, or None."""
    try:
        entry_id, guessed = resolve(query, IndexNames(catalogue.store, None), display=_names_in(catalogue))
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
# A query word's only catalogue word one slip away ("fibromyalga", "ibuprofin") counts for this much.
NEAR_TYPO_FACTOR = 0.8
JOINED_FACTOR = 0.95
SPELLING_FACTOR = 0.96
# A Spanish verb said in a person ("me lavo", "cuando camino") stands for its infinitive or gerund
# in the catalogue's text ("lavarse", "caminar") for this much.
VERB_FORM_FACTOR = 0.9
# Endings of a Spanish verb said in a person (present, preterite and imperfect, accents folded),
# and the endings of the forms the catalogue's text writes it in, from the same root.
_PERSON_ENDINGS = (
    *("amos", "emos", "imos", "aste", "iste", "aba", "abas", "aban", "ia", "ias", "ian"),
    *("as", "an", "es", "en", "o", "a", "e", "i"),
)
_WRITTEN_ENDINGS = ("ar", "arse", "er", "erse", "ir", "irse", "ando", "iendo")
# A verb's root is at least this long: shorter ones make other words ("ve" -> "ver").
MIN_VERB_ROOT = 3
NAMING_BONUS = 10.0
# A whole query's synonym naming an entry counts for less than the query naming it itself.
MEANING_FACTOR = 0.75
# A word in more than this share of entries ("pain", "syndrome" in this catalogue) says too little
# to be the only word an entry matches when the query has a more telling one.
STOPLIKE_SHARE = 0.25
# A word in this share of entries or more (pain, dolor) says nothing a synonym's other words don't.
UNIVERSAL_SHARE = 0.9
TELLING_SHARE = 0.04
# A hit none of whose names hold a query word must hold at least this share of the query's
# words, weighed by rarity; less is a weak hit, and "nothing matches" the honest answer. On the
# dev split 0.6 left out more wrong hits at no cost; on the test split it cost a point of top-3
# that 0.5 does not, so the milder share stays.
WEAK_SHARE = 0.5
# When half the query's words or more are words no entry holds ("methotrexate for rheumatoid
# arthritis", "my mum's knee replacement surgery"), a hit that does not say one of its names whole
# must hold this share of the query's words, weighed by rarity, even if a name holds one of them:
# the query is about something the catalogue lacks. Only with English chosen: the Spanish text
# has the patient fields alone, so Spanish lay words ("lagrimeo", "hormiguean") are often unheard
# in descriptions of what the catalogue does cover (on the dev split in Spanish it cost 3 right
# answers, and made 3 wrong ones "nothing", for 8 of 130 traps; in English, none of 1,388 for 13 of 153).
UNHEARD_SHARE = 0.3
# Words that ask for care rather than name a condition, in English and Spanish (stems).
CARE_WORDS = frozenset(
    stem(word)
    for word in (
        *("injection", "shot", "block", "ablation", "patch", "pill", "tablet", "medication", "medicine", "drug"),
        *("procedure", "implant", "stimulation", "stimulator", "therapy", "treatment", "cream", "gel"),
        *("inyeccion", "infiltracion", "bloqueo", "parche", "pastilla", "medicamento", "tratamiento", "terapia"),
        *("procedimiento", "implante", "estimulacion", "estimulador", "crema"),
    )
)
CONDITION_FACTOR = 0.8
# Words that ask about a side of an entry of one kind rather than name it: "fibromyalgia symptoms",
# "causas de la ciática", "sciatica tablets". An entry of that kind answers them whether or not its
# text holds the word, so they count toward its share of the query without adding to its score.
# ("Which procedures help headaches" is answered by the condition, which lists them: no procedure
# facet.)
_FACETS: dict[str, frozenset[str]] = {
    Kind.CONDITION.value: frozenset(
        stem(word)
        for word in (
            *("symptom", "symptoms", "sign", "signs", "cause", "causes", "diagnosis", "sintoma", "sintomas"),
            *("signo", "signos", "causa", "causas", "diagnostico"),
            # How long it has lasted, as `lasting` reads a duration: "omalgia crónica" is Shoulder pain.
            *("chronic", "cronico", "cronica", "cronicos", "cronicas"),
        )
    ),
    Kind.TREATMENT.value: frozenset(
        stem(word)
        for word in (
            *("medication", "medications", "medicine", "medicines", "drug", "drugs", "pill", "pills", "tablet"),
            *("tablets", "capsule", "capsules", "medicamento", "medicamentos", "pastilla", "pastillas"),
            *("farmaco", "farmacos", "comprimido", "comprimidos", "capsula", "capsulas", "tableta", "tabletas"),
        )
    ),
}
# A hit matched only in the other language's text (see `_ranked`) counts for this much.
OTHER_LANGUAGE_FACTOR = 0.85
# A member the query does not set apart from its family scores this much of the family's score.
MEMBER_FACTOR = 0.99
# A member the query names more fully than its family scores this much of the family's score (at least).
SPECIFIC_FACTOR = 1.01
# A query word counts whole toward how much of the query an entry covers where it matches in the
# summary or a weightier field; in a minor one (risks, evidence) only in part, so "doctor" in a
# procedure's risks does not make it cover "doctor wants to inject my hip" better than the hip
# injection does.
COVER_WEIGHT = FIELD_WEIGHTS["summary"]
# The columns' weights as the full-text index takes them, when only whether a name matches counts.
_NAME_WEIGHTS = tuple(FIELD_WEIGHTS[column] for column in TEXT_COLUMNS)
# Search reads no more of a query than this: a pasted page costs what a long sentence does.
MAX_QUERY = 1000


def _alternatives(
    terms: Sequence[str], query: str, synonyms: Mapping[str, str], index: Index
) -> list[dict[str, float]]:
    """For each query word, the words that may stand for it and how much each counts.

    A synonym phrase found in the query lends its meaning's words to each of its own words
    ("cortisone shot" -> steroid injection); a word the catalogue does not hold is matched
    through the catalogue words one typo away ("sciatca" -> sciatica).
    """
    groups: list[dict[str, float]] = [{term: 1.0} for term in terms]
    typed = [stem(w) for w in words(query)]
    for phrase, meaning in synonyms.items():
        phrase_stems = sorted(stem(w) for w in words(phrase))
        if phrase_stems and _holds_phrase(typed, phrase_stems):
            for position, term in enumerate(terms):
                if stem(term) in phrase_stems:
                    for word in words(meaning):
                        if word not in STOPWORDS:
                            groups[position].setdefault(word, SYNONYM_FACTOR)
    # A British spelling stands for the American one the catalogue writes ("anaesthetic", "tumour").
    for position, term in enumerate(terms):
        for spelt in american(term, index):
            groups[position].setdefault(spelt, SPELLING_FACTOR)
    # A Spanish verb in a person the catalogue does not write stands for the forms it does write.
    for position, term in enumerate(terms):
        for form in _verb_forms(term, index):
            groups[position].setdefault(form, VERB_FORM_FACTOR)
    # Two words the catalogue writes as one ("radio frequency") stand for that word.
    for position in range(len(terms) - 1):
        joined = terms[position] + terms[position + 1]
        if index.has_stem(stem(joined)):
            groups[position].setdefault(joined, JOINED_FACTOR)
            groups[position + 1].setdefault(joined, JOINED_FACTOR)
    for group in groups:
        # A synonym's or another spelling's word is understood, no typo ("artrodesis", "oedema").
        if SYNONYM_FACTOR in group.values() or SPELLING_FACTOR in group.values() or VERB_FORM_FACTOR in group.values():
            continue
        for word in [w for w, factor in group.items() if factor == 1.0]:
            # Only a word that is no word at all is a typo, and only of a catalogue word nearby.
            if typo_limit(word) and not is_known_word(word, index):
                # Words sharing its three-letter pieces, and its neighbour swaps, which share few
                # ("nevre" has none of "nerve"'s).
                nearby = [*index.similar_words(word), *(w for w in _swaps(word) if index.has_stem(stem(w)))]
                fixes = {known: edit_distance(word, known, 2) for known in nearby if is_typo_of(word, known)}
                # The one word a single slip away is what was meant more surely than the rest, unless
                # the slip is in the last letter: another form of a word ("recetan", "pongo").
                nearest = [
                    known
                    for known, distance in fixes.items()
                    if distance == 1
                    and not (known.startswith(word) or word.startswith(known) or known[:-1] == word[:-1])
                ]
                for known in fixes:
                    group.setdefault(known, NEAR_TYPO_FACTOR if nearest == [known] else TYPO_FACTOR)
                # "ll" and "y" sound the same in most Spanish ("rodiya"): two letters apart, one slip.
                for heard in _yeismo(word):
                    if index.has_stem(stem(heard)):
                        group.setdefault(heard, NEAR_TYPO_FACTOR)
                # No whole word it misspells: the start of one, cut off with a typo ("gabapne").
                if len(group) == 1:
                    for known in nearby:
                        if _cut(word, known, is_word=_never, coined=_never):
                            group.setdefault(known, TYPO_FACTOR)
    _real_word_slips(terms, groups, index)
    return groups


def _verb_forms(word: str, index: Index) -> list[str]:
    """The infinitives and gerunds of the catalogue's text that a word no entry holds may be a
    person of ("lavo" -> "lavarse", "camino" -> "caminar", "me agaché" -> "agacharse"): the same
    root of three letters or more, a person's ending and a written one."""
    if not word.isalpha() or index.has_stem(stem(word)):
        return []
    found: list[str] = []
    for ending in _PERSON_ENDINGS:
        root = word[: -len(ending)]
        if word.endswith(ending) and len(root) >= MIN_VERB_ROOT:
            found += [root + written for written in _WRITTEN_ENDINGS if index.has_stem(stem(root + written))]
    return list(dict.fromkeys(found))


def _swaps(word: str) -> list[str]:
    """The word with two neighbouring letters swapped, each pair in turn ("nevre" -> "nerve")."""
    return [word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1)]


def _yeismo(word: str) -> list[str]:
    """The word with one "y" written "ll", or one "ll" written "y" (Spanish yeísmo)."""
    heard = [word[:i] + "ll" + word[i + 1 :] for i, letter in enumerate(word) if letter == "y"]
    return heard + [word[:i] + "y" + word[i + 2 :] for i in range(len(word) - 1) if word.startswith("ll", i)]


def _real_word_slips(terms: Sequence[str], groups: Sequence[dict[str, float]], index: Index) -> None:
    """Lend a real word the catalogue never writes the catalogue word one letter away, where an
    entry's name holds that word beside another of the query's: "lumber stenosis" and "ganglion
    imper block" mean "lumbar" and "impar" ("lumber" and "imper" are English words, so the typo
    rule leaves them be), as "chronic lower back pian" means "pain". Without such a name the word
    stays as typed: "lumber yard" finds nothing."""
    for position, (term, group) in enumerate(zip(terms, groups, strict=True)):
        if len(group) > 1 or not typo_limit(term) or not term.isalpha() or index.has_stem(stem(term)):
            continue
        others = [w for at, other in enumerate(groups) if at != position for w in other if index.has_stem(stem(w))]
        if not others or not is_known_word(term, index):
            continue
        beside = " OR ".join(_fts_term(w) for w in others)
        # Its neighbour swaps too, which share no three-letter piece with it ("pian", "pain").
        for known in [*index.similar_words(term), *(w for w in _swaps(term) if w != term and index.has_stem(stem(w)))]:
            if (
                len(known) >= len(term) - 1
                and edit_distance(term, known, 1) == 1
                and index.has_stem(stem(known))
                and index.match(f"{{name aliases id}}: ({_fts_term(known)} AND ({beside}))", None, _NAME_WEIGHTS, 1)
            ):
                group.setdefault(known, TYPO_FACTOR)


def _never(word: str) -> bool:
    return False


def _telling_stand_ins(
    groups: Sequence[dict[str, float]], seen_in: Mapping[str, int], universal: float
) -> list[dict[str, float]]:
    """Each word's stand-ins without a synonym meaning's words that nearly every entry holds,
    where the meaning says more than they do: "lumbalgia" means "dolor lumbar, low back pain",
    and an entry holding "pain" (as all do) is not named by it. ("hurt" means "pain, painful":
    "painful" is only a form of "pain", so "pain" stays.)"""
    kept = []
    for group in groups:
        said = [w for w, f in group.items() if f == SYNONYM_FACTOR]
        vague = {w for w in said if seen_in[w] >= universal}
        if vague and any(seen_in[w] < universal and not any(stem(w).startswith(stem(v)) for v in vague) for w in said):
            group = {w: f for w, f in group.items() if w not in vague}
        kept.append(group)
    return kept


def _explained_phrase(query: str, synonyms: Mapping[str, str]) -> bool:
    """Whether the query holds a phrase of several words that the synonym table explains."""
    typed = [stem(w) for w in words(query)]
    return any(
        len(phrase_stems) > 1 and _holds_phrase(typed, phrase_stems)
        for phrase in synonyms
        if (phrase_stems := sorted(stem(w) for w in words(phrase)))
    )


def _holds_phrase(typed: Sequence[str], phrase: Sequence[str]) -> bool:
    """Whether the query's word stems hold the phrase's (sorted) stems side by side, in any order
    and any form: "nerve zapping" holds "zapping nerves"."""
    width = len(phrase)
    return any(sorted(typed[i : i + width]) == phrase for i in range(len(typed) - width + 1))


def _fts_term(word: str) -> str:
    # The index holds stems from the same stemmer ("injections" -> "injection"); a prefix also
    # finds words still being typed ("radiofreq").
    term = stem(word)
    return f'"{term}"*' if len(term) >= MIN_PREFIX else f'"{term}"'


def _candidates(
    index: Index,
    groups: Sequence[Mapping[str, float]],
    seen_in: Mapping[str, int],
    total: int,
    kind: Kind | None,
    weights: Sequence[float],
) -> list[int]:
    """Row numbers worth re-ranking, found without ranking most of a large catalogue.

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
    numbers: dict[int, None] = {}

    def add(expression: str) -> None:
        numbers.update(dict.fromkeys(index.match(expression, kind, weights, CANDIDATES)))

    if selective:
        add(" OR ".join(_fts_term(w) for w in selective))
    while len(clauses) > 1 and len(numbers) < CANDIDATES // 2:
        conjunction = " AND ".join(clause for _, clause in clauses)
        # Only common words left: ranking every entry that holds them all would cost too much.
        add(conjunction if clauses[0][0] <= common else "{name aliases id}: (" + conjunction + ")")
        clauses.pop()
    if not numbers and clauses:
        add("{name aliases id}: " + clauses[0][1])
    return list(numbers)


def search(catalogue: IndexCatalogue, query: str, *, kind: Kind | None = None, limit: int | None = None) -> list[Hit]:
    """Entries ranked by how well they match the query's words, best first (see `_ranked`)."""
    return [ranked.hit for ranked in _ranked(catalogue, query, kind=kind, limit=limit)]


def _ranked(
    catalogue: IndexCatalogue, query: str, *, kind: Kind | None = None, limit: int | None = None
) -> list[_Ranked]:
    """Entries ranked by how well they match the query's words, best first.

    SQLite's full-text index (BM25 over `stem`'s stems, prefixes) picks a bounded set of row
    numbers; only those rows' columns are read, and each is scored here with field weights, word
    coverage, rarity and name bonuses, which also says which field matched and where.
    """
    # Each distinct word once, and no more than a sentence's worth: a pasted page is not a query.
    query = query[:MAX_QUERY]
    terms: list[str]
    # A side of the body says where, not what ("dolor de rodilla derecha"), and a negation says
    # neither (_NEGATIONS): no word to match.
    read_as, lasting = _durations(query)
    said = words(read_as)
    # How much of a medicine and how often ("gabapentin 300 mg every 8 hours") says nothing of
    # which it is: "8" and "hours" are in the name of an 8-hour paracetamol tablet.
    instructions = _instructions(said)
    terms = list(
        dict.fromkeys(
            [
                w
                for i, w in enumerate(said)
                if w not in STOPWORDS and w not in _SIDES and w not in _NEGATIONS and i not in instructions
            ]
        )
        or words(query)
    )[:MAX_TERMS]
    if not terms:
        return []
    index = catalogue.store
    groups = _alternatives(terms, read_as, catalogue.synonyms, index)
    # A synonym that is the whole query names its meaning as a whole ("zapping knee nerves").
    meanings = [
        normalize(meaning)
        for phrase, meaning in catalogue.synonyms.items()
        if [w for w in words(phrase) if w not in STOPWORDS] == terms
    ]
    weights = [FIELD_WEIGHTS[column] for column in TEXT_COLUMNS]
    total = max(index.count(), 1)
    seen_in = {w: index.word_frequency(stem(w)) for group in groups for w in group}
    groups = _telling_stand_ins(groups, seen_in, UNIVERSAL_SHARE * total)
    # A query word's rarity is its own (or, for a typo, its corrections'), not its synonyms'.
    frequency = [
        max((seen_in[w] for w, f in group.items() if f == 1.0 and seen_in[w]), default=0)
        or min((seen_in[w] for w in group), default=0)
        for group in groups
    ]
    # Half the query's words naming what the catalogue has never heard of ("tetanus shot",
    # "hearing aids"): whatever the other half matches is a weak hit, and nothing is the honest answer.
    # A rare word the catalogue does know ("intrathecal pomp") is telling enough to go on with.
    # (An unknown non-word, "zzz" or a brand the catalogue lacks, says nothing either way.)
    unheard = sum(
        1
        for term, group in zip(terms, groups, strict=True)
        if not any(seen_in[w] for w in group) and is_known_word(term, index) and not _kin_heard(term, index)
    )
    telling = any(0 < f <= TELLING_SHARE * total for f in frequency)
    # A word that is itself an entry's name tells what is meant ("tramadol gotas"), as does a phrase
    # of several words the synonym table explains ("se le hundió una vértebra"): the everyday words
    # around it ("mi abuela se agachó") are no sign of something the catalogue has never heard of.
    if (
        unheard
        and 2 * unheard >= len(groups)
        and not telling
        and not any(index.named(t, kind) for t in terms)
        and not _explained_phrase(read_as, catalogue.synonyms)
    ):
        return []
    numbers = _candidates(index, groups, seen_in, total, kind, weights)
    phrase = normalize(query)
    if MIN_PREFIX <= len(phrase) <= MAX_NAME:
        # Entries a whole name starts with are candidates even when their words rank low.
        named = [i for _how, i, _name, _kind in index.prefixed(phrase, kind, limit=10)]
        numbers += [n for n in index.numbers(named) if n not in numbers] if named else []
    if not numbers:
        return []
    candidates = index.stemmed(numbers)
    conditions = {c.id for c in candidates if c.kind == Kind.CONDITION.value}
    # A name said with a spine level or a side ("L5 radiculopathy", "hernia discal L5-S1", "right
    # knee OA") is that name.
    said = words(query[:MAX_NAME])
    leveled = normalize(" ".join(_without_levels(said))) if _qualified(said) else ""
    phrases = [(phrase, 1.0), *((m, MEANING_FACTOR) for m in meanings), *(((leveled, 1.0),) if leveled else ())]
    common = [f > STOPLIKE_SHARE * total for f in frequency]
    typed = frozenset(stem(w) for w in words(query))
    # Half the query's words or more unheard of in any entry: real words, or long ones that are no
    # typo of a catalogue word ("methotrexate"); a typo's corrections count as heard, and a short
    # string that is no word ("zzz") says nothing.
    unheard_of = catalogue.language == ENGLISH and 2 * sum(
        1 for term, f in zip(terms, frequency, strict=True) if not f and (len(term) >= 7 or is_known_word(term, index))
    ) >= len(groups)
    scored, matchable = _score(candidates, groups, frequency, total, phrases, common, typed, lasting, unheard_of)
    if _asks_for_care(groups) or _names_care(groups, index):
        # A query asking for care ("back shot for leg pain") ranks a condition below the care that
        # matches it about as well.
        scored = [
            item._replace(score=item.score * CONDITION_FACTOR) if item.id in conditions else item for item in scored
        ]
    # The chosen language first: a hit whose matched words are all in the other language's text
    # only ("red" in an English text, for a Spanish reader) ranks below one that matches in it.
    other = {c.n: c.translated_only if catalogue.language == ENGLISH else c.english_only for c in candidates}
    held = {c.n: set().union(*(matchable & column.keys() for column in c.columns)) for c in candidates}
    scored = [
        item._replace(score=item.score * OTHER_LANGUAGE_FACTOR)
        if held[item.n] and held[item.n] <= other[item.n]
        else item
        for item in scored
    ]
    scored = _general_first(scored, candidates, matchable, index)
    scored.sort(key=lambda item: (-item.score, item.name))
    shown = scored[:limit] if limit else scored
    entries = {entry.id: entry for entry in catalogue.get_many([item.id for item in shown])}
    # Only the hits shown have their text read, for the part of it worth showing.
    texts = {row[0]: dict(zip(TEXT_COLUMNS, row[3:], strict=True)) for row in index.rows([item.n for item in shown])}
    hits = []
    for item in shown:
        if item.id in entries:
            context = _context(texts[item.n][item.field], item.found, item.field)
            # Highlight the words of the shown text that the query (or a stand-in for it) matched.
            matched = tuple(dict.fromkeys(w for w in words(context) if stem(w) in matchable)) or tuple(item.found)
            shown_in = _in_language(entries[item.id], item.field, matched, context)
            hit = Hit(entries[item.id], round(item.score, 2), item.field, *shown_in)
            hits.append(_Ranked(hit, item.naming, tuple(terms[i] for i in item.missed)))
    return hits


def _general_first(
    scored: list[_Scored], candidates: Sequence[Stemmed], matched: set[str], index: Index
) -> list[_Scored]:
    """A procedure or treatment of a family ranks just below the family when the query matches no
    word of its names that the family's names lack, nor names it better than the family: "cortisone
    shots in one joint" asks about joint injections, not the knee's; "cortisone shot in the knee"
    names the knee, and "IRSN" names the SNRIs, though the family's names hold it too. (A condition is told
    from its siblings by what it is like, not by name: "throbbing headache with nausea" is migraine.)"""
    ids = {item.id: item for item in scored}
    families = index.families([item.n for item in scored])
    if not any(family in ids for family in families.values()):
        return scored
    named = {c.id: {s for items in c.names for _spelled, stems in items for s in stems} for c in candidates}
    kinds = {c.id: c.kind for c in candidates}
    ranked = []
    for item in scored:
        family = ids.get(families.get(item.n, ""))
        if (
            family is not None
            and kinds[item.id] != Kind.CONDITION.value
            and item.score >= family.score
            and item.naming <= family.naming
            and not (named[item.id] - named[family.id]) & matched
        ):
            item = item._replace(score=family.score * MEMBER_FACTOR)
        elif family is not None and family.whole and family.whole < item.whole and family.score >= item.score:
            # The query says the member's name whole, and the family's within it: "injection into
            # the hip joint under x-ray" names Hip joint injection, whichever of the two holds
            # "x-ray" in weightier fields.
            item = item._replace(score=family.score * SPECIFIC_FACTOR)
        ranked.append(item)
    return ranked


class _Scored(NamedTuple):
    """A candidate that matches, as `_score` ranks it."""

    score: float
    name: str
    id: str
    n: int
    # The field that explains the hit best, and the words of it that the query matched.
    field: str
    found: list[str]
    # How well one of the entry's names and the query's words cover each other.
    naming: float
    # The positions of the query words (as `_ranked` lists them) that nothing in the entry matches.
    missed: tuple[int, ...] = ()
    # The words of its longest name that the query says whole (none if it says none whole).
    whole: frozenset[str] = frozenset()


class _Name(NamedTuple):
    """One of an entry's names (its id, name or an alias) as search weighs it."""

    column: str
    stems: frozenset[str]  # of its words but stopwords
    all_stems: frozenset[str]


def _names(candidate: Stemmed, matchable: set[str]) -> list[_Name]:
    """The entry's names holding a stem the query's words match: the only ones that count in
    `_said_whole`, `_naming` and `_coverage` (which find nothing in the rest)."""
    return [
        _Name(column, frozenset(s for w, s in zip(spelled, stems, strict=True) if w not in STOPWORDS), frozenset(stems))
        for column, items in zip(NAME_COLUMNS, candidate.names, strict=True)
        for spelled, stems in items
        if not matchable.isdisjoint(stems)
    ]


def _in_language(entry: Entry, column: str, matched: Sequence[str], context: str) -> tuple[tuple[str, ...], str]:
    """The matched words and the text shown beside a hit, in the entry's language.

    The index holds a field's text in every language together, so the piece with the most matched
    words may be the English one; where the entry has the field translated, its translation's piece
    is shown instead. Names (any language's) and fields shown in English stay as found.
    """
    fields = [field for field in FIELDS if field.key == column]
    if (
        entry.lang == ENGLISH
        or column in ("id", "name", "aliases")
        or not fields
        or any(not field.translatable or field.name in entry.fallback for field in fields)
    ):
        return tuple(matched), context
    text = ITEM_SEPARATOR.join(filter(None, (searchable(f.type, entry.get(f.name), {}) for f in fields)))
    if not text:
        return tuple(matched), context
    shown = _context(text, matched, column)
    stems = {stem(word) for word in matched}
    return tuple(dict.fromkeys(w for w in words(shown) if stem(w) in stems)) or tuple(matched), shown


def _score(
    candidates: Sequence[Stemmed],
    groups: Sequence[Mapping[str, float]],
    frequency: Sequence[int],
    total: int,
    phrases: Sequence[tuple[str, float]],
    common: Sequence[bool],
    typed: frozenset[str] = frozenset(),
    lasting: frozenset[str] = frozenset(),
    unheard: bool = False,
) -> tuple[list[_Scored], set[str]]:
    """Every candidate that matches, scored, and the stems the query's words matched.

    A candidate matching only stop-like words (`common`) is left out when the query has a more
    telling word: "carpal tunnel syndrome" finds nothing rather than every other syndrome. When
    `unheard` (half the query's words are words no entry holds), a candidate must hold
    UNHEARD_SHARE of the query or say one of its names whole.
    """
    # Each candidate field as its set of word stems, remembering the words behind each stem.
    analysed = []
    vocabulary: set[str] = set()
    for candidate in candidates:
        per_field = []
        for column, stems in zip(TEXT_COLUMNS, candidate.columns, strict=True):
            vocabulary.update(stems)
            per_field.append((column, FIELD_WEIGHTS[column], stems))
        analysed.append((candidate, per_field))
    # Judge each query word once against the candidates' vocabulary, not once per field.
    ordered = sorted(vocabulary)
    quality = [_group_quality(group, vocabulary, ordered) for group in groups]
    matchable = set().union(*quality)
    # Rarer words say more: weight each query word by its inverse document frequency.
    idf = [math.log(1 + total / (1 + f)) for f in frequency]
    total_idf = sum(idf)
    # The kinds each query word is a facet word of (see _FACETS): a group's first word is the query
    # word itself, its stand-ins follow. How long a problem has lasted ("for months", `lasting`) is
    # a side of a condition too.
    facet_of = [
        {kind for kind, facets in _FACETS.items() if stem(word) in facets}
        | ({Kind.CONDITION.value} if stem(word) in lasting else set())
        for word in (next(iter(g)) for g in groups)
    ]
    results = []
    for candidate, per_field in analysed:
        score = 0.0
        missed: list[int] = []
        held = 0.0
        field_words: dict[str, list[str]] = {}
        field_scores: dict[str, float] = {}
        covered: dict[str, float] = {}
        telling = False
        matched_idf = 0.0
        facets = 0
        for position, (known, weight_idf, is_common) in enumerate(zip(quality, idf, common, strict=True)):
            best, best_field, best_words = 0.0, "", []
            for column, weight, stems in per_field:
                found = known.keys() & stems.keys()
                if found:
                    value = max(known[s] for s in found) * weight
                    covered[column] = covered.get(column, 0.0) + value
                    if value > best:
                        best, best_field, best_words = value, column, [stems[s] for s in found]
            if best:
                held += min(1.0, best / COVER_WEIGHT)
                matched_idf += weight_idf
                telling = telling or not is_common
                field_words.setdefault(best_field, []).extend(best_words)
                score += best * weight_idf
                field_scores[best_field] = field_scores.get(best_field, 0.0) + best
            elif candidate.kind in facet_of[position]:
                facets += 1
            else:
                missed.append(position)
        if len(missed) + facets == len(quality):
            continue
        held += facets
        names = _names(candidate, matchable)
        # Stop-like words alone do not make a hit, unless they are one of the entry's names:
        # "does a nerve block hurt" names Nerve block, though both its words are in most entries.
        whole = _said_whole(names, quality, typed)
        if not telling and not all(common) and not whole:
            continue
        named_by = ""
        naming = _naming(names, quality)
        # Named by none of the query's words and holding less than half of what it says (weighed by
        # rarity): "heart block on ECG" is not NSAIDs because "heart" is in one of its risks.
        if not naming and matched_idf < WEAK_SHARE * total_idf:
            continue
        if unheard and not whole and matched_idf < UNHEARD_SHARE * total_idf:
            continue
        for column, bonus in (("name", 30.0), ("aliases", 25.0), ("id", 20.0)):
            items = [name for name in names if name.column == column]
            # Every name's key (as `normalize` makes it), matched or not: a query may be part of one.
            keys = ["".join(spelled) for spelled, _stems in candidate.names[NAME_COLUMNS.index(column)]]
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
            # The query's words name the entry in another order or with more words ("radiofrequency
            # ablation knee" is genicular RFA's "knee radiofrequency ablation"): scaled by how much of
            # the query the name covers and how much of the name the query covers.
            cover = max((_coverage(item.stems, quality) for item in items), default=0.0)
            # Only a name holding every query word is the specific entry the query names.
            extra = max(extra, bonus * cover if cover >= FULL_COVER else 0.0)
            if extra:
                score += extra
                field_scores[column] = field_scores.get(column, 0.0) + extra
        # How well its names name the query separates siblings the query's words all match.
        score += NAMING_BONUS * naming
        score *= (held / len(groups)) ** 2
        # Where the query is a whole name or alias, that is the explanation to show.
        # Otherwise the field where the query's words weigh most together explains the hit best.
        best_field = named_by or max(covered, key=lambda column: covered[column] + field_scores.get(column, 0.0))
        found_words = field_words.get(best_field) or [w for found in field_words.values() for w in found]
        results.append(
            _Scored(
                score,
                candidate.name,
                candidate.id,
                candidate.n,
                best_field,
                found_words,
                naming,
                tuple(missed),
                whole,
            )
        )
    return results, matchable


def _asks_for_care(groups: Sequence[Mapping[str, float]]) -> bool:
    """Whether a query word (or a stand-in for it) is a word for a treatment or procedure."""
    return any(stem(word) in CARE_WORDS for group in groups for word in group)


def _names_care(groups: Sequence[Mapping[str, float]], index: Index) -> bool:
    """Whether a query word (a synonym of it, or the one word it misspells by a slip) is by itself
    the name of a treatment or procedure: "gabapentin for sciatica", "opiáceos para el dolor
    crónico", "ibuprofin for back ache" ask for that care."""
    said = {w for group in groups for w, factor in group.items() if factor >= NEAR_TYPO_FACTOR and len(w) >= MIN_PREFIX}
    return any(kind != Kind.CONDITION.value for word in said for *_found, kind in index.named(normalize(word), None))


def _said_whole(
    names: Sequence[_Name], quality: Sequence[Mapping[str, float]], typed: frozenset[str] = frozenset()
) -> frozenset[str]:
    """The stems of the longest of the entry's names (id, name or an alias) whose every word but
    stopwords is in the query, with the stopwords the query says too (`typed` holds its stems);
    none if the query says no name whole. "CBT-I for insomnia" says "CBT-I" whole, and "CBT for
    chronic pain" does not say it within itself."""
    held = {s for known in quality for s, q in known.items() if q >= SYNONYM_FACTOR}
    said = held | typed
    return max(
        (name.all_stems & said for name in names if name.stems and name.stems <= held), key=len, default=frozenset()
    )


def _coverage(stems: frozenset[str], quality: Sequence[Mapping[str, float]]) -> float:
    """How well the query's words and one name (the stems of its words but stopwords) cover each
    other: 1 when they are the same words."""
    if not stems or not quality:
        return 0.0
    found = [max((q for s, q in known.items() if s in stems), default=0.0) for known in quality]
    covered = {s for known in quality for s in known if s in stems}
    return (sum(found) / len(quality)) * (len(covered) / len(stems))


def _naming(names: Sequence[_Name], quality: Sequence[Mapping[str, float]]) -> float:
    """How well an entry's names name the query: the share of query words found in its names (id,
    name, aliases) times how much of its best-covered name the query covers."""
    all_stems = frozenset().union(*(name.all_stems for name in names))
    if not quality:
        return 0.0
    held = sum(max((q for s, q in known.items() if s in all_stems), default=0.0) for known in quality) / len(quality)
    best = 0.0
    for name in names:
        if name.stems:
            best = max(best, len({s for known in quality for s in known if s in name.stems}) / len(name.stems))
    return held * best


def _group_quality(group: Mapping[str, float], vocabulary: set[str], ordered: Sequence[str]) -> dict[str, float]:
    """Vocabulary stems one query word (or a stand-in for it) matches, with how well.

    The same word counts 1 and a word it begins 0.6, times the stand-in's factor (synonyms and
    typo corrections come in as stand-ins, found in the whole index by `_alternatives`). A word
    the candidates hold whole begins nothing: "ACT" is that therapy, not the start of "Actiq".
    """
    found: dict[str, float] = {}
    for word, factor in group.items():
        term = stem(word)
        matches = {term: 1.0} if term in vocabulary else {}
        if not matches and len(term) >= MIN_PREFIX:
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
