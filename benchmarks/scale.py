"""How painref's time and memory grow with the catalogue: generated overlays of 1k, 10k and 50k entries.

    python benchmarks/scale.py [--sizes 1000,10000,50000] [--runs 7] [--painref PATH]

For each size it writes generated overlays (benchmarks/generate.py; at most PART entries a file,
so no file passes painref's 256 MiB cap), then
- times the first run (`show`, which parses, validates and compiles the index) with an empty cache;
- times warm runs of `show`, `search`, `compare` and `condition` interleaved with the import floor
  (`python -c "import typer, rich.console, rich.table, yaml"`), as median CPU-time ratios;
- times warm `list` and `list all` to a pipe, in seconds (judged by CPU time) and peak memory.
It prints SPEC.md's budgets beside the figures, and the machine they ran on: warm commands within
1.3x the floor; `list all` within 2 s and 100 MB; the first run under 5 s at 10,000 entries and
under 20 s at 50,000, with peak memory under 150 MB (and MB per 1,000 entries, which should stay flat).
"""

from __future__ import annotations

import argparse
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench import Sample, clean_env, floor_command, machine, measure, summary

GENERATE = Path(__file__).resolve().parent / "generate.py"
# Entries per generated file: 20,000 make about 110 MB of YAML, well under painref's 256 MiB cap.
PART = 20_000

WARM: dict[str, list[str]] = {
    "show": ["show", "rfa"],
    "search": ["search", "slipped", "disc"],
    "compare": ["compare", "epidural", "rfa"],
    "condition": ["condition", "sciatica"],
}
LISTS: dict[str, list[str]] = {"list": ["list"], "list all": ["list", "all"]}
BUDGET_WARM = 1.3
BUDGET_LIST_S = 2.0
BUDGET_LIST_MB = 100
BUDGET_FIRST_S = {10_000: 5.0, 50_000: 20.0}
BUDGET_FIRST_MB = 150


def overlays(python: str, size: int, folder: Path) -> list[Path]:
    """Generated overlay files holding `size` entries between them, numbered on across files."""
    paths = []
    for part in range(math.ceil(size / PART)):
        count = min(PART, size - part * PART)
        path = folder / f"generated-{size}-{part + 1}.yaml"
        # In a child process: a child's peak memory (ru_maxrss) starts from its parent's at
        # fork, so this process must stay small for the measurements to mean anything.
        subprocess.run(
            [python, str(GENERATE), str(count), str(path), "--seed", str(7 + part), "--first", str(part * PART + 1)],
            check=True,
            stdout=subprocess.DEVNULL,
            timeout=3600,
        )
        paths.append(path)
    return paths


def measure_tree(argv: list[str], env: dict[str, str]) -> tuple[Sample, float]:
    """One run, and the peak of its processes' memory added up: a big first build runs in worker
    processes, and each one's peak alone (what `measure` gives) would understate it. Memory the
    processes share is counted once (PSS, sampled every 50 ms from /proc; 0 where there is none)."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    peak_kb = 0
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        peak_kb = max(peak_kb, sum(_pss_kb(member) for member in _tree(process.pid)))
        time.sleep(0.05)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(argv)}")
    process.returncode = 0  # reaped above
    maxrss_mb = usage.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)
    return Sample(elapsed, usage.ru_utime + usage.ru_stime, maxrss_mb), peak_kb / 1024


def _tree(pid: int) -> list[int]:
    """A process and its descendants (Linux)."""
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return [pid]
    return [pid, *(member for child in children for member in _tree(int(child)))]


def _pss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def verdict(ok: bool) -> str:
    return "ok" if ok else "OVER"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000,50000", help="comma-separated entry counts")
    parser.add_argument("--runs", type=int, default=7, help="interleaved warm rounds per size (default 7)")
    parser.add_argument("--painref", default=shutil.which("painref"), help="the painref executable to time")
    args = parser.parse_args()
    floor_argv = floor_command(args.painref)
    python = floor_argv[0]
    sizes = [int(size) for size in args.sizes.split(",")]
    print(f"machine: {machine(python)}")
    print(
        f"budgets: warm {', '.join(WARM)} within {BUDGET_WARM}x the floor (CPU time); list all within"
        f" {BUDGET_LIST_S:.0f} s and {BUDGET_LIST_MB} MB; first run under"
        f" {', '.join(f'{s:.0f} s at {n:,}' for n, s in BUDGET_FIRST_S.items())}, under {BUDGET_FIRST_MB} MB\n",
        flush=True,
    )
    with tempfile.TemporaryDirectory() as scratch:
        for size in sizes:
            files = overlays(python, size, Path(scratch))
            env = clean_env(PAINREF_CACHE_DIR=str(Path(scratch) / f"cache-{size}"))
            base = [args.painref, *(item for path in files for item in ("--catalog", str(path)))]
            first, summed_mb = measure_tree([*base, *WARM["show"]], env)
            samples: dict[str, list[Sample]] = {"floor": []} | {name: [] for name in (*WARM, *LISTS)}
            for _ in range(args.runs):
                samples["floor"].append(measure(floor_argv, env))
                for name, argv in (*WARM.items(), *LISTS.items()):
                    samples[name].append(measure([*base, *argv], env))
            floor = summary(samples["floor"])
            first_budget = BUDGET_FIRST_S.get(size)
            peak = max(first.mb, summed_mb)
            first_ok = (first_budget is None or first.wall < first_budget) and peak < BUDGET_FIRST_MB
            print(
                f"{size:,} entries: first run {first.wall:.1f} s wall ({first.cpu:.1f} s CPU),"
                f" {first.mb:.0f} MB in its largest process, {summed_mb:.0f} MB across its processes"
                f" = {peak / size * 1000:.1f} MB per 1,000 entries"
                f"  [budget {f'{first_budget:.0f} s, ' if first_budget else ''}{BUDGET_FIRST_MB} MB:"
                f" {verdict(first_ok)}]"
            )
            print(f"  floor {floor.wall * 1000:.0f} ms wall, {floor.cpu * 1000:.0f} ms CPU")
            for name in WARM:
                got = summary(samples[name])
                ratio = got.cpu / floor.cpu
                print(
                    f"  {name:<10} {ratio:5.2f}x CPU ({got.wall / floor.wall:4.2f}x wall) {got.mb:4.0f} MB"
                    f"  [budget {BUDGET_WARM}x: {verdict(ratio <= BUDGET_WARM)}]"
                )
            for name in LISTS:
                got = summary(samples[name])
                ok = got.cpu <= BUDGET_LIST_S and got.mb < BUDGET_LIST_MB  # by CPU time, as above
                print(
                    f"  {name:<10} {got.wall:5.2f} s wall ({got.cpu:.2f} s CPU) {got.mb:4.0f} MB"
                    f"  [budget {BUDGET_LIST_S:.0f} s, {BUDGET_LIST_MB} MB: {verdict(ok)}]",
                    flush=True,
                )
    print(f"\n{args.runs} interleaved warm rounds; medians; peak memory is the highest of the runs")


if __name__ == "__main__":
    main()
