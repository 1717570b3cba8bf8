"""The list's objective in closed form: the expected utility of the best program matched.

A scenario ``s`` fixes everything the applicant's programs share: one parameter draw, one
applicant shock and one value of every unknown program fact. Given those, programs succeed
independently, program ``j`` with probability ``p[s, j]`` (0/1 outcomes are the special case
``p`` in {0, 1}). Utilities take a few distinct values ``v_1 > v_2 > ... > v_L`` (and
``v_{L+1} = 0``). The best utility matched is at least ``v_l`` exactly when some listed program
of utility ``v_l`` or more matches, so

    E[best utility | s] = sum_l (v_l - v_{l+1}) * (1 - Q[s, l]),
    Q[s, l] = prod over listed j with u_j >= v_l of (1 - p[s, j]).

Adding program ``j`` (utility level ``k``) multiplies ``Q[s, l]`` for every ``l >= k`` by
``1 - p[s, j]``, so its gain is ``sum_s w_s p[s, j] C[s, k]`` with the *cover*
``C[s, k] = sum_{l >= k} (v_l - v_{l+1}) Q[s, l]``: one dot product per program, or one
matrix product for all of them. ``C`` only shrinks as the list grows, so the objective is
monotone submodular. Raising a listed program's chance from ``p0`` to ``p1`` (a signal) is the
same as adding an independent program of chance ``(p1 - p0) / (1 - p0)`` at its utility.

:class:`Coverage` keeps ``Q`` as a product of non-zero factors plus a count of zero factors
per scenario and level, so a program can also be taken out exactly (placement exchanges need
that), even when its chance is 1. P(match) is ``1 - Q`` at the lowest level, which every
program reaches.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class Levels:
    """The distinct utilities (descending), their steps down, and each program's level."""

    values: FloatArray  # (L,)
    steps: FloatArray  # (L,) v_l - v_{l+1}
    of: NDArray[np.int64]  # (J,) level index of each program

    @classmethod
    def of_utility(cls, utility: FloatArray) -> Levels:
        u = np.asarray(utility, dtype=np.float64)
        if u.size and (u.min() < 0 or not np.isfinite(u).all()):
            raise ValueError("utilities must be finite and not negative")
        values = np.unique(u)[::-1] if u.size else np.ones(1)
        steps = values - np.append(values[1:], 0.0)
        of = np.searchsorted(-values, -u).astype(np.int64)
        return cls(values, steps, of)

    @property
    def count(self) -> int:
        return int(self.values.size)


class Coverage:
    """``Q`` for one list, per utility level and scenario (level-major, shape (L, S)).

    Kept as the product of the non-zero factors and a count of zero factors, so a program
    taken out divides back out exactly, even where its chance was 1.
    """

    def __init__(self, levels: Levels, weights: FloatArray):
        self.levels = levels
        self.w = weights
        self.prod: FloatArray = np.ones((levels.count, weights.size))
        self.zeros: NDArray[np.int64] | None = None  # made at the first zero factor
        self._q: FloatArray | None = None
        self._cover: FloatArray | None = None

    def copy(self) -> Coverage:
        twin = Coverage.__new__(Coverage)
        twin.levels, twin.w = self.levels, self.w
        twin.prod = self.prod.copy()
        twin.zeros = None if self.zeros is None else self.zeros.copy()
        # q() may be this coverage's own product, which add() changes in place
        twin._q = None if self._q is self.prod else self._q
        twin._cover = self._cover
        return twin

    @classmethod
    def of_rows(cls, levels: Levels, weights: FloatArray, columns: tuple[FloatArray, ...],
                programs: NDArray[np.int64], signal_levels: NDArray[np.int64],
                utility_levels: NDArray[np.int64]) -> Coverage:
        """The coverage of a whole list read from program-major ``columns`` (one array per
        signal level): program ``programs[i]`` at signal ``signal_levels[i]``."""
        cover = cls(levels, weights)
        own = np.ones((levels.count, weights.size))
        count = np.zeros(own.shape, dtype=np.int64)
        for sig in np.unique(signal_levels).tolist():
            at_sig = signal_levels == sig
            for k in np.unique(utility_levels[at_sig]).tolist():
                miss = columns[sig][programs[at_sig & (utility_levels == k)]]
                np.subtract(1.0, miss, out=miss)  # a copy: fancy indexing
                zero = miss <= 0.0
                if zero.any():
                    count[k] += zero.sum(axis=0)
                    miss[zero] = 1.0
                own[k] *= miss.prod(axis=0)
        # level l: every program at or above v_l
        cover.prod = np.cumprod(own, axis=0, dtype=np.float64)
        if count.any():
            cover.zeros = np.cumsum(count, axis=0)
        return cover

    def add(self, p: FloatArray, level: int, sign: int = 1) -> None:
        """Take a program of chances ``p`` (S,) at utility ``level`` in (``sign=-1``: out)."""
        miss = 1.0 - p
        zero = miss <= 0.0
        if zero.any():
            if self.zeros is None:
                self.zeros = np.zeros(self.prod.shape, dtype=np.int64)
            self.zeros[level:] += sign * zero
            miss = np.where(zero, 1.0, miss)
        if sign > 0:
            self.prod[level:] *= miss
        else:
            self.prod[level:] /= miss
        self._q = self._cover = None

    def q(self) -> FloatArray:
        if self._q is None:
            self._q = self.prod if self.zeros is None else np.where(self.zeros > 0, 0.0,
                                                                    self.prod)
        return self._q

    def cover(self) -> FloatArray:
        """``w_s * C[s, k]`` (L, S): the gain of a program is ``cover[k] @ p``."""
        if self._cover is None:
            q, steps = self.q(), self.levels.steps
            cover = np.empty_like(q)
            running = np.zeros(q.shape[1])
            for k in range(q.shape[0] - 1, -1, -1):
                running += steps[k] * q[k]
                np.multiply(running, self.w, out=cover[k])
            self._cover = cover
        return self._cover

    def gain(self, p: FloatArray, level: int) -> float:
        return float(self.cover()[level] @ p)

    def gains(self, block: FloatArray, levels: NDArray[np.int64]) -> FloatArray:
        """Gains of many programs at once: ``block`` (n, S), their utility levels (n,)."""
        if block.shape[0] == 0:
            return np.zeros(0)
        by_level = block @ self.cover().T  # (n, L): a few products per row, one BLAS call
        result: FloatArray = by_level[np.arange(block.shape[0]), levels]
        return result

    def value(self) -> float:
        """The objective: mean over scenarios of the expected best utility."""
        return float(self.levels.steps @ (1.0 - self.q()) @ self.w)

    def p_match(self) -> float:
        return float((1.0 - self.q()[-1]) @ self.w)


def uplift(p0: FloatArray, p1: FloatArray) -> FloatArray:
    """The chance ``r`` with ``1 - (1 - p0)(1 - r) = p1``: a raise as an extra program."""
    room = 1.0 - p0
    result: FloatArray = np.subtract(p1, p0)
    open_ = room > 0.0
    np.divide(result, room, out=result, where=open_)
    result[~open_] = 0.0  # already certain: nothing to raise
    np.clip(result, 0.0, 1.0, out=result)
    return result
