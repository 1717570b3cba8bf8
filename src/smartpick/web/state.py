"""What every route needs: the catalog, saved profiles, templates and settings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates

from smartpick.catalog.store import Catalog
from smartpick.settings import Settings
from smartpick.web.saved import SavedProfiles

WEB_DIR = Path(__file__).resolve().parent
TEMPLATES_DIR = WEB_DIR / "templates"
STATIC_DIR = WEB_DIR / "static"


@dataclass
class AppState:
    settings: Settings
    catalog: Catalog
    saved: SavedProfiles
    templates: Jinja2Templates
    planner: Callable[..., dict[str, Any]] | None = None


def app_state(request: Request) -> AppState:
    state: AppState = request.app.state.smartpick
    return state
