"""How painref's time and memory grow with the catalogue: generated overlays of 1k, 10k and 50k entries.

    python benchmarks/scale.py [--sizes 1000,10000,50000] [--runs 7] [--painref PATH]

For each size it writes a generated overlay (benchmarks/generate.py), then
- times the first run (`show`, which parses, validates and compiles the index) with an empty cache;
- times warm runs of `show`, `search`, `condition` and `list`, interleaved with the import floor
  (`python -c "import typer, rich.console, rich.table, yaml"`), and reports median ratios.
SPEC.md's budgets at 10,000 and 50,000 entries: warm `show` and `search` within 1.5x the floor,
and the first run at 10,000 within 10 s.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench import clean_env, floor_command, measure

GENERATE = Path(__file__).resolve().parent / "generate.py"

WARM: dict[str, list[str]] = {
    "show": ["show", "rfa"],
    "search": ["search", "slipped", "disc"],
    "condition": ["condition", "sciatica"],
    "list": ["list"],
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000,50000", help="comma-separated entry counts")
    parser.add_argument("--runs", type=int, default=7, help="interleaved warm rounds per size (default 7)")
    parser.add_argument("--painref", default=shutil.which("painref"), help="the painref executable to time")
    args = parser.parse_args()
    floor_argv = floor_command(args.painref)
    python = floor_argv[0]
    sizes = [int(size) for size in args.sizes.split(",")]
    header = f"{'entries':>8} {'first run':>10} {'first MB':>9}" + "".join(f" {name:>10}" for name in WARM)
    rows = []
    firsts: list[tuple[int, float]] = []  # (entries, first run's peak MB)
    with tempfile.TemporaryDirectory() as scratch:
        for size in sizes:
            overlay = Path(scratch) / f"generated-{size}.yaml"
            # In a child process: a child's peak memory (ru_maxrss) starts from its parent's at
            # fork, so this process must stay small for the measurements to mean anything.
            subprocess.run([python, str(GENERATE), str(size), str(overlay)], check=True, stdout=subprocess.DEVNULL)
            env = clean_env(PAINREF_CACHE_DIR=str(Path(scratch) / f"cache-{size}"))
            base = [args.painref, "--catalog", str(overlay)]
            first_s, first_mb = measure([*base, *WARM["show"]], env)
            firsts.append((size, first_mb))
            samples: dict[str, list[tuple[float, float]]] = {"floor": []} | {name: [] for name in WARM}
            for _ in range(args.runs):
                samples["floor"].append(measure(floor_argv, env))
                for name, argv in WARM.items():
                    samples[name].append(measure([*base, *argv], env))
            floor = statistics.median(t for t, _ in samples["floor"])
            cells = []
            for name in WARM:
                wall = statistics.median(t for t, _ in samples[name])
                peak = max(m for _, m in samples[name])
                cells.append(f"{wall / floor:>5.2f}x {peak:>3.0f}M")
            rows.append(f"{size:>8} {first_s:>9.1f}s {first_mb:>9.0f}" + "".join(f" {c:>10}" for c in cells))
            print(rows[-1] if len(rows) > 1 else f"{header}\n{rows[-1]}", flush=True)
    if len(firsts) > 1:  # the streaming first build holds no entry for long: its memory should stay flat
        (small, small_mb), (large, large_mb) = firsts[0], firsts[-1]
        growth = (large_mb - small_mb) / max(1, (large - small) / 1000)
        print(f"first run's peak memory grows {growth:.2f} MB per 1,000 entries ({small:,} to {large:,})")
    print(f"\nwarm cells: median wall time as a ratio to the import floor, and peak memory; {args.runs} rounds")


if __name__ == "__main__":
    main()
