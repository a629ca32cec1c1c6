"""Text as painref compares it: normalized keys, words and the one stemmer for index and query."""

from __future__ import annotations

import re
import unicodedata
from functools import cache

_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
_WORD = re.compile(r"[0-9a-z]+")
_APOSTROPHE = re.compile(r"(?<=[a-z])['\u2019](?=[a-z])")
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def _unmarked(run: re.Match[str]) -> str:
    return "".join(c for c in run.group() if not unicodedata.combining(c))


def folded(text: str) -> str:
    """Lowercase, with accents dropped so they are optional ("Ciática" -> "ciatica", "año" -> "ano")."""
    lowered = text.casefold()
    if lowered.isascii():
        return lowered
    # Only non-ASCII characters can be combining marks: look at those runs alone (a column of
    # English with one dash in it would otherwise be walked character by character).
    return _NON_ASCII.sub(_unmarked, unicodedata.normalize("NFKD", lowered))


def whole_number(text: str, digits: int = 9) -> int | None:
    """`text` as a whole number if it is one, written in ASCII digits, and not absurdly long; else
    None. ("²" is a digit to str.isdigit but no number to int, and int refuses 4,300 digits.)"""
    text = text.strip()
    if text.isascii() and text.isdigit() and len(text) <= digits:
        return int(text)
    return None


def normalize(text: str) -> str:
    """A name as a lookup key: case, accents, spaces and punctuation ignored ("S.I. joint" == "si-joint")."""
    return _NOT_ALNUM.sub("", folded(text))


def words(text: str) -> list[str]:
    """The lowercase words of a text, in order; an apostrophe joins its word ("can't" -> "cant")."""
    lowered = folded(text)
    if "'" in lowered or "\u2019" in lowered:  # the lookbehind costs more than the rest: only when needed
        lowered = _APOSTROPHE.sub("", lowered)
    return _WORD.findall(lowered)


@cache
def stem(word: str) -> str:
    """The one stemmer for index and query: plurals, verb forms and -ness (tiredness→tired→tir).

    Light on purpose: it only ever joins forms of one word (injections→injection, burning→burn),
    so a stem never stands for two unrelated words; irregular forms (swollen) are synonyms.
    """
    if len(word) <= 4:
        return word
    if word.endswith("ness") and len(word) >= 7:
        return stem(word[:-4])
    if word.endswith(("ches", "shes", "sses", "xes", "zzes")) and not word.endswith("aches"):
        return word[:-2]  # patches→patch, but headaches→headache
    result = word
    for suffix, replacement in (("ies", "y"), ("ing", ""), ("ed", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "s" and word.endswith(("ss", "us", "is")):
                return word
            result = word[: -len(suffix)] + replacement
            if suffix in ("ing", "ed") and len(result) > 3 and result[-1] == result[-2] and result[-1] not in "lsfz":
                result = result[:-1]  # slipping→slip
            break
    # A final e comes and goes with the ending: exercise, exercising→exercis; nerve, nerves→nerv.
    return result[:-1] if result.endswith("e") and len(result) > 4 else result


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


def typo_limit(word: str) -> int:
    """How many edits a misspelling of `word` may be: none under 4 letters, one under 8, else two.

    Short words are too close to each other ("knee", "knew", "nerve") for a guess to be safe.
    """
    return 0 if len(word) < 4 else 1 if len(word) < 8 else 2


def pair_limit(typed: str, word: str) -> int:
    """How many edits may part `typed` from `word`: the shorter word's budget, one more where the
    longer is long enough for two (a word of eight letters or more may lose two: "injcion" for
    "injection"), never any under four letters. Short words gain nothing: "lyrca" is not "lyric"."""
    shorter, longer = sorted((typed, word), key=len)
    if not typo_limit(shorter):
        return 0
    return min(typo_limit(shorter) + 1, typo_limit(longer))


def is_typo_of(typed: str, word: str) -> bool:
    """Whether `typed` is within the pair's typo budget of `word` (see `pair_limit`)."""
    limit = pair_limit(typed, word)
    return limit > 0 and typed != word and edit_distance(typed, word, limit) <= limit


# British spellings and the American ones the catalogue writes (anaesthetic, oedema, tumour,
# mobilisation, centre, programme, travelling, catalogue, defence, sulphate, analyse).
_BRITISH = (
    (re.compile(r"ae"), "e"),
    (re.compile(r"oe"), "e"),
    (re.compile(r"our(?=s?$|al|ed|ing|ite)"), "or"),
    (re.compile(r"is(?=e$|es$|ed$|ing$|ation|ations$|er$|ers$)"), "iz"),
    (re.compile(r"yse(?=$|s$|d$)"), "yze"),
    (re.compile(r"(?<=[bt])re(?=s?$)"), "er"),
    (re.compile(r"programme"), "program"),
    (re.compile(r"(?<=[aeiou])ll(?=ed$|ing$|er$|ers$)"), "l"),
    (re.compile(r"ogue(?=s?$)"), "og"),
    (re.compile(r"ence(?=s?$)"), "ense"),
    (re.compile(r"sulph"), "sulf"),
)
# Shorter words have too many look-alikes ("does", "four", "hour" are no British spellings).
MIN_RESPELLED = 5


@cache
def american_spellings(word: str) -> tuple[str, ...]:
    """The American spellings a (British) word may have: each rule alone, then all together
    ("anaesthetised" -> "anesthetised", "anaesthetized", "anesthetized"). Only guesses: a caller
    keeps those its vocabulary holds, so "vertebrae" -> "vertebre" finds nothing."""
    if len(word) < MIN_RESPELLED or not word.isalpha():
        return ()
    found = []
    together = word
    for pattern, replacement in _BRITISH:
        if pattern.search(word):
            found.append(pattern.sub(replacement, word))
            together = pattern.sub(replacement, together)
    found.append(together)
    return tuple(w for w in dict.fromkeys(found) if w != word)
