"""What every route needs: the catalog, saved profiles, templates, settings, the planner and
the pool plans run in."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import HTTPException, Request
from fastapi.templating import Jinja2Templates

from smartpick.catalog.store import Catalog
from smartpick.services.planner import Planner
from smartpick.services.pool import PlanPool
from smartpick.settings import Settings
from smartpick.web.saved import SavedLink, SavedProfiles, SaveQuotaExceeded

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


def save_profile(state: AppState, request: Request, profile: dict[str, Any]) -> SavedLink:
    """Save for this client; 429 with Retry-After once it has saved its hourly quota."""
    client = request.client.host if request.client else "unknown"
    try:
        return state.saved.save(profile, client=client)
    except SaveQuotaExceeded as err:
        minutes = max(1, round(err.retry_after / 60))
        raise HTTPException(429, f"too many profiles saved from your address; try again in "
                                 f"{minutes} minutes",
                            headers={"Retry-After": str(max(1, round(err.retry_after)))}) from None
