"""Regenerate the word lists search never takes for typos: src/painref/data/english-words.txt and
src/painref/data/spanish-words.txt.

    apt-get install wamerican hunspell-es   # Debian 12: 2020.12.07-2 and 1:7.5.0-1
    python scripts/make_wordlist.py

English: the lowercase words of SCOWL's American English list at size 50 (Debian's wamerican,
/usr/share/dict/american-english; Kevin Atkinson's SCOWL, a permissive licence whose notice the
file carries), at least three letters long, with their plurals and verb forms. (It replaced a
list chosen from web2 by wordfreq frequencies, whose data is CC BY-SA.)

Spanish: the lowercase head words (lemmas and base forms, not their inflections; search derives
likely lemmas of an inflected word itself) of the RLA-ES Spanish dictionary for Hunspell
(es_ES.dic, Santiago Bosio, MPL-1.1+ or GPL-3+ or LGPL-3+), at least three letters long, accents
folded as search folds them. The list is shipped under MPL-2.0, as its header says. These are
generation-time tools, never imported by painref.
"""

from __future__ import annotations

import argparse
import unicodedata
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "src" / "painref" / "data"
MIN_ZIPF = 2.5
ENGLISH_HEADER = (
    "# English words that search never takes for typos: the lowercase words of SCOWL's American English\n"
    "# list, size 50 (Debian wamerican 2020.12.07-2), at least three letters. scripts/make_wordlist.py.\n"
    "# SCOWL is Copyright 2000-2011 by Kevin Atkinson, and includes the Moby Words II and 12Dicts lists\n"
    "# (public domain) and inflections from WordNet 1.6 (Copyright 1997 by Princeton University).\n"
    "# Permission to use, copy, modify, distribute and sell these word lists, the associated scripts, the\n"
    "# output created from the scripts, and its documentation for any purpose is hereby granted without\n"
    "# fee, provided that the above copyright notice appears in all copies and that both that copyright\n"
    "# notice and this permission notice appear in supporting documentation. Kevin Atkinson makes no\n"
    '# representations about the suitability of this array for any purpose. It is provided "as is"\n'
    "# without express or implied warranty. Full notices: word-lists-LICENSE.txt beside this file.\n"
)
SPANISH_HEADER = (
    "# Spanish words that search never takes for typos: the lowercase head words of the RLA-ES Spanish\n"
    "# dictionary for Hunspell (es_ES.dic from Debian hunspell-es 1:7.5.0-1; Santiago Bosio, MPL-1.1+),\n"
    "# accents folded. This file is distributed under the Mozilla Public License 2.0\n"
    "# (https://mozilla.org/MPL/2.0/); its source is this file. scripts/make_wordlist.py.\n"
)


def folded(text: str) -> str:
    lowered = text.casefold()
    return "".join(c for c in unicodedata.normalize("NFKD", lowered) if not unicodedata.combining(c))


def english(dictionary: Path) -> list[str]:
    kept = set()
    for line in dictionary.read_text(encoding="utf-8").splitlines():
        word = line.strip()  # proper nouns are capitalised, possessives have an apostrophe: both left out
        if word.islower() and word.isalpha() and word.isascii() and len(word) >= 3:
            kept.add(word)
    return sorted(kept)


def spanish(dictionary: Path) -> list[str]:
    kept: set[str] = set()
    for line in dictionary.read_text(encoding="utf-8").splitlines()[1:]:  # the first line is a count
        word = line.split("/")[0].strip()
        if word and not word[0].isupper() and word.isalpha() and len(word := folded(word)) >= 3 and word.isascii():
            kept.add(word)
    return sorted(kept)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", choices=("english", "spanish"), help="regenerate one list only")
    parser.add_argument("--scowl", type=Path, default=Path("/usr/share/dict/american-english"))
    parser.add_argument("--hunspell", type=Path, default=Path("/usr/share/hunspell/es_ES.dic"))
    args = parser.parse_args()
    if args.only in (None, "english"):
        words = english(args.scowl)
        (DATA / "english-words.txt").write_text(ENGLISH_HEADER + "\n".join(words) + "\n", encoding="utf-8")
        print(f"{len(words)} English words")
    if args.only in (None, "spanish"):
        words = spanish(args.hunspell)
        (DATA / "spanish-words.txt").write_text(SPANISH_HEADER + "\n".join(words) + "\n", encoding="utf-8")
        print(f"{len(words)} Spanish words")


if __name__ == "__main__":
    main()
