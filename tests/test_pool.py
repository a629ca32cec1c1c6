"""painref.pool: an ordered map in forked workers, a bounded number of jobs at a time."""

from __future__ import annotations

import os

import pytest

from painref import pool


def _square(n: int) -> tuple[int, int]:
    return n * n, os.getpid()


def _fails(n: int) -> int:
    if n == 3:
        raise ValueError("three")
    return n


def _dies(n: int) -> int:
    if n == 2:
        os._exit(1)
    return n


def test_results_come_back_in_the_jobs_order_from_other_processes():
    results = list(pool.ordered(_square, range(40), 2, 4))
    assert [square for square, _ in results] == [n * n for n in range(40)]
    assert os.getpid() not in {pid for _, pid in results}, "the work is done in workers"


def test_no_more_jobs_are_taken_than_the_window_holds():
    taken: list[int] = []

    def jobs():
        for n in range(100):
            taken.append(n)
            yield n

    results = pool.ordered(_square, jobs(), 2, 3)
    assert next(results)[0] == 0
    assert len(taken) == 3, "a big input is never read far ahead of the results"
    results.close()


def test_a_worker_s_exception_is_raised_where_its_result_is_taken():
    results = pool.ordered(_fails, range(10), 2, 2)
    assert [next(results) for _ in range(3)] == [0, 1, 2]
    with pytest.raises(ValueError, match="three"):
        next(results)


def test_a_worker_that_dies_is_said_not_waited_for_forever():
    with pytest.raises(pool.WorkersLost):
        list(pool.ordered(_dies, range(10), 2, 2))


def test_only_linux_forks_workers(monkeypatch):
    monkeypatch.setattr(pool.sys, "platform", "darwin")
    assert pool.workers() == 1
    monkeypatch.setattr(pool.sys, "platform", "linux")
    monkeypatch.setattr(pool.os, "sched_getaffinity", lambda _: set(range(64)))
    assert pool.workers() == pool.MAX_WORKERS
