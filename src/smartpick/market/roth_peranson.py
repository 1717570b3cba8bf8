"""Deferred acceptance with supplemental lists and couples, after Roth and Peranson (1999).

Every rank list is a *slot* that proposes down its list: a single's primary list, its
supplemental list (active only while the primary slot holds an advanced track) and a
couple's joint list. When a slot loses its place it moves on; a couple that loses one
partner's place withdraws the other's, and a single that loses its advanced track withdraws
its supplemental place. Withdrawals open seats that earlier-rejected applicants may now
claim, so whenever the proposals run out the outcome is checked for blocking slots; each
one is sent back to propose from its blocking entry. If the same outcome comes round twice,
or ``max_rounds`` pass, no stable outcome was found: with couples one may not exist, and the
result says so (as the NRMP's process does), instead of passing an unstable outcome as stable.
"""

from __future__ import annotations

from dataclasses import dataclass

from smartpick.market.extended import ExtendedMarket

PRIMARY, SUPPLEMENTAL, COUPLE = 0, 1, 2
Slot = tuple[int, int]  # (kind, index)
LIST_NAMES = {PRIMARY: "primary", SUPPLEMENTAL: "supplemental", COUPLE: "couple"}


@dataclass(frozen=True)
class Blocking:
    """A rank list that would rather have an entry whose programs would now take it."""

    applicants: tuple[str, ...]  # one single, or a couple's two members
    programs: tuple[str | None, ...]  # the entry, aligned with ``applicants``
    rank_list: str  # "primary", "supplemental" or "couple"
    choice: int  # 1 = the list's first entry


@dataclass(frozen=True)
class ExtendedResult:
    assignment: dict[str, str | None]  # applicant -> program (primary or couple place)
    supplemental: dict[str, str | None]  # single -> PGY-1 place from its supplemental list
    stable: bool
    rounds: int
    message: str
    blocking: tuple[Blocking, ...] = ()  # what makes an unstable outcome unstable


class _Run:
    """Mutable state of one run; lists are indexed by slot index."""

    def __init__(self, market: ExtendedMarket) -> None:
        self.m = market
        self.rank = {
            p: {a: r for r, a in enumerate(ranked)} for p, ranked in market.program_prefs.items()
        }
        self.held: dict[str, dict[str, int]] = {p: {} for p in market.capacities}
        self.singles = list(market.singles)
        self.couples = list(market.couples)
        self.lists: dict[Slot, list] = {}
        for i, a in enumerate(self.singles):
            self.lists[(PRIMARY, i)] = list(market.singles[a])
            self.lists[(SUPPLEMENTAL, i)] = list(market.supplemental.get(a, ()))
        for i, c in enumerate(self.couples):
            self.lists[(COUPLE, i)] = list(market.couples[c])
        self.cur: dict[Slot, int] = {s: -1 for s in self.lists}
        self.pos: dict[Slot, int] = {s: 0 for s in self.lists}
        self.owner: dict[str, Slot] = {a: (PRIMARY, i) for i, a in enumerate(self.singles)}
        for i, c in enumerate(self.couples):
            self.owner[c[0]] = self.owner[c[1]] = (COUPLE, i)
        self.stack: list[Slot] = [s for s in self.lists if s[0] != SUPPLEMENTAL][::-1]

    # --- programs -------------------------------------------------------------------------
    def takes(self, p: str, members: list[str]) -> bool:
        """Would ``p`` take all ``members`` (their own current places there count as free)?"""
        ranks = self.rank.get(p, {})
        if any(a not in ranks for a in members):
            return False
        others = sorted((r for a, r in self.held[p].items() if a not in members), reverse=True)
        short = len(others) + len(members) - self.m.capacities[p]
        if short <= 0:
            return True
        if short > len(others):
            return False
        return max(ranks[a] for a in members) < min(others[:short])

    def place(self, p: str, a: str) -> None:
        held = self.held[p]
        held[a] = self.rank[p][a]
        if len(held) > self.m.capacities[p]:
            worst = max(held, key=held.__getitem__)
            del held[worst]
            self.evicted(worst, p)

    # --- applicants -----------------------------------------------------------------------
    def entry_programs(self, slot: Slot, k: int) -> list[tuple[str, str]]:
        """(program, applicant) pairs that entry ``k`` of ``slot`` asks for."""
        kind, i = slot
        if kind == COUPLE:
            pair = self.lists[slot][k]
            return [(p, m) for p, m in zip(pair, self.couples[i], strict=True) if p is not None]
        return [(self.lists[slot][k], self.singles[i])]

    def wants(self, slot: Slot, k: int) -> bool:
        asks = self.entry_programs(slot, k)
        by_program: dict[str, list[str]] = {}
        for p, a in asks:
            by_program.setdefault(p, []).append(a)
        return all(self.takes(p, members) for p, members in by_program.items())

    def advance(self, slot: Slot) -> None:
        """Propose down ``slot``'s list from ``pos`` until a place is held or it runs out."""
        entries = self.lists[slot]
        for k in range(self.pos[slot], len(entries)):
            if self.wants(slot, k):
                self.cur[slot], self.pos[slot] = k, k + 1
                for p, a in self.entry_programs(slot, k):
                    self.place(p, a)
                self.after_primary(slot)
                return
        self.cur[slot], self.pos[slot] = -1, len(entries)

    def after_primary(self, slot: Slot) -> None:
        kind, i = slot
        if kind != PRIMARY or self.cur[slot] < 0:
            return
        sup = (SUPPLEMENTAL, i)
        if self.lists[slot][self.cur[slot]] in self.m.advanced and self.lists[sup]:
            self.pos[sup] = 0
            self.stack.append(sup)

    def release(self, slot: Slot) -> None:
        """Give up ``slot``'s place(s) (a place just lost to eviction is already gone)."""
        k = self.cur[slot]
        if k < 0:
            return
        self.cur[slot] = -1
        for p, a in self.entry_programs(slot, k):
            self.held[p].pop(a, None)
        if slot[0] == PRIMARY:
            self.release((SUPPLEMENTAL, slot[1]))

    def evicted(self, a: str, p: str) -> None:
        slot = self.owner[a]
        if slot[0] == PRIMARY and self.cur[slot] >= 0 and self.lists[slot][self.cur[slot]] != p:
            slot = (SUPPLEMENTAL, slot[1])
        self.release(slot)
        self.stack.append(slot)

    # --- driver ---------------------------------------------------------------------------
    def drain(self) -> None:
        while self.stack:
            slot = self.stack.pop()
            if self.cur[slot] < 0 and (slot[0] != SUPPLEMENTAL or self.supplemental_open(slot)):
                self.advance(slot)

    def supplemental_open(self, slot: Slot) -> bool:
        primary = (PRIMARY, slot[1])
        k = self.cur[primary]
        return k >= 0 and self.lists[primary][k] in self.m.advanced

    def blocking(self) -> list[tuple[Slot, int]]:
        """Slots that prefer an entry they would now be given to their current place."""
        found = []
        for slot, entries in self.lists.items():
            if slot[0] == SUPPLEMENTAL and not self.supplemental_open(slot):
                continue
            stop = self.cur[slot] if self.cur[slot] >= 0 else len(entries)
            for k in range(stop):
                if self.wants(slot, k):
                    found.append((slot, k))
                    break
        return found


def match_extended(market: ExtendedMarket, max_rounds: int = 1000) -> ExtendedResult:
    """Match singles (with supplemental lists) and couples; validate the input first."""
    market.validate()
    run = _Run(market)
    seen: set[tuple[int, ...]] = set()
    for rounds in range(1, max_rounds + 1):
        run.drain()
        blocking = run.blocking()
        if not blocking:
            return _result(run, True, rounds, "stable outcome found")
        state = tuple(run.cur.values())
        if state in seen:
            message = "no stable outcome: the proposals cycle"
            return _result(run, False, rounds, message, blocking)
        if rounds == max_rounds:
            message = f"no stable outcome found in {max_rounds} round{'s' * (max_rounds > 1)}"
            return _result(run, False, rounds, message, blocking)
        seen.add(state)
        for slot, k in blocking:
            run.release(slot)
            run.pos[slot] = k
            run.stack.append(slot)
    raise ValueError(f"max_rounds must be at least 1, not {max_rounds}")


def _blocking(run: _Run, slot: Slot, k: int) -> Blocking:
    kind, i = slot
    if kind == COUPLE:
        return Blocking(run.couples[i], tuple(run.lists[slot][k]), LIST_NAMES[kind], k + 1)
    return Blocking((run.singles[i],), (run.lists[slot][k],), LIST_NAMES[kind], k + 1)


def _result(
    run: _Run,
    stable: bool,
    rounds: int,
    message: str,
    blocking: list[tuple[Slot, int]] | None = None,
) -> ExtendedResult:
    place: dict[str, str | None] = dict.fromkeys(run.m.applicants())
    supplemental: dict[str, str | None] = dict.fromkeys(run.m.supplemental)
    for p, held in run.held.items():
        for a in held:
            slot = run.owner[a]
            if slot[0] == PRIMARY and run.lists[slot][run.cur[slot]] != p:
                supplemental[a] = p
            else:
                place[a] = p
    found = tuple(_blocking(run, slot, k) for slot, k in blocking or [])
    return ExtendedResult(place, supplemental, stable, rounds, message, found)
