"""The one exception family of SmartPick.

Every error a user can cause is a :class:`SmartPickError`. It carries one or more
:class:`ValidationProblem` entries, each naming the field (or ``file:line``) at fault, so
the CLI can print them and exit non-zero and the API can answer 422 with them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ValidationProblem:
    """One problem with user input: where it is and what is wrong."""

    field: str
    message: str
    location: str = ""  # e.g. "file.csv:12"; empty when not from a file

    def __str__(self) -> str:
        prefix = f"{self.location}: " if self.location else ""
        return f"{prefix}{self.field}: {self.message}"


class SmartPickError(Exception):
    """Base class for errors caused by input, configuration or data."""

    def __init__(self, message: str, problems: list[ValidationProblem] | None = None):
        super().__init__(message)
        self.message = message
        self.problems: list[ValidationProblem] = list(problems or [])

    def lines(self) -> list[str]:
        """The message followed by one line per problem, as the CLI prints them."""
        return [self.message, *(f"  {p}" for p in self.problems)]


class InputError(SmartPickError):
    """Bad user input (a profile, an import file, a CLI option)."""


class NotFoundError(SmartPickError):
    """A program id, specialty or file that does not exist."""


class DataError(SmartPickError):
    """Shipped or raw data that cannot be read as expected."""
