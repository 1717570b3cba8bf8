"""Request and response bodies of the JSON API (they make the OpenAPI document)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from smartpick.applicant.profile import Profile
from smartpick.services.planner import PlanRequest

__all__ = ["ERROR_RESPONSES", "CheckRequest", "ExtractRequest", "Health", "PlanRequest",
           "ProgramPage", "SaveRequest", "SavedAnswer", "UsceRequest"]

ProgramId = Field(pattern=r"^[A-Za-z0-9]{1,20}$", description="NRMP code or ACGME id")


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CheckRequest(_Body):
    profile: Profile
    program_ids: list[str] = Field(min_length=1, max_length=200)
    season: int | None = Field(None, ge=2000, le=2100)


class UsceRequest(_Body):
    profile: Profile
    specialties: list[str] | None = Field(None, max_length=10,
                                          description="default: the profile's targets")
    season: int | None = Field(None, ge=2000, le=2100)


class ExtractRequest(_Body):
    text: str = Field(min_length=1, max_length=50_000)


class SaveRequest(_Body):
    profile: Profile


class SavedAnswer(BaseModel):
    token: str
    url: str
    owner_key: str = Field(description="keep it: needed to delete the saved profile")


class ProgramPage(BaseModel):
    total: int
    limit: int
    offset: int
    programs: list[dict[str, Any]]


class Problem(BaseModel):
    field: str
    message: str


class ProblemAnswer(BaseModel):
    detail: str
    problems: list[Problem]


class Health(BaseModel):
    status: Literal["ok"]
    programs: int


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    422: {"model": ProblemAnswer, "description": "invalid input, one message per field"},
    413: {"description": "request body too large"},
    429: {"description": "too many requests from this client"},
}
