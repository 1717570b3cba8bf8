"""Configuration from the environment.

- ``DATABASE_URL``: a SQLAlchemy URL. Unset, SmartPick uses an embedded SQLite file at
  ``$SMARTPICK_HOME/smartpick.sqlite``.
- ``SMARTPICK_HOME``: the folder of the catalog database. Unset, a per-user data folder:
  ``$XDG_DATA_HOME/smartpick``, or ``~/.local/share/smartpick`` (so every command finds the
  same catalog from any folder).
- ``SMARTPICK_DATA_DIR``: the folder of shipped, normalised data files (default: the
  ``data/`` folder of the source tree).
- ``SMARTPICK_TODAY``: the date SmartPick takes as today (``YYYY-MM-DD``; default: the
  system date). It decides the default season, so plans and tests can be reproduced.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from smartpick.errors import InputError, ValidationProblem

PACKAGE_DIR = Path(__file__).resolve().parent
SOURCE_ROOT = PACKAGE_DIR.parent.parent
TODAY_ENV = "SMARTPICK_TODAY"


@dataclass(frozen=True)
class Settings:
    database_url: str
    data_dir: Path
    home: Path

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def sqlite_path(self) -> Path | None:
        """The catalog's file when the database is a SQLite file."""
        prefix = "sqlite:///"
        return Path(self.database_url.removeprefix(prefix)) \
            if self.database_url.startswith(prefix) else None


def default_data_dir() -> Path:
    return SOURCE_ROOT / "data"


def default_home(env: dict[str, str] | None = None) -> Path:
    """The per-user data folder: ``$XDG_DATA_HOME/smartpick`` or ``~/.local/share/smartpick``."""
    env = dict(os.environ) if env is None else env
    base = env.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "smartpick"


def load_settings(env: dict[str, str] | None = None) -> Settings:
    """Read settings from ``env`` (default: ``os.environ``)."""
    env = dict(os.environ) if env is None else env
    home = Path(env.get("SMARTPICK_HOME") or default_home(env)).expanduser().resolve()
    url = env.get("DATABASE_URL") or f"sqlite:///{home / 'smartpick.sqlite'}"
    data_dir = Path(env.get("SMARTPICK_DATA_DIR") or default_data_dir())
    return Settings(database_url=url, data_dir=data_dir, home=home)


def today(env: dict[str, str] | None = None) -> date:
    """Today's date, or ``SMARTPICK_TODAY`` when set (plans can then be reproduced)."""
    env = dict(os.environ) if env is None else env
    text = (env.get(TODAY_ENV) or "").strip()
    if not text:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(f"{TODAY_ENV} is not a date", [ValidationProblem(
            TODAY_ENV, f"expected YYYY-MM-DD, got {text!r}")]) from None
