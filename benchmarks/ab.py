"""Compare two painref installs command by command, interleaved round by round, by CPU time.

    python benchmarks/ab.py OLD_PAINREF NEW_PAINREF [--rounds 15] [--colour]

Wall time on a shared VM moves in scheduler-sized steps; the CPU time of each child process (user +
system, from getrusage) is finer and less disturbed by other load. Each round runs the import floor
once and every command under both installs, alternating, each with its own warm cache; the medians
are printed as ratios to the floor and new/old. With --colour the commands run on a pseudo-terminal
(TERM=xterm-256color, 100 columns), where they print styles and colour, as bench.py's colour section.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile

COMMANDS = (
    ("list",),
    ("list", "all"),
    ("show", "epidural"),
    ("search", "nerve"),
    ("compare", "epidural", "rfa"),
    ("condition", "sciatica"),
    ("guide",),
    ("guide", "procedure-day"),
    ("checklist", "--answers", "y,y,n,y,y,y"),
    ("search", "slipped", "disc"),
    ("show", "epidural", "-f", "json"),
)
FLOOR = (sys.executable, "-c", "import typer, rich.console, rich.table, yaml")


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _timed(argv: list[str], env: dict[str, str]) -> float:
    before = _cpu()
    subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120, check=False)
    return _cpu() - before


def _on_a_terminal(argv: list[str], env: dict[str, str]) -> float:
    from bench import measure  # beside this script

    return measure(argv, env, terminal=True).cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("old")
    parser.add_argument("new")
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--colour", action="store_true", help="run the commands on a colour pseudo-terminal")
    args = parser.parse_args(argv)
    base = {**os.environ, "NO_COLOR": "1", "PAINREF_PAGER": ""}
    run = _timed
    if args.colour:
        drop = ("NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE", "COLORTERM")
        base = {k: v for k, v in base.items() if k not in drop} | {"TERM": "xterm-256color", "COLUMNS": "100"}
        run = _on_a_terminal
    with tempfile.TemporaryDirectory() as old_cache, tempfile.TemporaryDirectory() as new_cache:
        installs = (
            (args.old, {**base, "PAINREF_CACHE_DIR": old_cache}),
            (args.new, {**base, "PAINREF_CACHE_DIR": new_cache}),
        )
        for exe, env in installs:  # warm each cache first
            for command in COMMANDS:
                run([exe, *command], env)
        times: dict[tuple[str, tuple[str, ...]], list[float]] = {(e, c): [] for e, _ in installs for c in COMMANDS}
        floor = []
        for _ in range(args.rounds):
            floor.append(_timed(list(FLOOR), base))
            for command in COMMANDS:
                for exe, env in installs:
                    times[(exe, command)].append(run([exe, *command], env))
    middle = statistics.median(floor)
    where = "on a colour pseudo-terminal" if args.colour else "to a pipe"
    print(f"floor {middle * 1000:.0f} ms CPU, {args.rounds} interleaved rounds, commands {where}")
    for command in COMMANDS:
        old = statistics.median(times[(args.old, command)])
        new = statistics.median(times[(args.new, command)])
        print(
            f"{' '.join(command):26} old {old * 1000:5.0f} ms ({old / middle:.2f}x)"
            f"  new {new * 1000:5.0f} ms ({new / middle:.2f}x)  new/old {new / old:.2f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
