"""Every command is documented: docs/cli.md is the commands' own help, kept in step."""

from __future__ import annotations

from pathlib import Path

import smartpick
from smartpick.cli.reference import reference

DOC = Path(__file__).parent.parent / "docs" / "cli.md"


def test_cli_reference_is_up_to_date() -> None:
    assert DOC.read_text(encoding="utf-8") == reference(), (
        "docs/cli.md is stale: run `python -m smartpick.cli.reference > docs/cli.md`")


def test_every_command_appears_in_the_reference() -> None:
    text = DOC.read_text(encoding="utf-8")
    for name in ("programs", "programs show", "db build", "db import", "check", "usce",
                 "extract", "plan", "calibrate", "simulate", "match", "serve"):
        assert f"## `smartpick {name}`" in text


def test_public_api_is_explicit() -> None:
    assert set(smartpick.__all__) == {"SmartPickError", "ValidationProblem", "__version__"}
