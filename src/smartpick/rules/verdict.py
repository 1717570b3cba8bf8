"""Verdicts and their reasons: why a program is open, closed or not yet known to the applicant.

Precision before exclusion: a strict rule the applicant misses excludes the program only when
the program's fact can exclude (``reported`` with no unresolved conflict, see
:attr:`Requirement.can_exclude`). Missed on any other fact (``extracted``, ``derived``,
``estimated``, or disputed by another source), the program is ``unverified`` with the fact and
its page as the reason, and :attr:`Verdict.chance_factor` carries the risk to the chance.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property, lru_cache
from typing import Any

from smartpick.rules.requirements import Requirement, Strictness


class Outcome(StrEnum):
    MET = "met"
    MISSED = "missed"
    UNKNOWN = "unknown"  # the program's rule (or the applicant's fact) is not known
    NOT_APPLICABLE = "not_applicable"


class VerdictStatus(StrEnum):
    ELIGIBLE = "eligible"
    INELIGIBLE = "ineligible"  # a strict rule on a trusted fact fails
    UNVERIFIED = "unverified"  # an unknown rule might fail, or a rule fails on a doubtful fact


# The chance that a strict rule the applicant misses really holds when its fact cannot exclude
# (an assumption, docs/eligibility.md): for an extracted fact, the reader's precision on pages
# it was not developed on; even odds for a value SmartPick inferred or another source disputes.
HOLDS_BY_STATUS = {"extracted": 0.87, "derived": 0.5, "estimated": 0.5}
HOLDS_DISPUTED = 0.5


@dataclass(frozen=True)
class Reason:
    """One rule checked for one program."""

    rule: str
    label: str
    outcome: Outcome
    applicant: str  # the applicant's fact, in words
    program: Any = None  # the program's value (None when unknown)
    strictness: Strictness | None = None  # None when the program's rule is unknown
    source: str = ""
    as_of: str = ""
    status: str = "unknown"  # reported / derived / extracted / estimated / unknown
    might_fail: bool = False  # for unknown rules: the applicant could fail a typical value
    note: str = ""
    firm: bool = True  # the program's fact can exclude (trusted status, no open conflict)
    conflict: str = ""  # another source's differing value for the program's fact
    as_of_status: str = ""  # "estimated" when the fact's date is a guess

    @property
    def excludes(self) -> bool:
        return (self.outcome is Outcome.MISSED and self.strictness is Strictness.STRICT
                and self.firm)

    @property
    def unconfirmed(self) -> bool:
        """A strict rule that fails (or is disputed) on a fact that cannot exclude."""
        if self.strictness is not Strictness.STRICT:
            return False
        if self.outcome is Outcome.MISSED:
            return not self.firm
        return self.outcome is Outcome.MET and bool(self.conflict)

    @property
    def holds(self) -> float:
        """For an unconfirmed rule: the chance that it really holds (see HOLDS_BY_STATUS)."""
        if self.conflict:
            return HOLDS_DISPUTED
        return HOLDS_BY_STATUS.get(self.status, HOLDS_DISPUTED)

    @property
    def preferred_miss(self) -> bool:
        return self.outcome is Outcome.MISSED and self.strictness is Strictness.PREFERRED

    @property
    def open_question(self) -> bool:
        return (self.outcome is Outcome.UNKNOWN and self.might_fail
                and self.strictness is not Strictness.PREFERRED)

    def text(self) -> str:
        """One line a person can read: rule, program value, applicant fact, source."""
        if self.outcome is Outcome.UNKNOWN and self.program is None:
            program = "not known for this program"
        else:
            kind = f"{self.strictness.value} " if self.strictness else ""
            program = f"program: {kind}{_show(self.program)}"
        source = f" [{self.status}{self._dated()}: {self.source}]" if self.source else ""
        note = f" ({self.note})" if self.note else ""
        disputed = f"; disputed: {self.conflict}" if self.conflict else ""
        return (f"{self.label} {self.outcome.value}: {program}; you: {self.applicant}{note}"
                f"{source}{disputed}")

    def _dated(self) -> str:
        if not self.as_of:
            return ""
        return f", {self.as_of}" + (f" ({self.as_of_status})" if self.as_of_status else "")

    def doubt(self) -> str:
        """Why an unconfirmed rule does not exclude: the fact, its status and its page."""
        why = f"disputed ({self.conflict})" if self.conflict else f"{self.status}, not confirmed"
        where = f" <{self.source}>" if self.source else ""
        return f"{self.label}: {_show(self.program)} [{why}]{where}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule, "label": self.label, "outcome": self.outcome.value,
            "applicant": self.applicant, "program": self.program,
            "strictness": self.strictness.value if self.strictness else None,
            "source": self.source or None, "as_of": self.as_of or None, "status": self.status,
            "as_of_status": self.as_of_status or None, "might_fail": self.might_fail,
            "note": self.note or None, "can_exclude": self.firm if self.strictness else None,
            "conflict": self.conflict or None,
        }


def known_reason(rule: str, label: str, req: Requirement, met: bool, applicant: str,
                 note: str = "", program: Any = None) -> Reason:
    """A reason for a rule the program states."""
    return Reason(rule, label, Outcome.MET if met else Outcome.MISSED, applicant,
                  req.value if program is None else program, req.strictness, req.source,
                  req.as_of, req.status, note=note, firm=req.can_exclude,
                  conflict=req.conflict, as_of_status=req.as_of_status)


def applicant_unknown(rule: str, label: str, req: Requirement, applicant: str,
                      note: str = "") -> Reason:
    """A stated rule the applicant might fail: the applicant's own fact is missing."""
    return Reason(rule, label, Outcome.UNKNOWN, applicant, req.value, req.strictness,
                  req.source, req.as_of, req.status, might_fail=True, note=note,
                  firm=req.can_exclude, conflict=req.conflict, as_of_status=req.as_of_status)


@lru_cache(maxsize=4096)  # reasons are immutable; one applicant's repeat across programs
def unknown_reason(rule: str, label: str, applicant: str, might_fail: bool,
                   note: str = "") -> Reason:
    return Reason(rule, label, Outcome.UNKNOWN, applicant, might_fail=might_fail, note=note)


@lru_cache(maxsize=4096)
def not_applicable(rule: str, label: str, applicant: str, note: str = "") -> Reason:
    return Reason(rule, label, Outcome.NOT_APPLICABLE, applicant, note=note)


@dataclass(frozen=True)
class Verdict:
    program_id: str
    status: VerdictStatus
    reasons: tuple[Reason, ...]

    @cached_property  # a verdict never changes: worked out once
    def exclusions(self) -> list[Reason]:
        return [r for r in self.reasons if r.excludes]

    @cached_property
    def preferred_misses(self) -> list[Reason]:
        return [r for r in self.reasons if r.preferred_miss]

    @cached_property
    def open_questions(self) -> list[Reason]:
        return [r for r in self.reasons if r.open_question]

    @cached_property
    def unconfirmed(self) -> list[Reason]:
        """Strict rules failed (or disputed) on facts that cannot exclude."""
        return [r for r in self.reasons if r.unconfirmed]

    @cached_property
    def chance_factor(self) -> float:
        """The applicant's chance at this program relative to one with no doubtful misses.

        Each unconfirmed rule keeps the chance only where it does not hold: the product of
        (1 - holds) over them (1.0 when there are none).
        """
        factor = 1.0
        for reason in self.unconfirmed:
            factor *= 1.0 - reason.holds
        return factor

    def reason(self, rule: str) -> Reason:
        for r in self.reasons:
            if r.rule == rule:
                return r
        raise KeyError(rule)

    def summary(self) -> str:
        """The few reasons that decide the verdict, in words."""
        return self._summary

    @cached_property
    def _summary(self) -> str:
        parts = []
        if self.exclusions:
            parts.append("fails: " + ", ".join(r.label for r in self.exclusions))
        else:
            if self.unconfirmed:
                parts.append("unconfirmed: " + "; ".join(r.doubt() for r in self.unconfirmed))
            if self.open_questions:
                parts.append("unknown: " + ", ".join(r.label for r in self.open_questions))
        if self.preferred_misses:
            parts.append("prefers: " + ", ".join(r.label for r in self.preferred_misses))
        return "; ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {"program_id": self.program_id, "verdict": self.status.value,
                "chance_factor": round(self.chance_factor, 4),
                "reasons": [r.to_dict() for r in self.reasons]}


def decide(program_id: str, reasons: list[Reason]) -> Verdict:
    """Ineligible if a strict rule fails on a trusted fact; unverified if an unknown rule
    might fail or a rule fails on a doubtful fact; else eligible."""
    if any(r.excludes for r in reasons):
        status = VerdictStatus.INELIGIBLE
    elif any(r.open_question or r.unconfirmed for r in reasons):
        status = VerdictStatus.UNVERIFIED
    else:
        status = VerdictStatus.ELIGIBLE
    return Verdict(program_id, status, tuple(reasons))


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
