"""Search filters for the catalog, validated at the boundary."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, or_

from smartpick.catalog import schema, specialties
from smartpick.catalog.states import STATE_NAMES
from smartpick.errors import InputError, ValidationProblem
from smartpick.vocab import PROGRAM_TYPES

VISA_CHOICES = ("j1", "h1b", "any")
TYPE_CHOICES = PROGRAM_TYPES


@dataclass(frozen=True)
class ProgramQuery:
    """What to look for. Filters on a fact match only programs where the fact is known.

    ``visa``: ``j1`` (accepts J-1), ``h1b`` (sponsors H-1B), ``any`` (either).
    ``include_merged``: also list NRMP tracks whose data lives on a linked survey program.
    """

    specialty: str | None = None
    states: tuple[str, ...] = ()
    visa: str | None = None
    program_type: str | None = None
    min_img_share: float | None = None
    include_merged: bool = False
    min_positions: int | None = None
    max_positions: int | None = None
    limit: int | None = None
    offset: int = 0

    def validated(self) -> ProgramQuery:
        """A copy with canonical names, or an InputError listing every bad filter."""
        problems: list[ValidationProblem] = []
        specialty = self._specialty(problems)
        states = tuple(s.strip().upper() for s in self.states)
        for bad in [s for s in states if s not in STATE_NAMES]:
            problems.append(ValidationProblem("state", f"unknown state code {bad!r}"))
        self._check_choices(problems)
        if problems:
            raise InputError("invalid search filters", problems)
        return dataclasses.replace(self, specialty=specialty, states=states)

    def _specialty(self, problems: list[ValidationProblem]) -> str | None:
        if not self.specialty:
            return None
        try:
            return specialties.canonical(self.specialty)
        except InputError as err:
            problems.extend(err.problems)
            return None

    def _check_choices(self, problems: list[ValidationProblem]) -> None:
        if self.visa is not None and self.visa not in VISA_CHOICES:
            problems.append(ValidationProblem("visa", f"must be one of {', '.join(VISA_CHOICES)}"))
        if self.program_type is not None and self.program_type not in TYPE_CHOICES:
            problems.append(ValidationProblem("type", f"must be one of {', '.join(TYPE_CHOICES)}"))
        share = self.min_img_share
        if share is not None and not 0 <= share <= 100:
            problems.append(ValidationProblem("min_img_share", "must be between 0 and 100"))
        for name in ("min_positions", "max_positions"):
            value = getattr(self, name)
            if value is not None and value < 0:
                problems.append(ValidationProblem(name, "must not be negative"))
        if self.limit is not None and self.limit < 1:
            problems.append(ValidationProblem("limit", "must be at least 1"))
        if self.offset < 0:
            problems.append(ValidationProblem("offset", "must not be negative"))

    def conditions(self) -> list[ColumnElement[bool]]:
        """SQL conditions on the ``programs`` table."""
        c = schema.programs.c
        where: list[ColumnElement[bool]] = []
        if not self.include_merged:
            where.append(c.merged_into.is_(None))
        if self.specialty:
            where.append(c.specialty == self.specialty)
        if self.states:
            where.append(c.state.in_(self.states))
        if self.visa == "j1":
            where.append(c.visa_j1.is_(True))
        elif self.visa == "h1b":
            where.append(c.visa_h1b.is_(True))
        elif self.visa == "any":
            where.append(or_(c.visa_j1.is_(True), c.visa_h1b.is_(True)))
        if self.program_type:
            where.append(c.program_type == self.program_type)
        if self.min_img_share is not None:
            where.append(and_(c.pct_img.is_not(None), c.pct_img >= self.min_img_share))
        if self.min_positions is not None:
            where.append(and_(c.positions.is_not(None), c.positions >= self.min_positions))
        if self.max_positions is not None:
            where.append(and_(c.positions.is_not(None), c.positions <= self.max_positions))
        return where
