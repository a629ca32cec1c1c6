"""Search-quality evaluation: top-1 and top-3 accuracy over tests/data/search_eval.yaml, and the misses.

    python scripts/search_eval.py            # summary, per-tag accuracy and every miss
    python scripts/search_eval.py --quiet    # summary only

A query counts as a top-k hit when any of its acceptable entries is among the first k results.
The built-in catalogue is searched, with no overlays and a throwaway index.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from painref import catalogue
from painref.search import search

EVAL_FILE = Path(__file__).resolve().parent.parent / "tests" / "data" / "search_eval.yaml"


class Outcome(NamedTuple):
    query: str
    expect: tuple[str, ...]
    tags: tuple[str, ...]
    got: tuple[str, ...]

    @property
    def top1(self) -> bool:
        return bool(self.got[:1]) and self.got[0] in self.expect

    @property
    def top3(self) -> bool:
        return any(entry_id in self.expect for entry_id in self.got[:3])


def load_queries(path: Path = EVAL_FILE) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return list(yaml.safe_load(handle)["queries"])


def evaluate(path: Path = EVAL_FILE) -> list[Outcome]:
    loaded = catalogue.load([], env={"PAINREF_NO_CACHE": "1"})
    outcomes = []
    for item in load_queries(path):
        hits = search(loaded, str(item["query"]), limit=3)
        outcomes.append(
            Outcome(
                str(item["query"]),
                tuple(item["expect"]),
                tuple(item.get("tags", ())),
                tuple(hit.entry.id for hit in hits),
            )
        )
    return outcomes


def accuracy(outcomes: list[Outcome]) -> tuple[float, float]:
    total = max(len(outcomes), 1)
    return sum(o.top1 for o in outcomes) / total, sum(o.top3 for o in outcomes) / total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quiet", action="store_true", help="print the summary only")
    args = parser.parse_args(argv)
    outcomes = evaluate()
    top1, top3 = accuracy(outcomes)
    print(f"{len(outcomes)} queries: top-1 {top1:.1%}, top-3 {top3:.1%}")
    if args.quiet:
        return 0
    tags = sorted({tag for o in outcomes for tag in o.tags})
    for tag in tags:
        tagged = [o for o in outcomes if tag in o.tags]
        t1, t3 = accuracy(tagged)
        print(f"  {tag:<9} {len(tagged):>3} queries: top-1 {t1:.0%}, top-3 {t3:.0%}")
    misses = [o for o in outcomes if not o.top1]
    if misses:
        print("\nNot first (expected -> got):")
        for o in misses:
            mark = "top-3" if o.top3 else "MISS "
            print(f"  {mark} {o.query!r}: {', '.join(o.expect)} -> {', '.join(o.got) or 'nothing'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
