"""Time painref's commands against the import floor, side by side in one run, and print ratios.

    python benchmarks/bench.py [--runs N] [--painref PATH]

Each round runs the floor (`python -c "import typer, rich.console, rich.table, yaml"`) and every
command once, interleaved, so machine noise hits them alike; it reports the median wall time,
the ratio to the floor's median, and each command's peak memory (max RSS). SPEC.md's budget is a
ratio of at most 1.2 and under 60 MB. Run it with the painref you want to measure on PATH (a
regular, non-editable install compiles bytecode, as users get it).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

BUDGET_RATIO = 1.2
BUDGET_MB = 60

COMMANDS: dict[str, list[str]] = {
    "list": ["list"],
    "list all": ["list", "all"],
    "show": ["show", "rfa"],
    "search": ["search", "slipped", "disc"],
    "compare": ["compare", "epidural", "rfa"],
    "condition": ["condition", "sciatica"],
    "guide": ["guide", "procedure-day"],
    "checklist": ["checklist", "--answers", "y,y,n,y,y,y"],
    "show -f json": ["show", "rfa", "-f", "json"],
    "validate": ["validate"],
    "--help": ["--help"],
}


def measure(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and peak memory in MB of one run."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(argv)}")
    peak_kb = usage.ru_maxrss / (1024 if sys.platform == "darwin" else 1)
    return elapsed, peak_kb / 1024


def floor_command(painref: str | None) -> list[str]:
    """The import floor, run with the Python beside the painref being timed."""
    if not painref:
        raise SystemExit("painref is not on PATH; install it or pass --painref")
    beside = Path(painref).resolve().parent / "python"
    python = str(beside) if beside.exists() else sys.executable
    return [python, "-c", "import typer, rich.console, rich.table, yaml"]


def clean_env(**extra: str) -> dict[str, str]:
    """The environment runs are timed in: no user overlays, bytecode written, 100 columns."""
    env = {k: v for k, v in os.environ.items() if k not in ("PAINREF_CATALOG", "PYTHONDONTWRITEBYTECODE")}
    env["COLUMNS"] = "100"
    env.update(extra)
    return env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=21, help="rounds of interleaved runs (default 21)")
    parser.add_argument("--painref", default=shutil.which("painref"), help="the painref executable to time")
    args = parser.parse_args()
    floor_argv = floor_command(args.painref)
    env = clean_env()
    runs: dict[str, list[tuple[float, float]]] = {"floor": []} | {name: [] for name in COMMANDS}
    for argv in COMMANDS.values():  # warm the cache and the disk once
        measure([args.painref, *argv], env)
    for _ in range(args.runs):
        runs["floor"].append(measure(floor_argv, env))
        for name, argv in COMMANDS.items():
            runs[name].append(measure([args.painref, *argv], env))
    floor = statistics.median(t for t, _ in runs["floor"])
    print(f"{'command':<16} {'median ms':>10} {'ratio':>7} {'peak MB':>8}  budget")
    worst = 0.0
    for name, samples in runs.items():
        wall = statistics.median(t for t, _ in samples)
        peak = max(m for _, m in samples)
        ratio = wall / floor
        ok = name == "floor" or (ratio <= BUDGET_RATIO and peak < BUDGET_MB)
        worst = max(worst, ratio if name != "floor" else 0.0)
        print(f"{name:<16} {wall * 1000:>10.1f} {ratio:>7.2f} {peak:>8.1f}  {'ok' if ok else 'OVER'}")
    print(f"\n{args.runs} interleaved rounds; floor = {' '.join(floor_argv[1:])!s}; worst ratio {worst:.2f}")


if __name__ == "__main__":
    main()
