"""Stability of a matching: no program over capacity and no blocking pair.

A pair (applicant ``a``, program ``p``) blocks a matching when both rank each other, ``a``
prefers ``p`` to its assignment (or is unmatched), and ``p`` has a free position or ranks
``a`` above one of its admits. Deferred acceptance never leaves one; this check is
independent of the engine and vectorised, so it runs on national-scale markets.
"""

from __future__ import annotations

import numpy as np

from smartpick.market.arrays import IntArray, Market


def blocking_pairs(market: Market, assignment: IntArray) -> list[tuple[int, int]]:
    """All blocking (applicant, program) pairs of ``assignment``, in entry order.

    Raises ``ValueError`` if ``assignment`` is not a matching of ``market`` (a program over
    capacity, or an applicant placed at a program that is not on its list).
    """
    applicant = market.applicant_of_entry()
    held = market.program == assignment[applicant]
    _check_feasible(market, assignment, held, applicant)
    worst = np.full(market.n_programs, -1, dtype=np.int64)
    np.maximum.at(worst, market.program[held], market.rank[held])
    filled = np.bincount(market.program[held], minlength=market.n_programs)
    position = np.arange(len(market.program))
    held_at = np.full(market.n_applicants, len(market.program), dtype=np.int64)
    held_at[applicant[held]] = position[held]
    preferred = position < held_at[applicant]
    p = market.program
    wants = (filled[p] < market.capacity[p]) | (market.rank < worst[p])
    blocking = np.flatnonzero(preferred & wants)
    return [(int(applicant[k]), int(p[k])) for k in blocking]


def is_stable(market: Market, assignment: IntArray) -> bool:
    return not blocking_pairs(market, assignment)


def _check_feasible(
    market: Market, assignment: IntArray, held: IntArray, applicant: IntArray
) -> None:
    matched = assignment >= 0
    on_list = np.zeros(market.n_applicants, dtype=bool)
    on_list[applicant[held]] = True
    if np.any(matched & ~on_list):
        a = int(np.flatnonzero(matched & ~on_list)[0])
        raise ValueError(f"applicant {a} is placed at a program not on its list")
    filled = np.bincount(assignment[matched], minlength=market.n_programs)
    over = np.flatnonzero(filled > market.capacity)
    if len(over):
        raise ValueError(f"program {int(over[0])} is over capacity")
