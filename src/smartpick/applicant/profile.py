"""The applicant profile: the one validated model of who is applying.

Field names are the contract shared by the CLI (YAML or JSON files), the API (JSON) and the web
form; docs/profile.md describes each field. Every model forbids unknown fields, so a typo is
reported instead of silently ignored.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from smartpick.errors import InputError
from smartpick.vocab import IMG_TYPES, STATE_NAMES, ApplicantType, ProgramType, canonical

Visa = Literal["none", "j1", "h1b", "j1_or_h1b"]
UsceKind = Literal["hands_on", "externship", "observership", "research", "volunteer", "telehealth"]
Setting = Literal["university", "community"]
ExamResult = int | Literal["pass"]

SCORE_MIN, SCORE_MAX = 100, 300  # three-digit USMLE scores
HANDS_ON_KINDS: frozenset[str] = frozenset({"hands_on", "externship"})


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    @field_validator("*", mode="before")
    @classmethod
    def _encodable(cls, value: Any) -> Any:
        """Text must be encodable (a lone surrogate cannot be stored, shown or sent back)."""
        for text in value if isinstance(value, list) else [value]:
            if isinstance(text, str) and not _encodable_text(text):
                raise ValueError("contains a character that is not valid text "
                                 "(a lone UTF-16 surrogate)")
        return value


def _encodable_text(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _exam_result(value: Any, allow_pass: bool = True) -> ExamResult | None:
    """``'pass'`` (any case) or a three-digit score; ``None`` stays ``None``."""
    if value is None:
        return None
    if isinstance(value, str) and value.strip().lower() == "pass" and allow_pass:
        return "pass"
    if isinstance(value, bool):
        raise ValueError("expected 'pass' or a three-digit score")
    try:
        score = int(str(value).strip())
    except ValueError:
        choice = "'pass' or a three-digit score" if allow_pass else "a three-digit score"
        raise ValueError(f"expected {choice}, got {value!r}") from None
    if not SCORE_MIN <= score <= SCORE_MAX:
        raise ValueError(f"a score must be between {SCORE_MIN} and {SCORE_MAX}, got {score}")
    return score


def _state(value: str) -> str:
    code = str(value).strip().upper()
    if code not in STATE_NAMES:
        raise ValueError(f"unknown US state code {value!r} (use two letters, e.g. NY)")
    return code


def _specialty(value: str) -> str:
    try:
        return canonical(value)
    except InputError as err:
        raise ValueError(err.problems[0].message if err.problems else err.message) from None


class Exams(_Strict):
    """USMLE results. Step 1 is pass/fail since 2022; older results may be scores."""

    step1: ExamResult | None = None
    step2ck: int | None = None
    step3: ExamResult | None = None
    failed_attempts: int = Field(default=0, ge=0, le=20)
    failed_attempts_by_exam: dict[Literal["step1", "step2ck", "step3"], int] | None = None

    @field_validator("step1", "step3", mode="before")
    @classmethod
    def _result(cls, value: Any) -> ExamResult | None:
        return _exam_result(value)

    @field_validator("step2ck", mode="before")
    @classmethod
    def _score(cls, value: Any) -> ExamResult | None:
        return _exam_result(value, allow_pass=False)

    @field_validator("failed_attempts_by_exam")
    @classmethod
    def _by_exam(cls, value: dict[str, int] | None, info: ValidationInfo) -> Any:
        if value is None:
            return None
        if any(n < 0 for n in value.values()):
            raise ValueError("failed attempts cannot be negative")
        total = info.data.get("failed_attempts")
        if total is not None and sum(value.values()) != total:
            raise ValueError(f"adds up to {sum(value.values())}, but failed_attempts is {total}")
        return value

    def max_failed_on_one_exam(self) -> int | None:
        """The most failed attempts on a single exam, when the split is known."""
        if self.failed_attempts == 0:
            return 0
        if self.failed_attempts_by_exam is None:
            return None
        return max(self.failed_attempts_by_exam.values(), default=0)


class UsceEntry(_Strict):
    """One US clinical experience: a rotation, externship, observership..."""

    kind: UsceKind
    specialty: str
    setting: Setting | None = None
    state: str | None = None
    start: date
    end: date
    us_letter: bool = False
    goals: str | None = None
    cases: list[str] = Field(default_factory=list)
    feedback: str | None = None

    @field_validator("specialty")
    @classmethod
    def _specialty(cls, value: str) -> str:
        return _specialty(value)

    @field_validator("state")
    @classmethod
    def _state(cls, value: str | None) -> str | None:
        return None if value is None else _state(value)

    @field_validator("end")
    @classmethod
    def _after_start(cls, value: date, info: ValidationInfo) -> date:
        start = info.data.get("start")
        if start is not None and value < start:
            raise ValueError(f"ends ({value}) before it starts ({start})")
        return value

    @property
    def hands_on(self) -> bool:
        """Counts for a program that accepts only hands-on experience (not observerships)."""
        return self.kind in HANDS_ON_KINDS


class Research(_Strict):
    publications: int = Field(default=0, ge=0)
    abstracts: int = Field(default=0, ge=0)
    presentations: int = Field(default=0, ge=0)


class Target(_Strict):
    specialty: str
    role: Literal["primary", "backup"] = "primary"

    @field_validator("specialty")
    @classmethod
    def _specialty(cls, value: str) -> str:
        return _specialty(value)


class Preferences(_Strict):
    states: list[str] = Field(default_factory=list)
    avoid_states: list[str] = Field(default_factory=list)
    program_types: list[ProgramType] = Field(default_factory=list)

    @field_validator("states", "avoid_states")
    @classmethod
    def _states(cls, value: list[str]) -> list[str]:
        return [_state(v) for v in value]

    @field_validator("avoid_states")
    @classmethod
    def _not_both(cls, value: list[str], info: ValidationInfo) -> list[str]:
        both = sorted(set(value) & set(info.data.get("states") or []))
        if both:
            raise ValueError(f"{', '.join(both)} also listed in states")
        return value


class Profile(_Strict):
    """Everything SmartPick knows about one applicant."""

    applicant_type: ApplicantType
    graduation_year: int = Field(ge=1950, le=2040)
    visa: Visa = "none"
    exams: Exams = Field(default_factory=Exams)
    ecfmg_certified: bool = False
    ecfmg_expected: date | None = None
    usce: list[UsceEntry] = Field(default_factory=list)
    letters_total: int | None = Field(default=None, ge=0, le=20)
    research: Research = Field(default_factory=Research)
    targets: list[Target] = Field(default_factory=list)
    preferences: Preferences = Field(default_factory=Preferences)
    budget_usd: float | None = Field(default=None, ge=0)
    target_p_match: float | None = Field(default=None, gt=0, lt=1)

    @field_validator("visa")
    @classmethod
    def _visa_fits_type(cls, value: str, info: ValidationInfo) -> str:
        if info.data.get("applicant_type") == "us_img" and value != "none":
            raise ValueError(
                f"a US IMG is a US citizen and needs no visa; got {value!r} "
                "(use applicant_type non_us_img for a non-citizen)"
            )
        return value

    @field_validator("ecfmg_certified")
    @classmethod
    def _ecfmg_for_img(cls, value: bool, info: ValidationInfo) -> bool:
        if value and info.data.get("applicant_type") in {"us_md", "us_do"}:
            raise ValueError("ECFMG certification is for graduates of international schools")
        return value

    @field_validator("targets")
    @classmethod
    def _unique_targets(cls, value: list[Target]) -> list[Target]:
        names = [t.specialty for t in value]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"{', '.join(dupes)} listed more than once")
        return value

    @property
    def is_img(self) -> bool:
        return self.applicant_type in IMG_TYPES

    @property
    def needs_visa(self) -> bool:
        return self.visa != "none"

    def target_specialties(self) -> list[str]:
        return [t.specialty for t in self.targets]
