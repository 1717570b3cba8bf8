"""Greedy marginal improvement over scenarios: the list that adds most, program by program.

The input is plain NumPy. ``prob[s, j]`` is program ``j``'s chance of success (interview and
match) in scenario ``s``, given the draws the scenario fixes for every program (parameters,
applicant shock, unknown program facts); given those, programs succeed independently.
``utility[j]`` is what matching at ``j`` is worth to the applicant (all ones: the objective is
plain P(match)). The objective of a list is the (weighted) mean over scenarios of the expected
utility of the best program matched, in closed form (:mod:`smartpick.plan.objective`), so an
unlikely program adds its small but real share instead of nothing. 0/1 chances are the special
case of yes/no scenario outcomes. The objective is monotone and submodular, so:

- the gain of a program can only shrink as the list grows, which lets the search keep stale
  gains as upper bounds and re-evaluate only the top of a heap (lazy greedy);
- greedy is near-optimal, and exact when outcomes are independent and costs are equal
  (Chade & Smith 2006): one scenario holding the programs' chances.

Programs belong to groups (specialties). Each group has its own ERAS fee schedule, so the
cost of the next program depends on how many of its group are on the list already, and its
own signal counts. While a group has gold (then silver) signals left, its programs are
weighed with their signalled chances; a program picked then carries that signal. Because a
signal never lowers a chance, the stale gains stay valid upper bounds.

With a budget or a target the pick with the best gain per dollar wins (the cheapest way up);
with only a length the pick with the best gain wins. The picks form one sequence: the first
``k`` of it is the list of length ``k``, and the sequence continues ``extend`` picks beyond
the chosen list so that the P(match)-versus-cost curve shows what more would buy.
"""

from __future__ import annotations

import copy
import heapq
import math
import threading
from collections.abc import Hashable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Protocol, cast

import numpy as np
from numpy.typing import NDArray

from smartpick.plan.objective import Coverage, Levels, uplift

NONE, SILVER, GOLD = 0, 1, 2
LEVEL_NAMES: tuple[str, ...] = ("none", "silver", "gold")
_TINY = 1e-12
_BATCH = 8  # stale gains re-evaluated together by the lazy search


class FeeRule(Protocol):
    def marginal(self, n: int) -> int:
        """Fee of the ``n``-th program (1-based) of one group."""
        ...


@dataclass(frozen=True)
class FlatFee:
    """One price per program (the equal-cost case)."""

    fee_usd: int = 1

    def marginal(self, n: int) -> int:
        return self.fee_usd


@dataclass(frozen=True)
class Group:
    """One specialty of a plan: its fee schedule and signal counts."""

    name: str
    fees: FeeRule = field(default_factory=FlatFee)
    gold: int = 0
    silver: int = 0


@dataclass
class Instance:
    """A planning problem on plain arrays.

    ``prob`` (S x J) holds chances without a signal; ``silver_prob`` and ``gold_prob`` the
    same programs with that signal (pointwise no lower). ``utility`` (J,) defaults to ones.
    ``group[j]`` indexes ``groups``.
    """

    prob: NDArray[np.float64]
    group: NDArray[np.int64]
    groups: tuple[Group, ...]
    weights: NDArray[np.float64] | None = None
    silver_prob: NDArray[np.float64] | None = None
    gold_prob: NDArray[np.float64] | None = None
    utility: NDArray[np.float64] | None = None
    _columns: tuple[NDArray[np.float64], ...] | None = field(
        default=None, init=False, repr=False, compare=False
    )
    _levels: Levels | None = field(default=None, init=False, repr=False, compare=False)
    _top_means: NDArray[np.float64] | None = field(default=None, init=False, repr=False,
                                                  compare=False)
    _first_gains: dict[int, NDArray[np.float64]] | None = field(
        default=None, init=False, repr=False, compare=False)
    _lifts: dict[tuple[int, int], _Rows] | None = field(default=None, init=False,
                                                        repr=False, compare=False)
    # kept instances are shared by plans running in threads: the lifts are filled under it
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False,
                                  compare=False)

    @property
    def n_scenarios(self) -> int:
        return int(self.prob.shape[0])

    @property
    def n_programs(self) -> int:
        return int(self.prob.shape[1])

    def scenario_weights(self) -> NDArray[np.float64]:
        if self.weights is None:
            return np.full(self.n_scenarios, 1.0 / self.n_scenarios)
        return np.asarray(self.weights, dtype=np.float64)

    def utilities(self) -> NDArray[np.float64]:
        if self.utility is None:
            return np.ones(self.n_programs)
        return np.asarray(self.utility, dtype=np.float64)

    def levels(self) -> Levels:
        """The distinct utilities and each program's level among them (made once)."""
        if self._levels is None:
            self._levels = Levels.of_utility(self.utilities())
        return self._levels

    def columns(self) -> tuple[NDArray[np.float64], ...]:
        """Program-major (J x S) contiguous chances: none, silver, gold (made once).

        Passing ``prob`` as the transpose of a program-major array avoids any copy.
        """
        if self._columns is None:
            base = _program_major(self.prob)
            silver = base if self.silver_prob is None else _program_major(self.silver_prob)
            gold = silver if self.gold_prob is None else _program_major(self.gold_prob)
            self._columns = (base, silver, gold)
        return self._columns

    def first_gains(self, level: int) -> NDArray[np.float64]:
        """Every program's gain to an empty list at signal ``level``, a little raised: upper
        bounds the lazy search starts from (made once per level)."""
        if self._first_gains is None:
            self._first_gains = {}
        found = self._first_gains.get(level)
        if found is None:
            found = self.columns()[level] @ self.scenario_weights()
            found *= self.utilities() * (1.0 + 1e-9)
            found += _TINY
            self._first_gains[level] = found
        return found

    def top_means(self) -> NDArray[np.float64]:
        """Each program's mean chance over scenarios at the strongest signal (made once)."""
        if self._top_means is None:
            self._top_means = self.columns()[GOLD] @ self.scenario_weights()
        return self._top_means

    def lifts(self, low: int, high: int, programs: NDArray[np.int64]) -> NDArray[np.float64]:
        """(n, S): raising each of ``programs`` from signal ``low`` to ``high``, as an extra
        program's chances (:func:`~smartpick.plan.objective.uplift`; a new array). Rows are
        worked out once per program and kept."""
        cols = self.columns()
        with self._lock:
            if self._lifts is None:
                self._lifts = {}
            rows = self._lifts.get((low, high))
            if rows is None:
                rows = self._lifts[(low, high)] = _Rows(self.n_programs, self.n_scenarios)
            missing = rows.missing(programs)
            if missing.size == programs.size:  # none kept yet (programs are distinct)
                values = uplift(cols[low][programs], cols[high][programs])
                rows.put(programs, values)
                return values
            if missing.size:
                rows.put(missing, uplift(cols[low][missing], cols[high][missing]))
            return rows.get(programs)

    @property
    def has_signals(self) -> bool:
        return self.silver_prob is not None or self.gold_prob is not None

    def coverage(self) -> Coverage:
        """An empty list's :class:`~smartpick.plan.objective.Coverage` for this instance."""
        return Coverage(self.levels(), self.scenario_weights())


class _Rows:
    """Rows of a (J, S) array worked out on demand: only the rows asked for take memory."""

    def __init__(self, n_rows: int, width: int):
        self.slot = np.full(n_rows, -1, dtype=np.int64)
        self.data = np.empty((0, width))
        self.used = 0

    def missing(self, rows: NDArray[np.int64]) -> NDArray[np.int64]:
        return np.unique(rows[self.slot[rows] < 0])

    def put(self, rows: NDArray[np.int64], values: NDArray[np.float64]) -> None:
        end = self.used + rows.size
        if end > self.data.shape[0]:
            grown = np.empty((max(end, 2 * self.data.shape[0], 64), self.data.shape[1]))
            grown[: self.used] = self.data[: self.used]
            self.data = grown
        self.data[self.used:end] = values
        self.slot[rows] = np.arange(self.used, end)
        self.used = end

    def get(self, rows: NDArray[np.int64]) -> NDArray[np.float64]:
        found: NDArray[np.float64] = self.data[self.slot[rows]]
        return found


def sub_instance(instance: Instance, programs: NDArray[np.int64]) -> Instance:
    """The same problem over ``programs`` only (in that order); the instance itself when
    that is every program in order."""
    if programs.size == instance.n_programs and (programs == np.arange(programs.size)).all():
        return instance
    cols = instance.columns()
    return Instance(cols[NONE][programs].T, np.asarray(instance.group)[programs],
                    instance.groups, instance.weights,
                    silver_prob=cols[SILVER][programs].T if instance.has_signals else None,
                    gold_prob=cols[GOLD][programs].T if instance.has_signals else None,
                    utility=instance.utilities()[programs])


def _program_major(values: NDArray[np.float64]) -> NDArray[np.float64]:
    return np.ascontiguousarray(np.asarray(values, dtype=np.float64).T)


@dataclass(frozen=True)
class Limits:
    """Stop rules for the chosen list; ``extend`` further picks feed the curve."""

    budget_usd: float | None = None
    target_p_match: float | None = None
    max_programs: int | None = None
    extend: int = 0
    per_dollar: bool | None = None  # None: per dollar when a budget or a target is set

    @property
    def by_ratio(self) -> bool:
        if self.per_dollar is not None:
            return self.per_dollar
        return self.budget_usd is not None or self.target_p_match is not None


@dataclass
class GreedyResult:
    """The pick sequence with running totals; ``chosen`` is the length of the chosen list."""

    order: NDArray[np.int64]
    level: NDArray[np.int64]
    gain: NDArray[np.float64]
    objective: NDArray[np.float64]
    p_match: NDArray[np.float64]
    cost_usd: NDArray[np.int64]
    chosen: int
    stop_reason: str

    def chosen_programs(self) -> list[int]:
        return [int(j) for j in self.order[: self.chosen]]

    @property
    def chosen_objective(self) -> float:
        return float(self.objective[self.chosen - 1]) if self.chosen else 0.0

    @property
    def chosen_p_match(self) -> float:
        return float(self.p_match[self.chosen - 1]) if self.chosen else 0.0

    @property
    def chosen_cost(self) -> int:
        return int(self.cost_usd[self.chosen - 1]) if self.chosen else 0


@dataclass
class _Pick:
    program: int
    level: int
    gain: float
    fee: int


class _Search:
    """State shared by the lazy search and the plain reference search."""

    def __init__(self, instance: Instance):
        self.cols = instance.columns()
        self.signals = instance.has_signals
        self.cover = instance.coverage()
        self.utility_level = instance.levels().of
        self.group = np.asarray(instance.group, dtype=np.int64)
        self.groups = instance.groups
        self.count = [0] * len(self.groups)
        self.gold_left = [g.gold if self.signals else 0 for g in self.groups]
        self.silver_left = [g.silver if self.signals else 0 for g in self.groups]
        self.taken = np.zeros(instance.n_programs, dtype=bool)
        self.spent = 0
        self.step = 0

    def copy(self) -> _Search:
        """An independent copy of the search's state."""
        twin = copy.copy(self)
        twin.cover = self.cover.copy()
        twin.count = list(self.count)
        twin.gold_left = list(self.gold_left)
        twin.silver_left = list(self.silver_left)
        twin.taken = self.taken.copy()
        return twin

    def level(self, g: int) -> int:
        if self.gold_left[g] > 0:
            return GOLD
        return SILVER if self.silver_left[g] > 0 else NONE

    def gain_of(self, j: int, level: int) -> float:
        return self.cover.gain(self.cols[level][j], int(self.utility_level[j]))

    def next_fee(self, g: int) -> int:
        return self.groups[g].fees.marginal(self.count[g] + 1)

    def best_in_group(self, g: int) -> tuple[int, float] | None:
        raise NotImplementedError

    def take(self, pick: _Pick) -> None:
        g = int(self.group[pick.program])
        self.cover.add(self.cols[pick.level][pick.program], int(self.utility_level[pick.program]))
        self.taken[pick.program] = True
        self.count[g] += 1
        self.spent += pick.fee
        if pick.level == GOLD:
            self.gold_left[g] -= 1
        elif pick.level == SILVER:
            self.silver_left[g] -= 1
        self.step += 1

    def bound(self, g: int) -> float:
        """An upper bound on the best gain in group ``g`` (infinite: none known)."""
        return math.inf

    def propose(self, budget: float | None, by_ratio: bool) -> _Pick | None:
        """The next pick among groups whose next fee fits the budget.

        Groups are looked at from the highest bound on their best gain down; a group whose
        bound cannot beat the pick found so far is not evaluated. Ties go to the group that
        comes first."""
        def key(gain: float, fee: int, g: int) -> tuple[float, float, int]:
            ratio = gain / fee if fee > 0 else math.inf
            return (ratio, gain, -g) if by_ratio else (gain, -fee, -g)

        open_groups = []
        for g in range(len(self.groups)):
            fee = self.next_fee(g)
            if budget is None or self.spent + fee <= budget:
                open_groups.append((key(self.bound(g), fee, g), g, fee))
        open_groups.sort(reverse=True)
        winner: _Pick | None = None
        winner_key = (-math.inf, -math.inf, 0)
        for bound_key, g, fee in open_groups:
            if bound_key < winner_key:
                break  # neither this group nor the rest (bounds sorted) can win
            found = self.best_in_group(g)
            if found is None or found[1] <= _TINY:
                continue
            j, gain = found
            mine = key(gain, fee, g)
            if mine > winner_key:
                winner, winner_key = _Pick(j, self.level(g), gain, fee), mine
        return winner

    def objective(self) -> tuple[float, float]:
        return self.cover.value(), self.cover.p_match()


class _LazySearch(_Search):
    """One max-heap of stale gains per group; only the top is re-evaluated."""

    def __init__(self, instance: Instance):
        super().__init__(instance)
        self.heaps: list[list[tuple[float, int, int]]] = [[] for _ in self.groups]
        for g in range(len(self.groups)):
            members = np.flatnonzero(self.group == g)
            bounds = instance.first_gains(self.level(g))[members]
            heap = list(zip((-bounds).tolist(), members.tolist(), [-1] * members.size,
                            strict=True))  # stale: looked at before they are taken
            heapq.heapify(heap)
            self.heaps[g] = heap

    def copy(self) -> _LazySearch:
        twin = super().copy()
        assert isinstance(twin, _LazySearch)
        twin.heaps = [list(heap) for heap in self.heaps]
        return twin

    def bound(self, g: int) -> float:
        heap = self.heaps[g]
        while heap and self.taken[heap[0][1]]:
            heapq.heappop(heap)
        return -heap[0][0] if heap else -math.inf

    def best_in_group(self, g: int) -> tuple[int, float] | None:
        heap = self.heaps[g]
        while heap:
            neg, j, stamp = heap[0]
            if self.taken[j]:
                heapq.heappop(heap)
            elif stamp == self.step:
                return j, -neg
            else:
                self._refresh(heap, g)
        return None

    def _refresh(self, heap: list[tuple[float, int, int]], g: int) -> None:
        """Re-evaluate the top few stale gains at once (one matrix product)."""
        batch: list[int] = []
        while heap and len(batch) < _BATCH:
            _, j, _ = heapq.heappop(heap)
            if not self.taken[j]:
                batch.append(j)
        idx = np.array(batch, dtype=np.int64)
        gains = self.cover.gains(self.cols[self.level(g)][idx], self.utility_level[idx])
        for gain, j in zip(gains.tolist(), batch, strict=True):
            heapq.heappush(heap, (-gain, j, self.step))


class _PlainSearch(_Search):
    """Reference: every gain of the group re-evaluated at every step."""

    def best_in_group(self, g: int) -> tuple[int, float] | None:
        members = np.flatnonzero((self.group == g) & ~self.taken)
        if members.size == 0:
            return None
        gains = self.cover.gains(self.cols[self.level(g)][members], self.utility_level[members])
        k = int(np.argmax(gains))
        return int(members[k]), float(gains[k])


def greedy(instance: Instance, limits: Limits, start: list[int] | None = None,
           start_levels: list[int] | None = None) -> GreedyResult:
    """Lazy greedy marginal improvement under the limits (see the module docstring).

    ``start`` programs, if given, are taken first in that order (without signals, or at
    ``start_levels``, after which no signal is left to give) and the search continues from
    them.
    """
    return _run(_LazySearch(instance), limits, start or [], start_levels)


def order_and_extend(instance: Instance, programs: list[int], levels: list[int],
                     by_ratio: bool, extend: int) -> GreedyResult:
    """``programs``, each at its signal ``levels``, in greedy order (the program adding most
    next, or most per dollar), then ``extend`` further picks without signals (for the curve).

    The list is ordered by a greedy over its own programs with the whole problem's utility
    levels, so its running coverage is the one the whole problem would count, and the picks
    beyond it continue from that coverage. ``chosen`` is the list's length; each gain is the
    step in the objective."""
    sub = np.array(programs, dtype=np.int64)
    group = np.asarray(instance.group, dtype=np.int64)
    cols = instance.columns()
    level_of = dict(zip(programs, levels, strict=True))
    chances = np.array([cols[lv][j] for j, lv in zip(programs, levels, strict=True)]) \
        if programs else np.zeros((0, instance.n_scenarios))
    whole = instance.levels()
    inner = Instance(chances.T, group[sub], tuple(Group(g.name, g.fees) for g in instance.groups),
                     instance.weights, utility=instance.utilities()[sub])
    inner._levels = Levels(whole.values, whole.steps, whole.of[sub])
    inner_search = _LazySearch(inner)
    inner_result = _run(inner_search, Limits(max_programs=len(sub), per_dollar=by_ratio))
    picked = inner_result.order.tolist()
    order = picked + sorted(set(range(len(sub))) - set(picked))  # then those adding nothing
    totals = list(zip(inner_result.objective.tolist(), inner_result.p_match.tolist(),
                      inner_result.cost_usd.tolist(), strict=True))
    search = _LazySearch(instance)
    search.cover = inner_search.cover
    search.spent = int(totals[-1][2]) if totals else 0
    for k in picked:
        search.count[int(group[sub[k]])] += 1
    for k in order[len(picked):]:
        j, g = int(sub[k]), int(group[sub[k]])
        search.spent += search.next_fee(g)
        search.count[g] += 1
        search.cover.add(chances[k], int(whole.of[j]))
        totals.append((*search.objective(), search.spent))
    search.taken[sub] = True
    search.step = len(order)
    search.gold_left = [0] * len(search.groups)
    search.silver_left = [0] * len(search.groups)
    picks = [_Pick(int(sub[k]), level_of[int(sub[k])], 0.0, 0) for k in order]
    result = _continue(search, Limits(max_programs=len(order), extend=extend,
                                      per_dollar=by_ratio), picks, totals)
    return replace(result, gain=np.diff(result.objective, prepend=0.0))


def plain_greedy(instance: Instance, limits: Limits) -> GreedyResult:
    """The same greedy re-evaluating every gain at every step: the reference and baseline."""
    return _run(_PlainSearch(instance), limits)


def _chosen_done(search: _Search, limits: Limits, p_match: float) -> str:
    n = int(search.taken.sum())
    if limits.max_programs is not None and n >= limits.max_programs:
        return "max_programs"
    if limits.target_p_match is not None and p_match >= limits.target_p_match - _TINY:
        return "target"
    return ""


@dataclass
class Fork:
    """A search paused before the first pick at which its groups' next fees differ: until
    then, best gain per dollar and best gain pick the same programs."""

    search: _Search
    picks: list[_Pick]
    totals: list[tuple[float, float, int]]


def greedy_with_fork(instance: Instance, limits: Limits) -> tuple[GreedyResult, Fork | None]:
    """:func:`greedy`, and the search as it was where the groups' next fees first differed
    (None if they never did before the list was chosen)."""
    found: list[Fork] = []
    return _run(_LazySearch(instance), limits, fork=found), (found[0] if found else None)


def resume(fork: Fork, limits: Limits) -> GreedyResult:
    """The greedy continued from ``fork`` under ``limits`` (say, by best gain instead of best
    gain per dollar): the same as a run from the start under those limits."""
    search = fork.search.copy()
    return _continue(search, limits, list(fork.picks), list(fork.totals))


def _fees_differ(search: _Search, budget: float | None) -> bool:
    fees = {fee for fee in (search.next_fee(g) for g in range(len(search.groups)))
            if budget is None or search.spent + fee <= budget}
    return len(fees) > 1


def _run(search: _Search, limits: Limits, start: list[int] | None = None,
         start_levels: list[int] | None = None,
         fork: list[Fork] | None = None) -> GreedyResult:
    picks: list[_Pick] = []
    totals: list[tuple[float, float, int]] = []
    start = start or []
    for j, level in zip(start, start_levels or [NONE] * len(start), strict=True):
        fee = search.next_fee(int(search.group[j]))
        forced = _Pick(j, level, search.gain_of(j, level), fee)
        search.take(forced)
        picks.append(forced)
        totals.append((*search.objective(), search.spent))
    if start_levels is not None:
        search.gold_left = [0] * len(search.groups)
        search.silver_left = [0] * len(search.groups)
    return _continue(search, limits, picks, totals, fork)


def _continue(search: _Search, limits: Limits, picks: list[_Pick],
              totals: list[tuple[float, float, int]],
              fork: list[Fork] | None = None) -> GreedyResult:
    reason = _chosen_done(search, limits, totals[-1][1] if totals else 0.0)
    while not reason:
        if fork is not None and not fork and _fees_differ(search, limits.budget_usd):
            fork.append(Fork(search.copy(), list(picks), list(totals)))
        pick = search.propose(limits.budget_usd, limits.by_ratio)
        if pick is None:
            reason = "budget" if _budget_blocks(search, limits) else "no_gain"
            break
        search.take(pick)
        picks.append(pick)
        totals.append((*search.objective(), search.spent))
        reason = _chosen_done(search, limits, totals[-1][1])
    chosen = len(picks)
    for _ in range(limits.extend):
        pick = search.propose(None, limits.by_ratio)
        if pick is None:
            break
        search.take(pick)
        picks.append(pick)
        totals.append((*search.objective(), search.spent))
    return _result(picks, totals, chosen, reason)


def _budget_blocks(search: _Search, limits: Limits) -> bool:
    return limits.budget_usd is not None and search.propose(None, limits.by_ratio) is not None


def _result(
    picks: list[_Pick], totals: list[tuple[float, float, int]], chosen: int, reason: str
) -> GreedyResult:
    return GreedyResult(
        order=np.array([p.program for p in picks], dtype=np.int64),
        level=np.array([p.level for p in picks], dtype=np.int64),
        gain=np.array([p.gain for p in picks], dtype=np.float64),
        objective=np.array([t[0] for t in totals], dtype=np.float64),
        p_match=np.array([t[1] for t in totals], dtype=np.float64),
        cost_usd=np.array([t[2] for t in totals], dtype=np.int64),
        chosen=chosen,
        stop_reason=reason,
    )


def evaluate(
    instance: Instance, programs: list[int], levels: list[int] | None = None
) -> tuple[float, float]:
    """Objective and P(match) of a given list (levels default to no signal)."""
    cols = instance.columns()
    cover = instance.coverage()
    utility_level = instance.levels().of
    for j, lv in zip(programs, levels or [NONE] * len(programs), strict=True):
        cover.add(cols[lv][j], int(utility_level[j]))
    return cover.value(), cover.p_match()


def list_cost(instance: Instance, programs: list[int]) -> int:
    """ERAS fees of a list: each group's schedule applied to its own count."""
    if not programs:
        return 0
    counts = np.bincount(np.asarray(instance.group)[programs], minlength=len(instance.groups))
    return sum(_group_fees(grp.fees, int(n)) for grp, n in zip(instance.groups,
                                                                counts.tolist(), strict=True))


def _group_fees(rule: FeeRule, n: int) -> int:
    if isinstance(rule, Hashable):
        return _fees_for(rule, n)
    return sum(rule.marginal(k) for k in range(1, n + 1))  # a rule that cannot be a key


@lru_cache(maxsize=4096)
def _fees_for(rule: Hashable, n: int) -> int:
    """Fees of the first ``n`` programs of one group (fee rules are immutable)."""
    return sum(cast(FeeRule, rule).marginal(k) for k in range(1, n + 1))
