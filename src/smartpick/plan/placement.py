"""Signal placement where it adds most, and the search that combines it with the greedy list.

The greedy search hands a group's signals to the first programs it picks, which are often
the programs where a signal adds least. So once a list is chosen, its signals are placed
again: gold first, then silver, each on the listed program whose signalled chances raise the
objective most, then improved by exchanges (move a signal to another program of the same
specialty, or swap gold and silver) and three-way rotations while any of them helps. Listed
programs are also exchanged for the next programs the greedy would add, at no more cost (or
within the budget left), while that helps; the list is then put back in greedy order and its
running totals replayed.

Every step works on the closed-form objective (:mod:`smartpick.plan.objective`): raising a
listed program's chances from ``p0`` to ``p1`` adds what an extra independent program of
chance ``(p1 - p0) / (1 - p0)`` would add, and taking a program out divides its factor back out.
"""

from __future__ import annotations

import copy
import heapq
import itertools
import math
from dataclasses import replace

import numpy as np
from numpy.typing import NDArray

from smartpick.plan.objective import Coverage
from smartpick.plan.optimize import (
    GOLD,
    NONE,
    SILVER,
    GreedyResult,
    Instance,
    Limits,
    evaluate,
    greedy,
    greedy_with_fork,
    list_cost,
    order_and_extend,
    resume,
)

_TINY = 1e-12
_BETTER = 1e-9  # an exchange must raise the objective by more than this
_KEPT_COVERS = 6  # coverages a list keeps, by its programs and signals


class _Board:
    """The listed programs, their signal levels and utility levels."""

    def __init__(self, instance: Instance, programs: list[int]):
        self.instance = instance
        self.cols = instance.columns()
        self.utility_level = instance.levels().of
        self.programs = np.array(programs, dtype=np.int64)
        self.group_of = np.asarray(instance.group)
        self.group = self.group_of[self.programs]
        self.levels = np.zeros(len(programs), dtype=np.int64)
        self.groups = instance.groups
        self.signals = instance.has_signals
        self._lifts: dict[tuple[int, int], NDArray[np.float64]] = {}
        self._covers: dict[bytes, Coverage] = {}  # shared with copies: keyed by content
        # lists and signals no exchange (or rotation) improves: shared with copies too
        self.settled: set[bytes | tuple[bytes, str]] = set()

    def chances(self, i: int, level: int | None = None) -> NDArray[np.float64]:
        """Chances (S,) of listed program ``i`` at ``level`` (default: its own)."""
        lv = int(self.levels[i]) if level is None else level
        return self.cols[lv][self.programs[i]]

    def ulevel(self, i: int) -> int:
        return int(self.utility_level[self.programs[i]])

    def state(self) -> bytes:
        """The list and its signals, as a key."""
        return self.programs.tobytes() + self.levels.tobytes()

    def _state(self, optimistic: bool) -> bytes:
        return self.state() + bytes([optimistic])

    def coverage(self, optimistic: bool = False) -> Coverage:
        """The list's coverage (a copy the caller may change); optimistic: every program at
        its group's best signal. The last few are kept, keyed by the list and its signals."""
        key = self._state(optimistic)
        found = self._covers.get(key)
        if found is None:
            levels = (np.array([self.top_level(int(g)) for g in self.group], dtype=np.int64)
                      if optimistic else self.levels)
            found = Coverage.of_rows(self.instance.levels(), self.instance.scenario_weights(),
                                     self.cols, self.programs, levels,
                                     self.utility_level[self.programs])
            self.keep(found, optimistic)
        return found.copy()

    def keep(self, cover: Coverage, optimistic: bool = False) -> None:
        """Remember ``cover`` as the coverage of the list as it is now."""
        key = self._state(optimistic)
        self._covers[key] = cover.copy()
        while len(self._covers) > _KEPT_COVERS:
            del self._covers[next(iter(self._covers))]

    def slots_left(self, g: int, level: int) -> int:
        used = int(np.sum((self.group == g) & (self.levels == level)))
        quota = self.groups[g].gold if level == GOLD else self.groups[g].silver
        return quota - used

    def swap_fee(self, a: int, g: int) -> int:
        """Change in fees if listed program ``a`` is replaced by a program of group ``g``."""
        old = int(self.group[a])
        if old == g:
            return 0
        n_old = int(np.sum(self.group == old))
        n_new = int(np.sum(self.group == g))
        return self.groups[g].fees.marginal(n_new + 1) - self.groups[old].fees.marginal(n_old)

    def top_level(self, g: int) -> int:
        """The strongest signal group ``g`` has at all."""
        if self.groups[g].gold > 0 and self.signals:
            return GOLD
        return SILVER if self.groups[g].silver > 0 and self.signals else NONE

    def lifts(self, low: int, high: int) -> NDArray[np.float64]:
        """(n, S): raising each listed program from signal ``low`` to ``high`` as an extra
        program's chances (made once per list, kept up to date as the list changes)."""
        key = (low, high)
        found = self._lifts.get(key)
        if found is None:
            found = self._lifts[key] = self.instance.lifts(low, high, self.programs)
        return found

    def raises(self, cover: Coverage, listed: NDArray[np.int64], low: int,
               high: int) -> NDArray[np.float64]:
        """Gains of raising each of ``listed`` from signal ``low`` to ``high``."""
        lifts = self.lifts(low, high)
        by_level = cover.cover()
        ulevel = self.utility_level[self.programs[listed]]
        out = np.empty(len(listed))
        for k in np.unique(ulevel).tolist():
            mine = ulevel == k
            out[mine] = lifts[listed[mine]] @ by_level[k]
        return out

    def append(self, program: int) -> None:
        self.programs = np.append(self.programs, program)
        self.group = np.append(self.group, self.group_of[program])
        self.levels = np.append(self.levels, NONE)
        one = np.array([program], dtype=np.int64)
        self._lifts = {(lo, hi): np.vstack([rows, self.instance.lifts(lo, hi, one)])
                       for (lo, hi), rows in self._lifts.items()}

    def replace_program(self, a: int, program: int, group: int) -> None:
        self.programs[a], self.group[a] = program, group
        lifts = {}
        for (lo, hi), rows in self._lifts.items():  # shared with copies: changed in a copy
            rows = rows.copy()
            rows[a] = self.instance.lifts(lo, hi, np.array([program], dtype=np.int64))[0]
            lifts[(lo, hi)] = rows
        self._lifts = lifts

    def copy(self) -> _Board:
        twin = copy.copy(self)
        twin.programs = self.programs.copy()
        twin.group = self.group.copy()
        twin.levels = self.levels.copy()
        twin._lifts = dict(self._lifts)
        return twin

    def objective(self) -> float:
        return self.coverage().value()


def place_signals(instance: Instance, programs: list[int]) -> NDArray[np.int64]:
    """Signal levels for ``programs`` (same order) within each group's counts."""
    board = _Board(instance, programs)
    _place(board)
    return board.levels


def _place(board: _Board) -> None:
    """Signals placed on the list (no signals yet): gold, silver, then exchanges and
    rotations while they help."""
    if not board.signals or not len(board.programs):
        return
    for level in (GOLD, SILVER):
        _fill(board, level)
    _settle(board)


def _settle(board: _Board) -> None:
    """Signal exchanges, then three-way rotations, while any raises the objective."""
    while True:
        while _improve(board):
            pass
        if not _rotate(board):
            return


def _fill(board: _Board, level: int) -> None:
    """Hand out the groups' free ``level`` signals, each to the unsignalled listed program
    it raises most.

    Lazy: a raise can only add less once other programs are raised (the cover shrinks), so
    the gains found at the start are upper bounds, and only the top one is looked at again
    before it is taken."""
    left = {g: board.slots_left(g, level) for g in range(len(board.groups))}
    open_groups = [g for g, n in left.items() if n > 0]
    cand = np.flatnonzero((board.levels == NONE) & np.isin(board.group, open_groups))
    if cand.size == 0:
        return
    cover = board.coverage()
    lifts = board.lifts(NONE, level)
    bounds = board.raises(cover, cand, NONE, level)
    heap = [(-float(b), int(i), True) for b, i in zip(bounds, cand, strict=True)]
    heapq.heapify(heap)
    while heap:
        neg, i, fresh = heapq.heappop(heap)
        g = int(board.group[i])
        if left[g] <= 0:
            continue
        if not fresh:
            gain = float(cover.cover()[board.ulevel(i)] @ lifts[i])
            heapq.heappush(heap, (-gain, i, True))
            continue
        if -neg <= _TINY:
            return
        cover.add(board.chances(i), board.ulevel(i), sign=-1)
        board.levels[i] = level
        cover.add(board.chances(i), board.ulevel(i))
        left[g] -= 1
        board.keep(cover)
        heap = [(b, j, False) for b, j, _ in heap]  # every gain is stale now


def _improve(board: _Board) -> bool:
    """Apply the first exchange that raises the objective; False when none does (a list
    and signals already found so are not searched again)."""
    if len(board.programs) < 2:
        return False
    state = board.state()
    if state in board.settled:
        return False
    cover = board.coverage()
    base = cover.value()
    bounds = _RaiseBounds(board, cover)
    lowered = bounds.lowered(base)
    for a in np.flatnonzero(board.levels > NONE):
        if _exchange_from(board, int(a), cover, base, bounds, lowered):
            return True
    board.settled.add(state)
    return False


class _RaiseBounds:
    """Upper bounds on what raising listed programs adds once others are lowered.

    Lowering listed program ``i`` (or taking it out) divides the list's miss chances by at
    most ``1 / (1 - m_i)`` in any scenario, ``m_i`` the largest chance it loses, so a raise
    adds at most its gain on the current list times the product of those factors. Moves
    whose bound cannot beat the list are not evaluated (the same moves are found)."""

    def __init__(self, board: _Board, cover: Coverage):
        self.board = board
        self.cover = cover
        self._gains: dict[tuple[int, int], NDArray[np.float64]] = {}
        self._ratios: dict[tuple[int, int, int], NDArray[np.float64] | None] = {}
        self._every = np.arange(len(board.programs))

    def gains(self, low: int, high: int) -> NDArray[np.float64]:
        key = (low, high)
        if key not in self._gains:
            self._gains[key] = self.board.raises(self.cover, self._every, low, high)
        return self._gains[key]

    def factor(self, i: int, old: int, new: int) -> float:
        """The most listed program ``i`` moved from signal ``old`` to ``new`` can multiply
        any other program's gain by."""
        if new >= old:
            return 1.0
        worst = float(np.max(self.board.lifts(new, old)[i], initial=0.0))
        return math.inf if worst >= 1.0 else 1.0 / (1.0 - worst)

    def lowered(self, base: float) -> dict[tuple[int, int], float]:
        """The objective with one signalled program moved to a weaker signal (the others
        as they are), by program and signal, in closed form: its factor of ``Q`` changes by
        ``r = (1 - p_new) / (1 - p_old)`` at its utility level and below, so the objective
        falls by ``cover[k] @ (r - 1)``. Moves a chance of 1 makes inexact are left out (and
        recounted by the caller)."""
        found: dict[tuple[int, int], float] = {}
        if self.cover.zeros is not None:
            return found
        by_level = self.cover.cover()
        for i in np.flatnonzero(self.board.levels > NONE).tolist():
            old = int(self.board.levels[i])
            for new in range(old):
                ratio = self._ratio(i, old, new)
                if ratio is not None:
                    found[(i, new)] = base - float(by_level[self.board.ulevel(i)] @ (ratio - 1.0))
        return found

    def _ratio(self, i: int, old: int, new: int) -> NDArray[np.float64] | None:
        """``(1 - p_new) / (1 - p_old)`` for listed ``i`` (None where ``p_old`` is 1)."""
        key = (i, old, new)
        if key not in self._ratios:
            board = self.board
            room = 1.0 - board.chances(i, old)
            self._ratios[key] = (None if (room <= 0.0).any()
                                 else (1.0 - board.chances(i, new)) / room)
        return self._ratios[key]

    def moved_value(self, base: float,
                    moves: tuple[tuple[int, int, int], tuple[int, int, int]]) -> float | None:
        """The objective with two listed programs moved ``(i, old, new)`` to other signals,
        in closed form (None where a chance of 1 makes that inexact): their factors of
        ``Q`` change by ``r_i = (1 - p_new) / (1 - p_old)`` at their utility levels and
        below, so with ``C = cover()``, levels ``n <= m`` and ``r_n`` the factor of the
        program at ``n``, the objective falls by ``C[m] @ (r_a r_b - 1)
        + (C[n] - C[m]) @ (r_n - 1)``."""
        if self.cover.zeros is not None:
            return None
        (a, old_a, new_a), (b, old_b, new_b) = moves
        ra, rb = self._ratio(a, old_a, new_a), self._ratio(b, old_b, new_b)
        if ra is None or rb is None:
            return None
        by_level = self.cover.cover()
        ka, kb = self.board.ulevel(a), self.board.ulevel(b)
        m, n = max(ka, kb), min(ka, kb)
        drop = float(by_level[m] @ (ra * rb - 1.0))
        if n < m:
            drop += float((by_level[n] - by_level[m]) @ ((ra if ka < kb else rb) - 1.0))
        return base - drop

    def best(self, cand: NDArray[np.int64], low: int, high: int, factor: float) -> float:
        if not math.isfinite(factor):
            return math.inf
        return float(np.max(self.gains(low, high)[cand])) * factor * _SAFE + _TINY


_SAFE = 1.0 + 1e-9  # rounding room in bounds


def _exchange_from(board: _Board, a: int, cover: Coverage, base: float,
                   bounds: _RaiseBounds | None = None,
                   known: dict[tuple[int, int], float] | None = None) -> bool:
    """Move ``a``'s signal to a same-group program of a lower level, ``a`` taking that
    level (or a weaker signal still free in its group). ``known``: objectives with ``a``
    lowered, where already counted (:meth:`_RaiseBounds.lowered`)."""
    la = int(board.levels[a])
    g = int(board.group[a])
    same = np.flatnonzero((board.group == g) & (board.levels < la))
    for lb in sorted({int(board.levels[b]) for b in same}):
        cand = same[board.levels[same] == lb]
        free = [lv for lv in range(lb + 1, la) if board.slots_left(g, lv) > 0]
        for to in (lb, *free):
            low = None if known is None else known.get((a, to))
            if bounds is not None and low is not None and low + bounds.best(
                    cand, lb, la, bounds.factor(a, la, to)) <= base + _BETTER:
                continue  # screened without a copy of the coverage
            lowered = cover.copy()
            lowered.add(board.chances(a), board.ulevel(a), sign=-1)
            lowered.add(board.chances(a, to), board.ulevel(a))
            if bounds is not None and low is None and lowered.value() + bounds.best(
                    cand, lb, la, bounds.factor(a, la, to)) <= base + _BETTER:
                continue
            values = lowered.value() + board.raises(lowered, cand, lb, la)
            k = int(np.argmax(values))
            if values[k] > base + _BETTER:
                board.levels[a], board.levels[cand[k]] = to, la
                return True
    return False


def _rotate(board: _Board) -> bool:
    """Apply the first three-way signal rotation within a specialty that raises the objective.

    A gold ``a``, a silver ``b`` and an unsignalled ``c`` become (none, gold, silver) or
    (silver, none, gold): a move no exchange of two signals makes one step at a time.
    """
    if not board.signals:
        return False
    state = (board.state(), "rotate")
    if state in board.settled:
        return False
    cover = board.coverage()
    base = cover.value()
    bounds = _RaiseBounds(board, cover)
    for g in range(len(board.groups)):
        mine = board.group == g
        golds = np.flatnonzero(mine & (board.levels == GOLD))
        silvers = np.flatnonzero(mine & (board.levels == SILVER))
        nones = np.flatnonzero(mine & (board.levels == NONE))
        if nones.size == 0:
            continue
        for a, b in itertools.product(golds.tolist(), silvers.tolist()):
            for to_a, to_b, to_c in ((NONE, GOLD, SILVER), (SILVER, NONE, GOLD)):
                factor = bounds.factor(a, GOLD, to_a) * bounds.factor(b, SILVER, to_b)
                quick = bounds.moved_value(base, ((a, GOLD, to_a), (b, SILVER, to_b)))
                if quick is not None and quick + bounds.best(
                        nones, NONE, to_c, factor) <= base + _BETTER:
                    continue  # screened without copies of the coverage
                moved = _moved(_moved(cover, board, a, to_a), board, b, to_b)
                if moved.value() + bounds.best(nones, NONE, to_c, factor) <= base + _BETTER:
                    continue
                values = moved.value() + board.raises(moved, nones, NONE, to_c)
                k = int(np.argmax(values))
                if values[k] > base + _BETTER:
                    board.levels[[a, b, nones[k]]] = (to_a, to_b, to_c)
                    return True
    board.settled.add(state)
    return False


def _moved(cover: Coverage, board: _Board, i: int, level: int) -> Coverage:
    """``cover`` with listed program ``i`` at signal ``level`` instead of its own (a copy)."""
    out = cover.copy()
    out.add(board.chances(i), board.ulevel(i), sign=-1)
    out.add(board.chances(i, level), board.ulevel(i))
    return out


def replay(
    instance: Instance, result: GreedyResult, levels: NDArray[np.int64], limits: Limits
) -> GreedyResult:
    """Running totals of ``result.order`` with the chosen list's signals set to ``levels``."""
    cols = instance.columns()
    utility_level = instance.levels().of
    all_levels = np.zeros(len(result.order), dtype=np.int64)
    all_levels[: result.chosen] = levels
    cover = instance.coverage()
    gain, objective, p_match = [], [], []
    for j, lv in zip(result.order, all_levels, strict=True):
        before = cover.value()
        cover.add(cols[int(lv)][int(j)], int(utility_level[j]))
        objective.append(cover.value())
        gain.append(objective[-1] - before)
        p_match.append(cover.p_match())
    chosen = result.chosen
    if limits.target_p_match is not None:
        reached = np.flatnonzero(np.array(p_match) >= limits.target_p_match - _TINY)
        if reached.size and reached[0] + 1 < chosen:
            chosen = int(reached[0]) + 1
            all_levels[chosen:] = NONE
            return replay(instance, replace(result, chosen=chosen), all_levels[:chosen], limits)
    return replace(
        result,
        level=all_levels,
        gain=np.array(gain),
        objective=np.array(objective),
        p_match=np.array(p_match),
    )


def _swap_in(board: _Board, pool: list[int], tries: int, slack: float) -> bool:
    """Replace one listed program by a pooled one, within ``slack`` dollars more, if the
    objective rises.

    Candidates are screened by an upper bound (every program at its group's best signal),
    and the ``tries`` best are tried for real, with the list's signals placed again.
    """
    listed = set(board.programs.tolist())
    outside = np.array([j for j in pool if j not in listed], dtype=np.int64)
    if len(board.programs) == 0 or outside.size == 0:
        return False
    base = board.objective()
    found = swap_screen(board, outside, slack, base)
    return any(_try_swap(board, a, b, g, base) for _, a, b, g in found[:tries])


def swap_screen(board: _Board, outside: NDArray[np.int64], slack: float,
                base: float) -> list[tuple[float, int, int, int]]:
    """Exchanges worth trying, best bound first: ``(bound, listed index, program, group)``
    for each listed program and group, the pooled program whose bound beats ``base``.

    The bound is the list's value with every program at its group's best signal. In closed
    form for all exchanges at once: taking out a program of chances ``p`` divides ``Q`` by
    ``1 - p`` at its utility level and below, which turns every gain into a product with
    ``1 / (1 - p)`` (:func:`_screen_closed`); one program at a time where a chance of 1 makes
    that inexact (:func:`_screen_each`)."""
    optimistic = board.coverage(optimistic=True)
    tops = np.array([board.top_level(int(g)) for g in board.group], dtype=np.int64)
    chances = np.array([board.cols[lv][j] for j, lv in zip(board.programs, tops, strict=True)])
    if optimistic.zeros is not None or (chances >= 1.0).any():
        found = _screen_each(board, outside, slack, base, optimistic)
    else:
        found = _screen_closed(board, outside, slack, base, optimistic, chances)
    found.sort(reverse=True)
    return found


def _screen_each(board: _Board, outside: NDArray[np.int64], slack: float, base: float,
                 optimistic: Coverage) -> list[tuple[float, int, int, int]]:
    found: list[tuple[float, int, int, int]] = []
    for a in range(len(board.programs)):
        without = optimistic.copy()
        top = board.top_level(int(board.group[a]))
        without.add(board.chances(a, top), board.ulevel(a), sign=-1)
        rest = without.value()
        for g in range(len(board.groups)):
            cand = outside[board.group_of[outside] == g]
            if cand.size == 0 or board.swap_fee(a, g) > slack:
                continue
            lift = board.cols[board.top_level(g)][cand]
            values = rest + without.gains(lift, board.utility_level[cand])
            k = int(np.argmax(values))
            if values[k] > base + _BETTER:
                found.append((float(values[k]), a, int(cand[k]), g))
    return found


def _screen_closed(board: _Board, outside: NDArray[np.int64], slack: float, base: float,
                   optimistic: Coverage, chances: NDArray[np.float64]
                   ) -> list[tuple[float, int, int, int]]:
    """:func:`_screen_each` in closed form. With ``C = cover()`` and ``r = 1 / (1 - p_a)``,
    taking out listed ``a`` (utility level ``ka``) leaves the value ``value - C[ka] @ (r - 1)``
    and gives pooled ``c`` (level ``kc``, chances ``p_c``) the gain ``(C[kc] p_c) @ r`` when
    ``kc >= ka``, else ``C[kc] @ p_c + (C[ka] p_c) @ (r - 1)``."""
    cover = optimistic.cover()
    value = optimistic.value()
    ka = board.utility_level[board.programs]
    raised = 1.0 / (1.0 - chances)  # r, per listed program (A, S)
    extra = raised - 1.0
    rest = value - np.einsum("as,as->a", cover[ka], extra)
    found: list[tuple[float, int, int, int]] = []
    listed_groups = sorted(set(board.group.tolist()))
    for g in range(len(board.groups)):
        cand = outside[board.group_of[outside] == g]
        if cand.size == 0:
            continue
        fits = np.array([board.swap_fee(int(np.flatnonzero(board.group == h)[0]), g) <= slack
                         for h in listed_groups])
        rows = np.flatnonzero(np.isin(board.group, np.array(listed_groups)[fits]))
        if rows.size == 0:
            continue
        lift = board.cols[board.top_level(g)][cand]
        kc = board.utility_level[cand]
        weighted = lift * cover[kc]  # C[kc] p_c
        gains = raised[rows] @ weighted.T  # (A, Nc), right where kc >= ka
        for level in np.unique(ka[rows]).tolist():
            below = kc < level
            if not below.any():
                continue
            mine = rows[ka[rows] == level]
            fixed = weighted[below].sum(axis=1) + extra[mine] @ (lift[below] * cover[level]).T
            gains[np.ix_(np.searchsorted(rows, mine), np.flatnonzero(below))] = fixed
        values = rest[rows, None] + gains
        best = np.argmax(values, axis=1)
        top = values[np.arange(rows.size), best]
        for n in np.flatnonzero(top > base + _BETTER).tolist():
            found.append((float(top[n]), int(rows[n]), int(cand[best[n]]), g))
    return found


def _try_swap(board: _Board, a: int, b: int, g: int, base: float) -> bool:
    trial = board.copy()
    trial.replace_program(a, b, g)
    _place_all(trial)
    if trial.objective() > base + _BETTER:
        board.programs[:], board.group[:], board.levels[:] = (
            trial.programs, trial.group, trial.levels)
        board._lifts = trial._lifts
        return True
    return False


def _place_all(board: _Board) -> None:
    """Signals placed afresh on the whole list: gold, silver, then exchanges."""
    board.levels[:] = NONE
    for level in (GOLD, SILVER):
        _fill(board, level)
    while _improve(board):
        pass


def _refilled(board: _Board, pool: list[int], budget: float,
              max_programs: int | None = None) -> _Board | None:
    """The list without one or two of its least useful programs, the money spent again.

    The freed budget and what was left go to the pool's programs by best gain: fewer,
    dearer programs where a fee tier made the greedy take cheap ones. Drops are screened
    with the kept signals (single drops among the 3 least useful, pairs among the 4), and the
    best screened list gets its signals placed afresh. None when that is no better.
    """
    cover = board.coverage()
    base = cover.value()
    loss = np.array([base - _without(cover, board, i).value()
                     for i in range(len(board.programs))])
    low = np.argsort(loss, kind="stable")[:4].tolist()
    drops = [(i,) for i in low[:3]] + list(itertools.combinations(low, 2))
    best: tuple[float, _Board] | None = None
    for drop in drops:
        if len(board.programs) <= len(drop):
            continue
        keep = np.array([i for i in range(len(board.programs)) if i not in drop])
        trial = _Board(board.instance, board.programs[keep].tolist())
        trial.levels[:] = board.levels[keep]
        gone = set(board.programs[list(drop)].tolist())
        _spend(trial, [j for j in pool if j not in gone], budget, max_programs)
        for level in (GOLD, SILVER):
            _fill(trial, level)
        value = trial.objective()
        if best is None or value > best[0]:
            best = (value, trial)
    if best is None:
        return None
    trial = best[1]
    _place_all(trial)
    return trial if trial.objective() > base + _BETTER else None


def _without(cover: Coverage, board: _Board, i: int) -> Coverage:
    out = cover.copy()
    out.add(board.chances(i), board.ulevel(i), sign=-1)
    return out


def _spend(board: _Board, pool: list[int], budget: float,
           max_programs: int | None = None) -> None:
    """Add pool programs (no signal) by best gain while their fees fit the budget."""
    cover = board.coverage()
    pool_array = np.array(pool, dtype=np.int64)
    while max_programs is None or len(board.programs) < max_programs:
        cost = list_cost(board.instance, board.programs.tolist())
        counts = np.bincount(board.group, minlength=len(board.groups))
        next_fee = np.array([grp.fees.marginal(int(n) + 1)
                             for grp, n in zip(board.groups, counts, strict=True)])
        fits = ~np.isin(pool_array, board.programs) & (
            cost + next_fee[board.group_of[pool_array]] <= budget)
        cand = pool_array[fits]
        if cand.size == 0:
            break
        gains = cover.gains(board.cols[NONE][cand], board.utility_level[cand])
        k = int(np.argmax(gains))
        if gains[k] <= _TINY:
            break
        board.append(int(cand[k]))
        cover.add(board.cols[NONE][cand[k]], int(board.utility_level[cand[k]]))
    board.keep(cover)  # the list's coverage as it now is


def _polish(board: _Board, pool: list[int], effort: int, budget: float | None,
            grow: bool = False, max_programs: int | None = None) -> _Board:
    """Exchanges while they help, within ``effort`` trial placements in all.

    Exchanges cost no more, or (given a ``budget``) no more than the budget left; with a
    budget the least useful programs may also be dropped and the money spent again
    (:func:`_refilled`). With ``grow``, programs are also added while the budget left and
    ``max_programs`` allow and one raises the objective, a signal moving to it where that
    is what makes it worth adding (:func:`_grown`). Returns the polished list (a new board
    when its length changed).
    """
    while _improve(board):
        pass
    if grow:
        board = _grown(board, budget, max_programs)
    tries = min(effort, 4)
    while effort > 0 and _swap_in(board, pool, tries, _slack(board, budget)):
        effort -= tries
        while _improve(board):
            pass
    while budget is not None and effort > 0:
        trial = _refilled(board, pool, budget, max_programs)
        effort -= 2
        if trial is None:
            break
        board = _grown(trial, budget, max_programs) if grow else trial
    paired = _swap_pairs(board, pool, budget)
    if paired is not None:
        board = paired
    for level in (GOLD, SILVER):
        _fill(board, level)  # slots a cross-specialty exchange freed
    return board


PAIR_TRIALS = 400  # most two-for-two exchanges a short list tries


def _swap_pairs(board: _Board, pool: list[int], budget: float | None) -> _Board | None:
    """The best list with two listed programs exchanged for two pooled ones at once (their
    signals placed afresh), within the budget (or at no more cost), if it raises the
    objective; only for lists short enough that every pair can be tried (at most
    ``PAIR_TRIALS`` trials), where one exchange at a time can miss the optimum."""
    programs = board.programs.tolist()
    listed = set(programs)
    outside = [j for j in pool if j not in listed]
    n_out, n_in = math.comb(len(programs), 2), math.comb(len(outside), 2)
    if not n_out or not n_in or n_out * n_in > PAIR_TRIALS:
        return None
    outs = list(itertools.combinations(range(len(programs)), 2))
    ins = list(itertools.combinations(outside, 2))
    limit = budget if budget is not None else list_cost(board.instance, programs)
    best: tuple[float, _Board] | None = None
    base = board.objective()
    for a, b in outs:
        kept = [j for k, j in enumerate(programs) if k not in (a, b)]
        for pair in ins:
            trial_programs = [*kept, *pair]
            if list_cost(board.instance, trial_programs) > limit:
                continue
            trial = _Board(board.instance, trial_programs)
            _place_all(trial)
            _settle(trial)
            value = trial.objective()
            if value > base + _BETTER and (best is None or value > best[0]):
                best = (value, trial)
    return None if best is None else best[1]


def _grown(board: _Board, budget: float | None, max_programs: int | None,
           tries: int = 3) -> _Board:
    """``board`` with programs added while one fits and raises the objective.

    The greedy weighs a program at its specialty's next free signal only, so once a
    specialty's signals are handed out, a program worth adding only with a signal (its
    unsignalled chances add nothing) is never taken, and the list can stop with budget left.
    Here every unlisted program that fits is screened by its gain at its specialty's best
    signal (an upper bound on what it adds), and the ``tries`` best are tried for real: added,
    then the list's signals settled (kept and exchanged, or placed afresh).
    """
    while max_programs is None or len(board.programs) < max_programs:
        listed = np.zeros(board.instance.n_programs, dtype=bool)
        listed[board.programs] = True
        counts = np.bincount(board.group, minlength=len(board.groups))
        left = np.inf if budget is None else budget - list_cost(board.instance,
                                                                board.programs.tolist())
        fits = [g for g in range(len(board.groups))
                if board.groups[g].fees.marginal(int(counts[g]) + 1) <= left]
        cand = np.flatnonzero(~listed & np.isin(board.group_of, fits))
        if cand.size == 0:
            return board
        cover = board.coverage()
        base = cover.value()
        bound = np.zeros(cand.size)
        for g in fits:
            mine = board.group_of[cand] == g
            top = board.cols[board.top_level(g)][cand[mine]]
            bound[mine] = cover.gains(top, board.utility_level[cand[mine]])
        best: tuple[float, _Board] | None = None
        for k in np.argsort(-bound, kind="stable")[:tries].tolist():
            if bound[k] <= _BETTER:
                break
            for trial in _with(board, int(cand[k])):
                value = trial.objective()
                if value > base + _BETTER and (best is None or value > best[0]):
                    best = (value, trial)
        if best is None:
            return board
        board = best[1]
    return board


def _with(board: _Board, program: int) -> tuple[_Board, _Board]:
    """``board`` plus ``program``: signals kept and settled, and signals placed afresh."""
    kept = board.copy()
    kept.append(program)
    for level in (GOLD, SILVER):
        _fill(kept, level)
    _settle(kept)
    for level in (GOLD, SILVER):
        _fill(kept, level)  # a slot the newcomer's signal left behind
    fresh = kept.copy()
    _place_all(fresh)
    _settle(fresh)
    return kept, fresh


def _slack(board: _Board, budget: float | None) -> float:
    if budget is None:
        return 0.0
    return budget - list_cost(board.instance, board.programs.tolist())


def search(
    instance: Instance, limits: Limits, pool: int = 40, effort: int = 8
) -> GreedyResult:
    """Greedy list, polished by exchanges, with signals placed where they add most.

    The greedy sequence gives the list and, beyond it, a ``pool`` of the next programs it
    would add. Exchanges of a listed program for a pooled one at no more cost, or within the
    budget left when the budget stopped the list (within ``effort`` trial placements), and
    signal exchanges are applied while they raise the objective. The polished list is put
    back in greedy order, and the sequence continues beyond it for the curve.
    """
    first = _first_list(instance, replace(limits, extend=max(limits.extend, pool)))
    plain = _totals(replace(first, order=first.order[: first.chosen + limits.extend],
                            level=first.level[: first.chosen + limits.extend]))
    if first.chosen == 0:
        return plain
    board = _Board(instance, first.chosen_programs())
    _place(board)  # the board remembers that its placement is settled
    placed = board.copy()
    # spending the budget left (and growing the list) only when the budget stopped the list
    # or nothing more added at the signals the greedy had left: a list stopped by its length
    # or its target keeps that length
    grow = first.stop_reason in ("budget", "no_gain")
    budget = limits.budget_usd if grow else None
    board = _polish(board, first.order.tolist(), effort, budget, grow,
                    limits.max_programs)  # listed ones are skipped
    _settle(board)
    # exchanges raise the objective (utility); a list that reached the target must keep it
    target = limits.target_p_match if first.stop_reason == "target" else None
    for candidate in (board, placed):
        result = _ordered(instance, limits, candidate, first.stop_reason)
        if target is None or result.chosen_p_match >= target - _TINY:
            return result
    return plain


def quick_search(instance: Instance, limits: Limits) -> tuple[float, float, int, int]:
    """Objective, P(match), cost and length of the greedy list with its signals placed where
    they add most (no program exchanges): what a what-if shows."""
    first = _first_list(instance, replace(limits, extend=0))
    programs = first.chosen_programs()
    if not programs:
        return 0.0, 0.0, 0, 0
    levels = place_signals(instance, programs)
    value, p_match = evaluate(instance, programs, levels.tolist())
    if limits.target_p_match is not None and first.stop_reason == "target" \
            and p_match < limits.target_p_match - _TINY:
        return first.chosen_objective, first.chosen_p_match, first.chosen_cost, first.chosen
    return value, p_match, first.chosen_cost, len(programs)


def _first_list(instance: Instance, limits: Limits) -> GreedyResult:
    """The greedy list; under a binding budget, the better of gain per dollar and plain gain.

    Best gain per dollar can fill a budget with cheap programs where fewer, dearer ones add
    more (a fee tier makes the next program cost nearly three times as much); taking the
    better of the two rules is the usual remedy for budgeted submodular lists.
    """
    first, fork = greedy_with_fork(instance, limits)
    if first.stop_reason != "budget" or not limits.by_ratio or fork is None:
        return first  # the groups' next fees never differed: both rules pick alike
    other = resume(fork, replace(limits, per_dollar=False, extend=0))
    if other.chosen_objective <= first.chosen_objective + _BETTER:
        return first
    return other if limits.extend == 0 else greedy(instance, replace(limits, per_dollar=False))


def _totals(result: GreedyResult) -> GreedyResult:
    """``result`` with its running arrays cut to its order."""
    n = len(result.order)
    return replace(result, gain=result.gain[:n], objective=result.objective[:n],
                   p_match=result.p_match[:n], cost_usd=result.cost_usd[:n])


def _ordered(instance: Instance, limits: Limits, board: _Board, reason: str) -> GreedyResult:
    """The list in greedy order (with its signals fixed), then the sequence beyond it."""
    programs = board.programs.tolist()
    levels = board.levels.tolist()
    result = order_and_extend(instance, programs, levels, limits.by_ratio, limits.extend)
    level_of = dict(zip(programs, levels, strict=True))
    levels = [level_of[int(j)] for j in result.order[: result.chosen]]
    if limits.target_p_match is not None:
        reached = np.flatnonzero(result.p_match >= limits.target_p_match - _TINY)
        if reached.size and reached[0] + 1 < result.chosen:  # the target, reached sooner
            result = replay(instance, result, np.array(levels, dtype=np.int64), limits)
    return replace(result, stop_reason=reason)
