"""Configuration from the environment.

- ``DATABASE_URL``: a SQLAlchemy URL. Unset, SmartPick uses an embedded SQLite file at
  ``$SMARTPICK_HOME/smartpick.sqlite`` (``SMARTPICK_HOME`` defaults to ``./var``).
- ``SMARTPICK_DATA_DIR``: the folder of shipped, normalised data files (default: the
  ``data/`` folder of the source tree).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
SOURCE_ROOT = PACKAGE_DIR.parent.parent


@dataclass(frozen=True)
class Settings:
    database_url: str
    data_dir: Path
    home: Path

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def default_data_dir() -> Path:
    return SOURCE_ROOT / "data"


def load_settings(env: dict[str, str] | None = None) -> Settings:
    """Read settings from ``env`` (default: ``os.environ``)."""
    env = dict(os.environ) if env is None else env
    home = Path(env.get("SMARTPICK_HOME", "var")).resolve()
    url = env.get("DATABASE_URL") or f"sqlite:///{home / 'smartpick.sqlite'}"
    data_dir = Path(env.get("SMARTPICK_DATA_DIR") or default_data_dir())
    return Settings(database_url=url, data_dir=data_dir, home=home)
