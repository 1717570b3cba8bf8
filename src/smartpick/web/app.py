"""The application factory: ``create_app(settings)`` builds the whole web face."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.metadata import PackageNotFoundError, version

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from smartpick.catalog.store import open_catalog
from smartpick.services.planner import Planner
from smartpick.services.pool import PlanPool
from smartpick.settings import Settings, load_settings
from smartpick.web import api, template_filters
from smartpick.web.errors import install_error_handlers, page_refusal
from smartpick.web.headers import SecurityHeaders
from smartpick.web.limits import BodyLimit, RateLimit, WebLimits
from smartpick.web.saved import SavedProfiles
from smartpick.web.state import STATIC_DIR, TEMPLATES_DIR, AppState
from smartpick.web.views import extract, facts, plan, profile, programs, usce, whatif

DESCRIPTION = """SmartPick's JSON API: program search, eligibility checks, USCE reports,
requirement extraction and application plans. Invalid input answers 422 with one message per
field. Nothing is stored unless a profile is explicitly saved."""


def _version() -> str:
    try:
        return version("smartpick")
    except PackageNotFoundError:
        return "0"


def create_app(settings: Settings | None = None, limits: WebLimits | None = None,
               planner: Planner | None = None, pool: PlanPool | None = None) -> FastAPI:
    """The FastAPI application over the catalog at ``settings.database_url``.

    ``planner`` (default: a :class:`Planner` over that catalog) answers plans; they run in
    ``pool`` (default: two workers, eight waiting), never on the event loop.
    """
    settings = settings or load_settings()
    limits = limits or WebLimits()
    pool = pool or PlanPool()

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        if pool.processes:
            pool.close()  # worker processes end with the server (threads end with it anyway)

    app = FastAPI(title="SmartPick", version=_version(), description=DESCRIPTION,
                  docs_url=None, redoc_url=None, lifespan=lifespan)
    catalog = planner.catalog if planner is not None else open_catalog(settings)
    planner = planner or Planner(settings, catalog)
    templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
    template_filters.install(templates.env)
    saved = SavedProfiles(catalog.engine, limits.saves_per_hour)
    app.state.smartpick = AppState(settings, catalog, saved, templates, planner, pool)
    install_error_handlers(app)
    for router in (api.router, programs.router, profile.router, usce.router, whatif.router,
                   plan.router, extract.router, facts.router):
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static")
    app.add_middleware(RateLimit, per_minute=limits.rate_per_minute, burst=limits.burst,
                       page=page_refusal)
    app.add_middleware(BodyLimit, max_bytes=limits.max_body_bytes, page=page_refusal)
    app.add_middleware(SecurityHeaders)
    return app
