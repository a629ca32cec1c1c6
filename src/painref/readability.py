"""How hard patient text is to read: a Flesch-Kincaid US school grade, estimated without libraries.

Clinical terms written in parentheses beside plain words ("numbing medicine (local anesthetic)")
are left out, as the plain words are what the reader must follow. The syllable count is the usual
vowel-group heuristic; the tests check it against a readability library on the whole catalogue.
"""

from __future__ import annotations

import re

# Patient text should read at this US grade or below; above the limit `validate` warns.
TARGET_GRADE = 8.0
LIMIT_GRADE = 10.0
# Shorter texts ("Soreness. Bruising.") have no meaningful grade: a few long words swing it wildly.
MIN_WORDS = 12

_PARENTHESES = re.compile(r"\s*\([^()]*\)")
_SENTENCE_END = re.compile(r"[.!?;:]+(?=\s|$)")
_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)?|\d+(?:[.,]\d+)*")
_VOWELS = re.compile(r"[aeiouy]+")


def syllables(word: str) -> int:
    """Syllables in an English word, estimated from its vowel groups."""
    word = word.casefold()
    if word.isdigit() or not word.isalpha():
        return max(1, len(word) // 2) if word[:1].isdigit() else 1
    count = len(_VOWELS.findall(word))
    if word.endswith("e") and not word.endswith(("le", "ee", "ye")) and count > 1:
        count -= 1
    if word.endswith(("ed", "es")) and count > 1 and not word.endswith(("ted", "ded", "ses", "zes", "ces", "ges")):
        count -= 1
    return max(count, 1)


def grade(text: str) -> float:
    """The Flesch-Kincaid grade of a text (parenthesised terms left out); 0 for no words."""
    plain = _PARENTHESES.sub("", text)
    words = _WORD.findall(plain)
    if not words:
        return 0.0
    sentences = max(len(_SENTENCE_END.findall(plain)), 1)
    total = sum(syllables(word) for word in words)
    return round(0.39 * len(words) / sentences + 11.8 * total / len(words) - 15.59, 1)


def measurable(text: str) -> bool:
    """Whether a text is long enough for its grade to mean something."""
    return len(_WORD.findall(_PARENTHESES.sub("", text))) >= MIN_WORDS


def joined(items: list[str] | tuple[str, ...]) -> str:
    """List items read as sentences one after another."""
    return " ".join(item.rstrip(" .") + "." for item in items)
