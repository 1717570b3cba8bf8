"""The outcome of :func:`~smartpick.market.roth_peranson.match_extended`, told per applicant,
couple, supplemental list and program: one typed value for the table and the JSON."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel

from smartpick.market.extended import ExtendedMarket, Pair
from smartpick.market.roth_peranson import ExtendedResult


class ApplicantOutcome(BaseModel):
    applicant: str
    partner: str | None  # the other member of the applicant's couple
    program: str | None  # the place matched (an advanced track for a PGY-2 matcher)
    choice: int | None  # 1 = first entry of the applicant's list (a couple's: the joint list)
    listed: int  # entries on that list
    supplemental: str | None  # PGY-1 place from the supplemental list


class CoupleOutcome(BaseModel):
    members: tuple[str, str]
    pair: tuple[str | None, str | None] | None  # None: the couple did not match
    choice: int | None
    listed: int


class SupplementalOutcome(BaseModel):
    applicant: str
    advanced: str | None  # the advanced track held; the list is used only while one is
    program: str | None  # the PGY-1 place it gave
    listed: int


class ProgramOutcome(BaseModel):
    program: str
    advanced: bool
    positions: int
    matched: list[str]  # in the program's rank order
    unfilled: int


class BlockingOutcome(BaseModel):
    applicants: list[str]
    programs: list[str | None]
    rank_list: str  # "primary", "supplemental" or "couple"
    choice: int


class MatchOutcome(BaseModel):
    stable: bool
    message: str
    rounds: int
    applicants: list[ApplicantOutcome]
    couples: list[CoupleOutcome]
    supplemental: list[SupplementalOutcome]
    programs: list[ProgramOutcome]
    blocking: list[BlockingOutcome]  # why an unstable outcome is unstable (empty if stable)
    matched: int  # applicants with a place
    positions: int
    filled: int


def describe(market: ExtendedMarket, result: ExtendedResult) -> MatchOutcome:
    """Who matched where, with the rank of each match, from ``market`` and its ``result``."""
    couples = [_couple(c, pairs, result) for c, pairs in market.couples.items()]
    applicants = _singles(market, result) + [m for c in couples for m in _members(c)]
    programs = _programs(market, result)
    return MatchOutcome(
        stable=result.stable,
        message=result.message,
        rounds=result.rounds,
        applicants=applicants,
        couples=couples,
        supplemental=[_supplemental(market, a, result) for a in market.supplemental],
        programs=programs,
        blocking=[BlockingOutcome(applicants=list(b.applicants), programs=list(b.programs),
                                  rank_list=b.rank_list, choice=b.choice)
                  for b in result.blocking],
        matched=sum(a.program is not None for a in applicants),
        positions=sum(p.positions for p in programs),
        filled=sum(len(p.matched) for p in programs),
    )


def _singles(market: ExtendedMarket, result: ExtendedResult) -> list[ApplicantOutcome]:
    found = []
    for a, ranked in market.singles.items():
        program = result.assignment[a]
        found.append(ApplicantOutcome(
            applicant=a, partner=None, program=program, listed=len(ranked),
            choice=list(ranked).index(program) + 1 if program is not None else None,
            supplemental=result.supplemental.get(a)))
    return found


def _couple(members: tuple[str, str], pairs: Sequence[Pair], result: ExtendedResult
            ) -> CoupleOutcome:
    pair = (result.assignment[members[0]], result.assignment[members[1]])
    ranked = [tuple(p) for p in pairs]
    choice = ranked.index(pair) + 1 if pair in ranked else None
    return CoupleOutcome(members=members, pair=pair if choice else None, choice=choice,
                         listed=len(ranked))


def _members(couple: CoupleOutcome) -> list[ApplicantOutcome]:
    first, second = couple.members
    pair = couple.pair or (None, None)
    return [ApplicantOutcome(applicant=m, partner=partner, program=p, choice=couple.choice,
                             listed=couple.listed, supplemental=None)
            for m, partner, p in ((first, second, pair[0]), (second, first, pair[1]))]


def _supplemental(market: ExtendedMarket, a: str, result: ExtendedResult
                  ) -> SupplementalOutcome:
    held = result.assignment[a]
    return SupplementalOutcome(
        applicant=a, advanced=held if held in market.advanced else None,
        program=result.supplemental.get(a), listed=len(market.supplemental[a]))


def _programs(market: ExtendedMarket, result: ExtendedResult) -> list[ProgramOutcome]:
    places = [*result.assignment.items(), *result.supplemental.items()]
    found = []
    for p, positions in market.capacities.items():
        order = {a: r for r, a in enumerate(market.program_prefs.get(p, ()))}
        matched = sorted((a for a, held in places if held == p), key=order.__getitem__)
        found.append(ProgramOutcome(program=p, advanced=p in market.advanced,
                                    positions=positions, matched=matched,
                                    unfilled=positions - len(matched)))
    return found
