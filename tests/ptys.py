"""Run painref on a pseudo-terminal with a deadline on every read and wait, so no pty test can hang CI."""

from __future__ import annotations

import os
import select
import signal
import time
from collections.abc import Callable, Sequence

import pytest

# Generous for a loaded CI machine; a healthy run takes well under a second.
DEADLINE_SECONDS = 60.0


def spawn(argv: Sequence[str], env: dict[str, str], *, rows: int | None = None, columns: int = 80) -> tuple[int, int]:
    """Start argv on a new pseudo-terminal (optionally of a given size); returns (pid, fd)."""
    pty = pytest.importorskip("pty")
    pid, fd = pty.fork()
    if pid == 0:  # pragma: no cover - the child process
        if rows is not None:
            import fcntl
            import struct
            import termios

            fcntl.ioctl(1, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        os.execvpe(argv[0], list(argv), env)  # noqa: S606 - runs our own console script
    return pid, fd


def read_until(
    fd: int,
    done: Callable[[bytes], bool] = lambda _: False,
    *,
    deadline: float,
    on_output: Callable[[bytes], None] | None = None,
) -> bytes:
    """Read until `done(output)`, the end of output, or the deadline (time.monotonic()), whichever comes first.

    `select` bounds every wait, so a child that stops writing without exiting cannot block the test.
    """
    output = b""
    while not done(output):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            break
        ready, _, _ = select.select([fd], [], [], min(remaining, 1.0))
        if not ready:
            continue
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        output += chunk
        if on_output is not None:
            on_output(output)
    return output


def poll(pid: int) -> int | None:
    """The child's exit code if it has ended, else None, without waiting."""
    done, status = os.waitpid(pid, os.WNOHANG)
    return os.waitstatus_to_exitcode(status) if done else None


def wait(pid: int, *, deadline: float) -> int:
    """The child's exit code, polling until the deadline; a child still running then is killed and the test fails."""
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        if time.monotonic() >= deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)  # returns at once after SIGKILL
            pytest.fail(f"process {pid} did not exit before its deadline and was killed")
        time.sleep(0.02)


def run(
    argv: Sequence[str], env: dict[str, str], *, rows: int | None = None, timeout: float = DEADLINE_SECONDS
) -> tuple[bytes, int]:
    """Run argv on a pseudo-terminal to the end: (everything it wrote, exit code)."""
    deadline = time.monotonic() + timeout
    pid, fd = spawn(argv, env, rows=rows)
    try:
        output = read_until(fd, deadline=deadline)
        return output, wait(pid, deadline=deadline)
    finally:
        os.close(fd)
