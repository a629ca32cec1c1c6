"""Regenerate the word lists search never takes for typos: src/painref/data/english-words.txt and
src/painref/data/spanish-words.txt.

    apt-get install wamerican hunspell-es hunspell-tools   # Debian 12: 2020.12.07-2, 1:7.5.0-1, 1.7.1
    PYTHONPATH=src python scripts/make_wordlist.py

English: the lowercase words of SCOWL's American English list at size 50 (Debian's wamerican,
/usr/share/dict/american-english; Kevin Atkinson's SCOWL, a permissive licence whose notice the
file carries), at least three letters long, with their plurals and verb forms. (It replaced a
list chosen from web2 by wordfreq frequencies, whose data is CC BY-SA.)

Spanish: the lowercase head words (lemmas and base forms) of the RLA-ES Spanish dictionary for
Hunspell (es_ES.dic, Santiago Bosio, MPL-1.1+ or GPL-3+ or LGPL-3+), at least three letters long,
accents folded as search folds them; and those of the inflected forms its affix rules make
(Hunspell's `unmunch`) that search cannot lead back to a head word by their endings itself: the
irregular and stem-changing verbs' forms ("tengo", "sigo", "duermo", "dijeron"), up to eight
letters, without the pronouns Spanish joins to a verb (search takes those off: "sentarme"). All
of the 1.3 million forms would make the list twenty times longer, for words too long to be
taken for a slip of a catalogue word. The list is shipped under MPL-2.0, as its header says.
wamerican, hunspell and unmunch are generation-time tools, never used by painref.
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
    "# and the forms of up to eight letters its affix rules (es_ES.aff) make that search cannot lead\n"
    "# back to a head word by their endings, such as irregular verbs' (tengo, sigo, duermo), accents\n"
    "# folded. This file is distributed under the Mozilla Public License 2.0\n"
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


# Inflected forms longer than this are left out (see the module's docstring).
MAX_FORM = 8


def spanish_forms(dictionary: Path, affixes: Path, heads: set[str]) -> list[str]:
    """The inflected forms of `dictionary` search cannot lead back to one of `heads` itself."""
    import subprocess

    from painref.search import _ENCLITICS, _dictionary_forms

    made = subprocess.run(["unmunch", str(dictionary), str(affixes)], capture_output=True, check=True).stdout
    kept: set[str] = set()
    for line in made.decode("utf-8").splitlines():
        word = line.strip()
        if not word or word[0].isupper() or not word.isalpha():
            continue  # proper nouns and abbreviations
        word = folded(word)
        if not (3 <= len(word) <= MAX_FORM and word.isascii()) or word in heads or word.endswith(_ENCLITICS):
            continue
        if not any(form in heads for form in _dictionary_forms(word)[1:]):
            kept.add(word)
    return sorted(kept)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", choices=("english", "spanish"), help="regenerate one list only")
    parser.add_argument("--scowl", type=Path, default=Path("/usr/share/dict/american-english"))
    parser.add_argument("--hunspell", type=Path, default=Path("/usr/share/hunspell/es_ES.dic"))
    parser.add_argument("--affixes", type=Path, default=Path("/usr/share/hunspell/es_ES.aff"))
    args = parser.parse_args()
    if args.only in (None, "english"):
        words = english(args.scowl)
        (DATA / "english-words.txt").write_text(ENGLISH_HEADER + "\n".join(words) + "\n", encoding="utf-8")
        print(f"{len(words)} English words")
    if args.only in (None, "spanish"):
        heads = spanish(args.hunspell)
        words = sorted({*heads, *spanish_forms(args.hunspell, args.affixes, set(heads))})
        (DATA / "spanish-words.txt").write_text(SPANISH_HEADER + "\n".join(words) + "\n", encoding="utf-8")
        print(f"{len(words)} Spanish words")


if __name__ == "__main__":
    main()
