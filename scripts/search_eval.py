"""Search and name-resolution evaluation over tests/data/search_eval.yaml, on a dev or test split.

    python scripts/search_eval.py                 # dev split: summary, per-tag accuracy, misses
    python scripts/search_eval.py --split test    # the held-out split: report it, do not tune on it
    python scripts/search_eval.py --quiet         # summary only

Measures, for one split:
- top-1 / top-3: an acceptable entry is first / among the first three search results (queries
  with an expected entry);
- nothing: queries whose right answer is "no match" that search leaves empty;
- resolution: names (`resolve: true`) that `show` resolves to an acceptable entry;
- wrong-confident: any query `show` resolves (exit 0) to an entry that is not acceptable.

A blind query's split is fixed by a hash of its text, so nobody can move queries between halves;
the tuned set (written with the engine) is always dev. The built-in catalogue is searched, with no
overlays and a throwaway index, in the query's language (a Spanish query as with `--lang es`).
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from painref import compiler
from painref.errors import PainrefError
from painref.index import IndexCatalogue
from painref.search import resolve_entry, search

EVAL_FILE = Path(__file__).resolve().parent.parent / "tests" / "data" / "search_eval.yaml"


# Sets written blind, each by someone who saw only the entries' names and summaries; split by hash.
BLIND_SETS = (
    "blind",
    "blind-es",
    "blind2",
    "blind2-es",
    "blind3",
    "blind3-es",
    "blind4",
    "blind4-es",
    "blind5",
    "blind5-es",
    "blind6",
    "blind6-es",
)


def split_of(item: dict[str, Any]) -> str:
    if item.get("set") not in BLIND_SETS:
        return "dev"
    digest = hashlib.sha256(str(item["query"]).encode("utf-8")).digest()
    return "test" if digest[0] % 2 == 0 else "dev"


class Outcome(NamedTuple):
    query: str
    expect: tuple[str, ...]
    tags: tuple[str, ...]
    got: tuple[str, ...]
    # What `show QUERY` resolves to (None: it refuses), and whether the query is a name.
    resolved: str | None
    is_name: bool

    @property
    def top1(self) -> bool:
        return bool(self.got[:1]) and self.got[0] in self.expect

    @property
    def top3(self) -> bool:
        return any(entry_id in self.expect for entry_id in self.got[:3])

    @property
    def wrong_confident(self) -> bool:
        return self.resolved is not None and self.resolved not in self.expect


def language_of(item: dict[str, Any]) -> str:
    return "es" if "spanish" in item.get("tags", ()) else "en"


def load_queries(path: Path = EVAL_FILE, split: str = "all", lang: str = "all") -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        queries = list(yaml.safe_load(handle)["queries"])
    return [item for item in queries if split in ("all", split_of(item)) and lang in ("all", language_of(item))]


def evaluate(path: Path = EVAL_FILE, split: str = "all", lang: str = "all") -> list[Outcome]:
    english = compiler.load([], env={"PAINREF_NO_CACHE": "1"})
    # Each query is searched as its reader would: a Spanish query with Spanish chosen (--lang es).
    chosen = {"en": english, "es": IndexCatalogue(english.store, [], "es")}
    outcomes = []
    for item in load_queries(path, split, lang):
        loaded = chosen[language_of(item)]
        query = str(item["query"])
        hits = search(loaded, query, limit=3)
        try:
            resolved: str | None = resolve_entry(loaded, query)[0].id
        except PainrefError:
            resolved = None
        outcomes.append(
            Outcome(
                query,
                tuple(item["expect"]),
                tuple(item.get("tags", ())),
                tuple(hit.entry.id for hit in hits),
                resolved,
                bool(item.get("resolve", False)),
            )
        )
    return outcomes


class Scores(NamedTuple):
    queries: int
    top1: float
    top3: float
    nothing: float
    resolution: float
    wrong_confident: int


def _share(hits: int, total: int) -> float:
    return hits / total if total else 1.0


def scores(outcomes: list[Outcome]) -> Scores:
    answered = [o for o in outcomes if o.expect]
    empty = [o for o in outcomes if not o.expect]
    names = [o for o in outcomes if o.is_name and o.expect]
    return Scores(
        len(outcomes),
        _share(sum(o.top1 for o in answered), len(answered)),
        _share(sum(o.top3 for o in answered), len(answered)),
        _share(sum(not o.got for o in empty), len(empty)),
        _share(sum(o.resolved in o.expect for o in names), len(names)),
        sum(o.wrong_confident for o in outcomes),
    )


def accuracy(outcomes: list[Outcome]) -> tuple[float, float]:
    found = scores(outcomes)
    return found.top1, found.top3


def summary(found: Scores, split: str) -> str:
    return (
        f"{found.queries} queries ({split}): top-1 {found.top1:.1%}, top-3 {found.top3:.1%},"
        f" nothing {found.nothing:.1%}, resolution {found.resolution:.1%}, wrong-confident {found.wrong_confident}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("dev", "test", "all"), default="dev")
    parser.add_argument("--lang", choices=("en", "es", "all"), default="all", help="English or Spanish queries")
    parser.add_argument("--quiet", action="store_true", help="print the summary only")
    parser.add_argument(
        "--file", type=Path, default=EVAL_FILE, help="another query file of the same shape (a probe set of your own)"
    )
    args = parser.parse_args(argv)
    outcomes = evaluate(args.file, split=args.split, lang=args.lang)
    print(summary(scores(outcomes), args.split if args.lang == "all" else f"{args.split}, {args.lang}"))
    if args.quiet:
        return 0
    for tag in sorted({tag for o in outcomes for tag in o.tags}):
        tagged = scores([o for o in outcomes if tag in o.tags])
        print(f"  {tag:<10} {tagged.queries:>3} queries: top-1 {tagged.top1:.0%}, top-3 {tagged.top3:.0%}")
    misses = [o for o in outcomes if (o.expect and not o.top1) or (not o.expect and o.got)]
    if misses:
        print("\nNot first, or a hit where nothing is right (expected -> got):")
        for o in misses:
            mark = "top-3" if o.top3 else "MISS "
            print(f"  {mark} {o.query!r}: {', '.join(o.expect) or 'nothing'} -> {', '.join(o.got) or 'nothing'}")
    refused = [o for o in outcomes if o.is_name and o.expect and o.resolved is None]
    if refused:
        print("\nNames `show` refuses (expected):")
        for o in refused:
            print(f"  {o.query!r}: {', '.join(o.expect)}")
    wrong = [o for o in outcomes if o.wrong_confident]
    if wrong:
        print("\nResolved confidently to a wrong entry (show would exit 0):")
        for o in wrong:
            print(f"  {o.query!r}: {', '.join(o.expect) or 'nothing'} -> {o.resolved}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
