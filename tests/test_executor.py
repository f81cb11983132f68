"""The generic process pool: results in the order of the items, whatever the number of
processes, with progress reported once per item."""

from __future__ import annotations

import os

import pytest

from dripmail.pipeline.executor import cores, ordered_map


def pid_and_square(n: int) -> tuple[int, int]:
    return os.getpid(), n * n


@pytest.mark.parametrize("jobs", [1, 2, 3])
def test_results_come_in_the_order_of_the_items(jobs: int) -> None:
    seen: list[tuple[int, int]] = []
    results = list(ordered_map(pid_and_square, list(range(20)), jobs,
                               progress=lambda done, total: seen.append((done, total))))
    assert [square for _pid, square in results] == [n * n for n in range(20)]
    assert seen == [(n, 20) for n in range(1, 21)]
    in_this_process = {pid for pid, _ in results} == {os.getpid()}
    assert in_this_process == (jobs == 1)


def test_no_items_and_the_core_count() -> None:
    assert list(ordered_map(pid_and_square, [], 4)) == []
    assert cores() >= 1
