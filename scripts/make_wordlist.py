"""Regenerate src/painref/data/english-words.txt, the English words search never takes for typos.

    pip install english-words==2.0.2 wordfreq==3.1.1
    python scripts/make_wordlist.py

The words are those of Webster's Second International word list ("web2", public domain, as
packaged by english-words, MIT) that are at least three letters long and common enough in
present-day English: wordfreq's Zipf frequency of at least 2.5 (about one in three million
words). wordfreq (Apache-2.0 code; data CC BY-SA 4.0) only chooses which web2 words are kept; no
frequency is shipped. Both are generation-time tools, never imported by painref.
"""

from __future__ import annotations

from pathlib import Path

from english_words import get_english_words_set  # type: ignore[import-not-found]
from wordfreq import zipf_frequency  # type: ignore[import-not-found]

TARGET = Path(__file__).resolve().parent.parent / "src" / "painref" / "data" / "english-words.txt"
MIN_ZIPF = 2.5
HEADER = (
    "# English words that search never takes for typos: Webster's Second International (web2, public domain,\n"
    "# via the english-words package) words with a wordfreq Zipf frequency >= 2.5. scripts/make_wordlist.py.\n"
)


def main() -> None:
    web2 = get_english_words_set(["web2"], lower=True, alpha=True)
    kept = sorted(w for w in web2 if len(w) >= 3 and w.isascii() and zipf_frequency(w, "en") >= MIN_ZIPF)
    TARGET.write_text(HEADER + "\n".join(kept) + "\n", encoding="utf-8")
    print(f"{len(kept)} words -> {TARGET}")


if __name__ == "__main__":
    main()
