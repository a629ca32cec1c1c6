"""Text as painref compares it: normalized keys, words and the one stemmer for index and query."""

from __future__ import annotations

import re
from functools import cache

_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
_WORD = re.compile(r"[0-9a-z]+")


def normalize(text: str) -> str:
    """A name as a lookup key: case, spaces and punctuation ignored ("S.I. joint" == "si-joint")."""
    return _NOT_ALNUM.sub("", text.casefold())


def words(text: str) -> list[str]:
    """The lowercase words of a text, in order."""
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
