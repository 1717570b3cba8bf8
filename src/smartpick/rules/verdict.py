"""Verdicts and their reasons: why a program is open, closed or not yet known to the applicant."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from smartpick.rules.requirements import Requirement, Strictness


class Outcome(StrEnum):
    MET = "met"
    MISSED = "missed"
    UNKNOWN = "unknown"  # the program's rule (or the applicant's fact) is not known
    NOT_APPLICABLE = "not_applicable"


class VerdictStatus(StrEnum):
    ELIGIBLE = "eligible"
    INELIGIBLE = "ineligible"  # a strict rule fails
    UNVERIFIED = "unverified"  # no strict rule fails, but an unknown rule might


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
    status: str = "unknown"  # reported / derived / estimated / unknown
    might_fail: bool = False  # for unknown rules: the applicant could fail a typical value
    note: str = ""

    @property
    def excludes(self) -> bool:
        return self.outcome is Outcome.MISSED and self.strictness is Strictness.STRICT

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
        source = f" [{self.status}: {self.source}]" if self.source else ""
        note = f" ({self.note})" if self.note else ""
        return f"{self.label} {self.outcome.value}: {program}; you: {self.applicant}{note}{source}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule, "label": self.label, "outcome": self.outcome.value,
            "applicant": self.applicant, "program": self.program,
            "strictness": self.strictness.value if self.strictness else None,
            "source": self.source or None, "as_of": self.as_of or None, "status": self.status,
            "might_fail": self.might_fail, "note": self.note or None,
        }


def known_reason(rule: str, label: str, req: Requirement, met: bool, applicant: str,
                 note: str = "", program: Any = None) -> Reason:
    """A reason for a rule the program states."""
    return Reason(rule, label, Outcome.MET if met else Outcome.MISSED, applicant,
                  req.value if program is None else program, req.strictness, req.source,
                  req.as_of, req.status, note=note)


def applicant_unknown(rule: str, label: str, req: Requirement, applicant: str,
                      note: str = "") -> Reason:
    """A stated rule the applicant might fail: the applicant's own fact is missing."""
    return Reason(rule, label, Outcome.UNKNOWN, applicant, req.value, req.strictness,
                  req.source, req.as_of, req.status, might_fail=True, note=note)


def unknown_reason(rule: str, label: str, applicant: str, might_fail: bool,
                   note: str = "") -> Reason:
    return Reason(rule, label, Outcome.UNKNOWN, applicant, might_fail=might_fail, note=note)


def not_applicable(rule: str, label: str, applicant: str, note: str = "") -> Reason:
    return Reason(rule, label, Outcome.NOT_APPLICABLE, applicant, note=note)


@dataclass(frozen=True)
class Verdict:
    program_id: str
    status: VerdictStatus
    reasons: tuple[Reason, ...]

    @property
    def exclusions(self) -> list[Reason]:
        return [r for r in self.reasons if r.excludes]

    @property
    def preferred_misses(self) -> list[Reason]:
        return [r for r in self.reasons if r.preferred_miss]

    @property
    def open_questions(self) -> list[Reason]:
        return [r for r in self.reasons if r.open_question]

    def reason(self, rule: str) -> Reason:
        for r in self.reasons:
            if r.rule == rule:
                return r
        raise KeyError(rule)

    def summary(self) -> str:
        """The few reasons that decide the verdict, in words."""
        parts = []
        if self.exclusions:
            parts.append("fails: " + ", ".join(r.label for r in self.exclusions))
        elif self.open_questions:
            parts.append("unknown: " + ", ".join(r.label for r in self.open_questions))
        if self.preferred_misses:
            parts.append("prefers: " + ", ".join(r.label for r in self.preferred_misses))
        return "; ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {"program_id": self.program_id, "verdict": self.status.value,
                "reasons": [r.to_dict() for r in self.reasons]}


def decide(program_id: str, reasons: list[Reason]) -> Verdict:
    """Ineligible if a strict rule fails; unverified if an unknown rule might; else eligible."""
    if any(r.excludes for r in reasons):
        status = VerdictStatus.INELIGIBLE
    elif any(r.open_question for r in reasons):
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
