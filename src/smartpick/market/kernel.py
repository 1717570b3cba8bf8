"""The compiled deferred-acceptance kernel (Numba, cached on disk after the first call).

Same algorithm as :func:`smartpick.market.engine.deferred_acceptance_python`: the heaps of
all programs live in one flat array, program ``p`` owning ``heap[start[p]:start[p + 1]]``.
"""

from __future__ import annotations

import numba
import numpy as np

from smartpick.market.arrays import IntArray, Market
from smartpick.market.engine import MatchResult, entry_keys


@numba.njit(cache=True, inline="always")
def _sift_down(heap: IntArray, base: int, size: int) -> None:
    """Restore the max-heap property from the root of ``heap[base:base + size]``."""
    i = 0
    while True:
        left = 2 * i + 1
        if left >= size:
            return
        big = left
        if left + 1 < size and heap[base + left + 1] > heap[base + left]:
            big = left + 1
        if heap[base + big] <= heap[base + i]:
            return
        heap[base + i], heap[base + big] = heap[base + big], heap[base + i]
        i = big


@numba.njit(cache=True, inline="always")
def _sift_up(heap: IntArray, base: int, i: int) -> None:
    while i > 0:
        parent = (i - 1) // 2
        if heap[base + parent] >= heap[base + i]:
            return
        heap[base + parent], heap[base + i] = heap[base + i], heap[base + parent]
        i = parent


@numba.njit(cache=True)
def _deferred_acceptance(
    ptr: IntArray, progs: IntArray, keys: IntArray, cap: IntArray
) -> tuple[IntArray, int]:
    n = len(ptr) - 1
    start = np.zeros(len(cap) + 1, dtype=np.int64)
    start[1:] = np.cumsum(cap)
    heap = np.empty(start[-1], dtype=np.int64)
    size = np.zeros(len(cap), dtype=np.int64)
    nxt = ptr[:-1].copy()
    free = np.arange(n - 1, -1, -1).astype(np.int64)
    top = n
    proposals = 0
    while top > 0:
        top -= 1
        a = free[top]
        k = nxt[a]
        end = ptr[a + 1]
        while k < end:
            p = progs[k]
            key = keys[k]
            k += 1
            base = start[p]
            if size[p] < cap[p]:
                heap[base + size[p]] = key
                _sift_up(heap, base, size[p])
                size[p] += 1
                break
            if size[p] > 0 and heap[base] > key:
                free[top] = heap[base] % n
                top += 1
                heap[base] = key
                _sift_down(heap, base, size[p])
                break
        proposals += k - nxt[a]
        nxt[a] = k
    assignment = np.full(n, -1, dtype=np.int64)
    for p in range(len(cap)):
        for j in range(size[p]):
            assignment[heap[start[p] + j] % n] = p
    return assignment, proposals


def deferred_acceptance_kernel(market: Market) -> MatchResult:
    """Run the compiled kernel on ``market``."""
    assignment, proposals = _deferred_acceptance(
        market.ptr, market.program, entry_keys(market), market.capacity
    )
    return MatchResult(assignment, int(proposals))
