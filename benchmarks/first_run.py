"""Compare two painref installs' first run (the build of the index) on the same catalogue, side by side.

    python benchmarks/first_run.py OLD_PAINREF NEW_PAINREF CATALOG.yaml [MORE.yaml ...] [--rounds 4]

Each round builds the index with an empty cache under both installs, alternating which goes first,
and records wall time, CPU time (the process and its workers) and the largest process's peak
memory; the medians and the new/old ratio of wall times are printed. Generate catalogues with
benchmarks/generate.py (benchmarks/scale.py shows how).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench import Sample, clean_env, measure


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("old", help="the painref executable before")
    parser.add_argument("new", help="the painref executable after")
    parser.add_argument("catalogues", nargs="+", help="overlay files to build")
    parser.add_argument("--rounds", type=int, default=4, help="rounds (default 4)")
    args = parser.parse_args()
    overlays = [item for path in args.catalogues for item in ("--catalog", str(Path(path).resolve()))]
    samples: dict[str, list[Sample]] = {"old": [], "new": []}
    with tempfile.TemporaryDirectory() as scratch:
        for number in range(args.rounds):
            order = ("old", "new") if number % 2 == 0 else ("new", "old")
            for name in order:
                cache = Path(scratch) / name
                shutil.rmtree(cache, ignore_errors=True)
                sample = measure(
                    [getattr(args, name), *overlays, "show", "rfa"], clean_env(PAINREF_CACHE_DIR=str(cache))
                )
                samples[name].append(sample)
                print(
                    f"round {number + 1} {name}: {sample.wall:.2f} s wall, {sample.cpu:.2f} s CPU, {sample.mb:.0f} MB"
                )
    medians = {
        name: Sample(*(statistics.median(getattr(s, f) for s in got) for f in Sample._fields))
        for name, got in samples.items()
    }
    for name, median in medians.items():
        print(f"{name}: median {median.wall:.2f} s wall, {median.cpu:.2f} s CPU, {median.mb:.0f} MB")
    print(f"new/old wall: {medians['new'].wall / medians['old'].wall:.2f}x")


if __name__ == "__main__":
    main()
