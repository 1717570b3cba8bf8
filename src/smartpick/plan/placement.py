"""Signal placement where it adds most, and the search that combines it with the greedy list.

The greedy search hands a group's signals to the first programs it picks, which are often
the programs where a signal adds least. So once a list is chosen, its signals are placed
again: gold first, then silver, each on the listed program whose signalled column raises the
objective most, then improved by exchanges (move a signal to another program of the same
specialty, or swap gold and silver) while any exchange helps. The list is then searched again
with those signals pinned, and the signals placed once more on the new list. The better of
the two results (higher objective at no more cost) is kept, with its running totals replayed.
"""

from __future__ import annotations

import copy
from dataclasses import replace

import numpy as np
from numpy.typing import NDArray

from smartpick.plan.optimize import (
    GOLD,
    NONE,
    SILVER,
    GreedyResult,
    Group,
    Instance,
    Limits,
    greedy,
)

_TINY = 1e-12


class _Board:
    """The listed programs, their levels and the per-scenario best utility."""

    def __init__(self, instance: Instance, programs: list[int]):
        self.cols = instance.columns()
        self.w = instance.scenario_weights()
        self.programs = np.array(programs, dtype=np.int64)
        self.group_of = np.asarray(instance.group)
        self.group = self.group_of[self.programs]
        self.levels = np.zeros(len(programs), dtype=np.int64)
        self.groups = instance.groups
        self.signals = instance.has_signals

    def matrix(self, optimistic: bool = False) -> NDArray[np.float64]:
        """Current column of every listed program (L x S); optimistic: at its best signal."""
        levels: list[int] = (
            [self.top_level(int(g)) for g in self.group] if optimistic else self.levels.tolist()
        )
        rows = [self.cols[lv][j] for j, lv in zip(self.programs, levels, strict=True)]
        return np.array(rows) if rows else np.zeros((0, self.w.size))

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

    def copy(self) -> _Board:
        twin = copy.copy(self)
        twin.programs = self.programs.copy()
        twin.group = self.group.copy()
        twin.levels = self.levels.copy()
        return twin

    def objective(self) -> float:
        m = self.matrix()
        return float(self.w @ m.max(axis=0)) if len(m) else 0.0


def place_signals(instance: Instance, programs: list[int]) -> NDArray[np.int64]:
    """Signal levels for ``programs`` (same order) within each group's counts."""
    board = _Board(instance, programs)
    if not instance.has_signals or not programs:
        return board.levels
    for level in (GOLD, SILVER):
        _fill(board, level)
    while _improve(board):
        pass
    return board.levels


def _fill(board: _Board, level: int) -> None:
    best = board.matrix().max(axis=0) if len(board.programs) else np.zeros(board.w.size)
    left = {g: board.slots_left(g, level) for g in range(len(board.groups))}
    while True:
        open_groups = [g for g, n in left.items() if n > 0]
        cand = np.flatnonzero((board.levels == NONE) & np.isin(board.group, open_groups))
        if cand.size == 0:
            return
        up = board.cols[level][board.programs[cand]]
        gains = np.maximum(up - best, 0.0) @ board.w
        k = int(np.argmax(gains))
        if gains[k] <= _TINY:
            return
        board.levels[cand[k]] = level
        left[int(board.group[cand[k]])] -= 1
        np.maximum(best, up[k], out=best)


def _improve(board: _Board) -> bool:
    """Apply the first exchange that raises the objective; False when none does."""
    m = board.matrix()
    if len(m) < 2:
        return False
    order = np.argsort(-m, axis=0)
    top1, top2 = order[0], order[1]
    cols_s = np.arange(m.shape[1])
    best, second = m[top1, cols_s], m[top2, cols_s]
    base = float(board.w @ best)
    for a in np.flatnonzero(board.levels > NONE):
        if _exchange_from(board, int(a), top1, best, second, base):
            return True
    return False


def _exchange_from(
    board: _Board,
    a: int,
    top1: NDArray[np.int64],
    best: NDArray[np.float64],
    second: NDArray[np.float64],
    base: float,
) -> bool:
    la = int(board.levels[a])
    same = np.flatnonzero((board.group == board.group[a]) & (board.levels < la))
    for lb in sorted({int(board.levels[b]) for b in same}):
        without = np.where(top1 == a, second, best)
        without = np.maximum(without, board.cols[lb][board.programs[a]])
        cand = same[board.levels[same] == lb]
        up = board.cols[la][board.programs[cand]]
        values = np.maximum(up, without) @ board.w
        k = int(np.argmax(values))
        if values[k] > base + 1e-9:
            board.levels[a], board.levels[cand[k]] = lb, la
            return True
    return False


def pinned(instance: Instance, programs: list[int], levels: NDArray[np.int64]) -> Instance:
    """The instance with the given signals fixed into the values and no slots left."""
    cols = instance.columns()
    values = cols[NONE].copy()
    for j, lv in zip(programs, levels, strict=True):
        values[j] = cols[int(lv)][j]
    groups = tuple(Group(g.name, g.fees) for g in instance.groups)
    return Instance(np.ascontiguousarray(values.T), instance.group, groups, instance.weights)


def replay(
    instance: Instance, result: GreedyResult, levels: NDArray[np.int64], limits: Limits
) -> GreedyResult:
    """Running totals of ``result.order`` with the chosen list's signals set to ``levels``."""
    cols = instance.columns()
    w = instance.scenario_weights()
    all_levels = np.zeros(len(result.order), dtype=np.int64)
    all_levels[: result.chosen] = levels
    best = np.zeros(instance.n_scenarios)
    gain, objective, p_match = [], [], []
    for j, lv in zip(result.order, all_levels, strict=True):
        before = float(w @ best)
        np.maximum(best, cols[int(lv)][int(j)], out=best)
        objective.append(float(w @ best))
        gain.append(objective[-1] - before)
        p_match.append(float(w @ (best > 0)))
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


def _swap_in(board: _Board, pool: list[int], tries: int) -> bool:
    """Replace one listed program by a pooled one, at no more cost, if the objective rises.

    Candidates are screened by an upper bound (every program at its group's best signal),
    and the ``tries`` best are tried for real, with the list's signals placed again.
    """
    m = board.matrix(optimistic=True)
    listed = set(board.programs.tolist())
    outside = np.array([j for j in pool if j not in listed], dtype=np.int64)
    if len(m) == 0 or outside.size == 0:
        return False
    order = np.argsort(-m, axis=0)
    cols_s = np.arange(m.shape[1])
    top1, best = order[0], m[order[0], cols_s]
    second = m[order[1], cols_s] if len(m) > 1 else np.zeros_like(best)
    base = board.objective()
    found: list[tuple[float, int, int, int]] = []
    for a in range(len(board.programs)):
        without = np.where(top1 == a, second, best)
        for g in range(len(board.groups)):
            cand = outside[board.group_of[outside] == g]
            if cand.size == 0 or board.swap_fee(a, g) > 0:
                continue
            values = np.maximum(board.cols[board.top_level(g)][cand], without) @ board.w
            k = int(np.argmax(values))
            if values[k] > base + 1e-9:
                found.append((float(values[k]), a, int(cand[k]), g))
    found.sort(reverse=True)
    return any(_try_swap(board, a, b, g, base) for _, a, b, g in found[:tries])


def _try_swap(board: _Board, a: int, b: int, g: int, base: float) -> bool:
    trial = board.copy()
    trial.programs[a], trial.group[a] = b, g
    trial.levels[:] = NONE
    for level in (GOLD, SILVER):
        _fill(trial, level)
    while _improve(trial):
        pass
    if trial.objective() > base + 1e-9:
        board.programs[:], board.group[:], board.levels[:] = (
            trial.programs, trial.group, trial.levels)
        return True
    return False


def _polish(board: _Board, pool: list[int], effort: int) -> None:
    """Exchanges while they help, within ``effort`` trial placements in all."""
    while _improve(board):
        pass
    tries = min(effort, 4)
    while effort > 0 and _swap_in(board, pool, tries):
        effort -= tries
        while _improve(board):
            pass
    for level in (GOLD, SILVER):
        _fill(board, level)  # slots a cross-specialty exchange freed


def search(
    instance: Instance, limits: Limits, pool: int = 40, effort: int = 8
) -> GreedyResult:
    """Greedy list, polished by exchanges, with signals placed where they add most.

    The greedy sequence gives the list and, beyond it, a ``pool`` of the next programs it
    would add. Exchanges of a listed program for a pooled one at no more cost (within
    ``effort`` trial placements) and signal exchanges are applied while they raise the
    objective. The polished list
    is put back in greedy order, and the sequence continues beyond it for the curve.
    """
    first = greedy(instance, replace(limits, extend=max(limits.extend, pool)))
    if first.chosen == 0:
        return replace(first, order=first.order[: limits.extend], chosen=0)
    board = _Board(instance, first.chosen_programs())
    if instance.has_signals:
        board.levels[:] = place_signals(instance, first.chosen_programs())
    _polish(board, [int(j) for j in first.order[first.chosen :]], effort)
    return _ordered(instance, limits, board, first.stop_reason)


def _ordered(instance: Instance, limits: Limits, board: _Board, reason: str) -> GreedyResult:
    programs = board.programs.tolist()
    fixed = pinned(instance, programs, board.levels)
    sub = np.array(programs, dtype=np.int64)
    inner = Instance(fixed.values[:, sub], fixed.group[sub], fixed.groups, fixed.weights)
    inner_order = greedy(inner, Limits(max_programs=len(sub), per_dollar=limits.by_ratio))
    order = [int(sub[k]) for k in inner_order.order]
    order += [j for j in programs if j not in set(order)]  # programs adding nothing
    rest = Limits(max_programs=len(order), extend=limits.extend, per_dollar=limits.by_ratio)
    result = greedy(fixed, rest, start=order)
    level_of = dict(zip(programs, board.levels.tolist(), strict=True))
    levels = np.array([level_of[j] for j in order], dtype=np.int64)
    return replace(replay(instance, result, levels, limits), stop_reason=reason)
