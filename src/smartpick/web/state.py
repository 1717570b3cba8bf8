"""What every route needs: the catalog, saved profiles, templates, settings, the planner and
the pool plans run in."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fastapi import Request
from fastapi.templating import Jinja2Templates

from smartpick.catalog.store import Catalog
from smartpick.services.planner import Planner
from smartpick.services.pool import PlanPool
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
    planner: Planner
    pool: PlanPool


def app_state(request: Request) -> AppState:
    state: AppState = request.app.state.smartpick
    return state
