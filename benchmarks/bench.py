"""Time painref's commands against the import floor, side by side in one run, and print ratios.

    python benchmarks/bench.py [--runs N] [--painref PATH]

Each round runs the floor (`python -c "import typer, rich.console, rich.table, yaml"`) and every
command once, interleaved, so machine noise hits them alike: first with output to a pipe, then the
table commands again on a terminal (a pseudo-terminal, TERM=xterm-256color: colour, Rich's
console). It reports, per command, the median wall time and CPU time (user + system of the
child) as ratios to the floor's, and the peak memory (max RSS), beside SPEC.md's budgets: at most
1.0x the floor to a pipe, 1.1x on a colour terminal, and under 40 MB. A command is within budget
by its CPU ratio, which a shared machine disturbs less than wall time. Run it with the painref you
want to measure on PATH (a regular, non-editable install compiles bytecode, as users get it).
"""

from __future__ import annotations

import argparse
import os
import platform
import select
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import NamedTuple

BUDGET_PIPE = 1.0
BUDGET_COLOUR = 1.1
BUDGET_MB = 40

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
# The commands that print a table, timed again on a colour terminal.
COLOUR = ("list", "list all", "show", "search", "compare", "condition", "guide", "checklist")


class Sample(NamedTuple):
    wall: float  # seconds
    cpu: float  # seconds of user + system time
    mb: float  # peak resident memory


def measure(argv: list[str], env: dict[str, str], *, terminal: bool = False) -> Sample:
    """One run: to /dev/null, or on a pseudo-terminal whose output is read and dropped."""
    start = time.perf_counter()
    if terminal:
        import pty

        leader, follower = pty.openpty()
        process = subprocess.Popen(argv, stdin=follower, stdout=follower, stderr=follower, env=env)
        os.close(follower)
        try:
            while True:  # drain the terminal, or a long table would block on a full buffer
                select.select([leader], [], [], 5)
                if not os.read(leader, 65536):
                    break
        except OSError:  # EIO: the child closed its end
            pass
        finally:
            os.close(leader)
    else:
        process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(argv)}")
    peak_kb = usage.ru_maxrss / (1024 if sys.platform == "darwin" else 1)
    return Sample(elapsed, usage.ru_utime + usage.ru_stime, peak_kb / 1024)


def floor_command(painref: str | None) -> list[str]:
    """The import floor, run with the Python beside the painref being timed."""
    if not painref:
        raise SystemExit("painref is not on PATH; install it or pass --painref")
    beside = Path(painref).resolve().parent / "python"
    python = str(beside) if beside.exists() else sys.executable
    return [python, "-c", "import typer, rich.console, rich.table, yaml"]


def clean_env(**extra: str) -> dict[str, str]:
    """The environment runs are timed in: no user overlays, bytecode written, 100 columns, no pager."""
    drop = ("PAINREF_CATALOG", "PYTHONDONTWRITEBYTECODE", "NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE")
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env["COLUMNS"] = "100"
    env["PAINREF_PAGER"] = ""
    env.update(extra)
    return env


def machine(python: str) -> str:
    """What the figures were measured on: CPU model, cores, Python, OS."""
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    version = subprocess.run(
        [python, "-c", "import platform; print(platform.python_version())"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    ).stdout.strip()
    load = f", load {os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else ""
    return f"{model}, {os.cpu_count()} cores{load}; Python {version}; {platform.system()} {platform.release()}"


def summary(samples: list[Sample]) -> Sample:
    """Median wall and CPU time, and the highest peak memory, of a command's runs."""
    return Sample(
        statistics.median(s.wall for s in samples),
        statistics.median(s.cpu for s in samples),
        max(s.mb for s in samples),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=21, help="rounds of interleaved runs (default 21)")
    parser.add_argument("--painref", default=shutil.which("painref"), help="the painref executable to time")
    args = parser.parse_args()
    floor_argv = floor_command(args.painref)
    env = clean_env()
    colour_env = clean_env(TERM="xterm-256color")
    runs: dict[str, list[Sample]] = {"floor": []} | {name: [] for name in COMMANDS}
    runs |= {f"{name} (colour)": [] for name in COLOUR}
    for argv in COMMANDS.values():  # warm the cache and the disk once
        measure([args.painref, *argv], env)
    for _ in range(args.runs):
        runs["floor"].append(measure(floor_argv, env))
        for name, argv in COMMANDS.items():
            runs[name].append(measure([args.painref, *argv], env))
        for name in COLOUR:
            runs[f"{name} (colour)"].append(measure([args.painref, *COMMANDS[name]], colour_env, terminal=True))
    floor = summary(runs["floor"])
    print(f"machine: {machine(floor_argv[0])}")
    print(f"floor: {' '.join(floor_argv[1:])} = {floor.wall * 1000:.1f} ms wall, {floor.cpu * 1000:.1f} ms CPU")
    print(f"budgets: {BUDGET_PIPE}x the floor to a pipe, {BUDGET_COLOUR}x on a colour terminal, under {BUDGET_MB} MB")
    print(f"\n{'command':<22} {'wall ms':>8} {'wall x':>7} {'CPU x':>6} {'peak MB':>8} {'budget':>7}")
    over = []
    for name, samples in runs.items():
        if name == "floor":
            continue
        got = summary(samples)
        budget = BUDGET_COLOUR if name.endswith("(colour)") else BUDGET_PIPE
        ok = got.cpu / floor.cpu <= budget and got.mb < BUDGET_MB
        over += [] if ok else [name]
        print(
            f"{name:<22} {got.wall * 1000:>8.1f} {got.wall / floor.wall:>7.2f} {got.cpu / floor.cpu:>6.2f}"
            f" {got.mb:>8.1f} {f'{budget}x':>6} {'ok' if ok else 'OVER'}"
        )
    print(f"\n{args.runs} interleaved rounds; ratios are medians over the floor's median; within budget by CPU x")
    print("all within budget" if not over else f"over budget: {', '.join(over)}")


if __name__ == "__main__":
    main()
