"""painref's errors and the exit codes they map to."""

from __future__ import annotations

from enum import IntEnum


class ExitStatus(IntEnum):
    """Process exit codes; SPEC.md's table is the contract."""

    SUCCESS = 0
    # No search result, unknown or ambiguous name, invalid catalogue.
    ERROR = 1
    # Bad usage: a missing argument or bad option (Click's own errors use this too).
    USAGE = 2
    # Interrupted by Ctrl-C (128 + SIGINT), the shell convention.
    INTERRUPTED = 130


class PainrefError(Exception):
    """An expected failure: one clear sentence for stderr and an exit status."""

    status: ExitStatus = ExitStatus.ERROR

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFoundError(PainrefError):
    """A name, topic or query matched nothing."""


class AmbiguousNameError(PainrefError):
    """A name matched several entries equally well."""


class CatalogueError(PainrefError):
    """A catalogue file could not be read or is invalid."""


class UsageError(PainrefError):
    """The command line asks for something that cannot be done."""

    status = ExitStatus.USAGE
