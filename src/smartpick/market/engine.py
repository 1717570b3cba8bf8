"""Applicant-proposing deferred acceptance with capacities (the NRMP algorithm for singles).

:func:`match` is the one entry point. It runs the compiled kernel (:mod:`.kernel`) by
default and the pure-Python reference below on request; both return the applicant-optimal
stable matching, which is unique, so they agree exactly.

Each program holds its tentative admits in a max-heap keyed by the program's rank of the
applicant, so the worst admit is found in O(1) and replaced in O(log capacity).
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from typing import Literal

import numpy as np

from smartpick.errors import InputError, ValidationProblem
from smartpick.market.arrays import IntArray, Market, validate

Method = Literal["kernel", "python"]


@dataclass(frozen=True)
class MatchResult:
    """``assignment[a]`` is the program index of applicant ``a``, or -1 if unmatched."""

    assignment: IntArray
    proposals: int

    def filled(self, n_programs: int) -> IntArray:
        """Positions filled per program."""
        matched = self.assignment[self.assignment >= 0]
        return np.bincount(matched, minlength=n_programs).astype(np.int64)


def match(market: Market, method: Method = "kernel", check: bool = True) -> MatchResult:
    """Run deferred acceptance on ``market`` (validated first unless ``check`` is False)."""
    if check:
        validate(market)
    if method == "python":
        return deferred_acceptance_python(market)
    if method == "kernel":
        from smartpick.market.kernel import deferred_acceptance_kernel

        return deferred_acceptance_kernel(market)
    message = f"unknown match method {method!r}; use 'kernel' or 'python'"
    raise InputError(message, [ValidationProblem("method", message)])


def entry_keys(market: Market) -> IntArray:
    """One integer per entry ordering a program's applicants: rank * n + applicant."""
    return market.rank * max(market.n_applicants, 1) + market.applicant_of_entry()


def deferred_acceptance_python(market: Market) -> MatchResult:
    """The reference implementation, in plain Python over lists."""
    n = market.n_applicants
    ptr: list[int] = market.ptr.tolist()
    progs: list[int] = market.program.tolist()
    keys: list[int] = entry_keys(market).tolist()
    cap: list[int] = market.capacity.tolist()
    heaps: list[list[int]] = [[] for _ in cap]
    nxt = ptr[:-1]
    free = list(range(n - 1, -1, -1))
    proposals = 0
    while free:
        a = free.pop()
        k, end = nxt[a], ptr[a + 1]
        while k < end:
            p, key = progs[k], keys[k]
            k += 1
            heap = heaps[p]
            if len(heap) < cap[p]:
                heapq.heappush(heap, -key)
                break
            if heap and -heap[0] > key:
                free.append(-heapq.heapreplace(heap, -key) % n)
                break
        proposals += k - nxt[a]
        nxt[a] = k
    return MatchResult(_assignment_from_heaps(heaps, n), proposals)


def _assignment_from_heaps(heaps: list[list[int]], n: int) -> IntArray:
    assignment = np.full(n, -1, dtype=np.int64)
    for p, heap in enumerate(heaps):
        for neg_key in heap:
            assignment[-neg_key % n] = p
    return assignment
