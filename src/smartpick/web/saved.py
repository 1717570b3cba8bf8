"""Saved profiles: optional, reachable only through an unguessable link, deletable by the owner.

Saving returns two secrets made with :func:`secrets.token_urlsafe`: the *link token* (the
profile's address, ``/p/<token>``) and the *owner key* (needed to delete it). The database
keeps only SHA-256 digests of both, so a copy of the database reveals no link. The table lives
in the catalog's database and is created on first use.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Column, DateTime, Engine, MetaData, String, Table, Text, delete, select

from smartpick.errors import NotFoundError

TOKEN_BYTES = 24  # 192 bits: 32 URL-safe characters
metadata = MetaData()
saved_profiles = Table(
    "web_saved_profiles", metadata,
    Column("link_digest", String(64), primary_key=True),
    Column("owner_digest", String(64), nullable=False),
    Column("profile_json", Text, nullable=False),
    Column("created_at", DateTime, nullable=False),
)


@dataclass(frozen=True)
class SavedLink:
    token: str
    owner_key: str


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


class SavedProfiles:
    """Store, fetch and delete saved profiles (JSON-ready mappings)."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self._ready = False

    def _ensure_table(self) -> None:
        if not self._ready:
            metadata.create_all(self.engine, checkfirst=True)
            self._ready = True

    def save(self, profile: dict[str, Any]) -> SavedLink:
        self._ensure_table()
        link = SavedLink(secrets.token_urlsafe(TOKEN_BYTES), secrets.token_urlsafe(TOKEN_BYTES))
        row = {"link_digest": _digest(link.token), "owner_digest": _digest(link.owner_key),
               "profile_json": json.dumps(profile, default=str),
               "created_at": datetime.now(UTC).replace(tzinfo=None)}
        with self.engine.begin() as conn:
            conn.execute(saved_profiles.insert().values(**row))
        return link

    def load(self, token: str) -> dict[str, Any]:
        self._ensure_table()
        stmt = select(saved_profiles.c.profile_json).where(
            saved_profiles.c.link_digest == _digest(token))
        with self.engine.connect() as conn:
            found = conn.execute(stmt).scalar()
        if found is None:
            raise NotFoundError("no saved profile at this link (it may have been deleted)")
        data: dict[str, Any] = json.loads(found)
        return data

    def delete(self, token: str, owner_key: str) -> None:
        """Delete the profile at ``token``; NotFoundError unless ``owner_key`` is its owner's."""
        self._ensure_table()
        table = saved_profiles
        with self.engine.begin() as conn:
            owner = conn.execute(select(table.c.owner_digest).where(
                table.c.link_digest == _digest(token))).scalar()
            if owner is None or not hmac.compare_digest(owner, _digest(owner_key)):
                raise NotFoundError("no saved profile with this link and owner key")
            conn.execute(delete(table).where(table.c.link_digest == _digest(token)))
