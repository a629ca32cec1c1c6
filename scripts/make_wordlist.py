"""Regenerate the word lists search never takes for typos: src/painref/data/english-words.txt and
src/painref/data/spanish-words.txt.

    pip install english-words==2.0.2 wordfreq==3.1.1
    apt-get install hunspell-es        # Debian 12: 1:7.5.0-1, the RLA-ES dictionary
    python scripts/make_wordlist.py

English: the words of Webster's Second International word list ("web2", public domain, as
packaged by english-words, MIT) that are at least three letters long and common enough in
present-day English: wordfreq's Zipf frequency of at least 2.5 (about one in three million
words). wordfreq (Apache-2.0 code; data CC BY-SA 4.0) only chooses which web2 words are kept; no
frequency is shipped.

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
    "# English words that search never takes for typos: Webster's Second International (web2, public domain,\n"
    "# via the english-words package) words with a wordfreq Zipf frequency >= 2.5. scripts/make_wordlist.py.\n"
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


def english() -> list[str]:
    from english_words import get_english_words_set  # type: ignore[import-not-found]
    from wordfreq import zipf_frequency  # type: ignore[import-not-found]

    web2 = get_english_words_set(["web2"], lower=True, alpha=True)
    return sorted(w for w in web2 if len(w) >= 3 and w.isascii() and zipf_frequency(w, "en") >= MIN_ZIPF)


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
    parser.add_argument("--hunspell", type=Path, default=Path("/usr/share/hunspell/es_ES.dic"))
    args = parser.parse_args()
    if args.only in (None, "english"):
        words = english()
        (DATA / "english-words.txt").write_text(ENGLISH_HEADER + "\n".join(words) + "\n", encoding="utf-8")
        print(f"{len(words)} English words")
    if args.only in (None, "spanish"):
        words = spanish(args.hunspell)
        (DATA / "spanish-words.txt").write_text(SPANISH_HEADER + "\n".join(words) + "\n", encoding="utf-8")
        print(f"{len(words)} Spanish words")


if __name__ == "__main__":
    main()
