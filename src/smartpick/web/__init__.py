"""SmartPick's web face: server-rendered pages and the JSON API over the same library."""

from smartpick.web.app import create_app
from smartpick.web.limits import WebLimits

__all__ = ["WebLimits", "create_app"]
