"""painref.errors: each error's exit status and message, the contract scripts rely on."""

from __future__ import annotations

import pytest

from painref.errors import (
    AmbiguousNameError,
    CatalogueError,
    ExitStatus,
    NotFoundError,
    PainrefError,
    UsageError,
)


def test_exit_statuses_are_the_documented_numbers():
    assert {status.name: int(status) for status in ExitStatus} == {
        "SUCCESS": 0,
        "ERROR": 1,
        "USAGE": 2,
        "INTERRUPTED": 130,
    }


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (PainrefError, ExitStatus.ERROR),
        (NotFoundError, ExitStatus.ERROR),
        (AmbiguousNameError, ExitStatus.ERROR),
        (CatalogueError, ExitStatus.ERROR),
        (UsageError, ExitStatus.USAGE),
    ],
)
def test_each_error_carries_its_message_and_status(error, status):
    raised = error("one clear sentence")
    assert isinstance(raised, PainrefError)
    assert raised.message == "one clear sentence"
    assert str(raised) == "one clear sentence"
    assert raised.status is status


def test_a_painref_error_is_caught_by_one_handler():
    caught = []
    for error in (NotFoundError, AmbiguousNameError, CatalogueError, UsageError):
        try:
            raise error("x")
        except PainrefError as found:
            caught.append(type(found))
    assert caught == [NotFoundError, AmbiguousNameError, CatalogueError, UsageError]
