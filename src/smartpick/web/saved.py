"""Saved profiles: optional, reachable only through an unguessable link, deletable by the owner.

Saving returns two secrets made with :func:`secrets.token_urlsafe`: the *link token* (the
profile's address, ``/p/<token>``) and the *owner key* (needed to delete it). The database
keeps only SHA-256 digests of both, so a copy of the database reveals no link. The table lives
in the catalog's database and is created on first use.

Limits: a saved profile holds at most :data:`MAX_PROFILE_BYTES` of JSON; one client (by its
address) saves at most :data:`SAVES_PER_HOUR` profiles an hour; a profile expires
:data:`KEEP_DAYS` days after it was saved (expired rows are removed on the next save).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import threading
import time
from collections import OrderedDict, deque
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Column, DateTime, Engine, MetaData, String, Table, Text, delete, select

from smartpick.errors import InputError, NotFoundError, ValidationProblem

TOKEN_BYTES = 24  # 192 bits: 32 URL-safe characters
MAX_PROFILE_BYTES = 32 * 1024  # a full profile with notes is under 8 KB
SAVES_PER_HOUR = 20
KEEP_DAYS = 180
MAX_TRACKED_CLIENTS = 10_000


class SaveQuotaExceeded(Exception):
    """This client saved :data:`SAVES_PER_HOUR` profiles within the last hour."""

    def __init__(self, retry_after: float):
        super().__init__("too many saved profiles from this address")
        self.retry_after = retry_after
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

    def __init__(self, engine: Engine, per_hour: int = SAVES_PER_HOUR,
                 keep_days: int = KEEP_DAYS):
        self.engine = engine
        self.per_hour, self.keep = per_hour, timedelta(days=keep_days)
        self._ready = False
        self._recent: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def _take_quota(self, client: str, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        with self._lock:
            times = self._recent.pop(client, deque())
            while times and now - times[0] >= 3600:
                times.popleft()
            self._recent[client] = times
            while len(self._recent) > MAX_TRACKED_CLIENTS:
                self._recent.popitem(last=False)
            if len(times) >= self.per_hour:
                raise SaveQuotaExceeded(3600 - (now - times[0]))
            times.append(now)

    def _cutoff(self) -> datetime:
        return datetime.now(UTC).replace(tzinfo=None) - self.keep

    def _ensure_table(self) -> None:
        if not self._ready:
            metadata.create_all(self.engine, checkfirst=True)
            self._ready = True

    def save(self, profile: dict[str, Any], client: str = "unknown") -> SavedLink:
        """Store ``profile``; InputError when too large, SaveQuotaExceeded when ``client``
        saved too many profiles in the last hour."""
        text = json.dumps(profile, default=str)
        if len(text.encode("utf-8")) > MAX_PROFILE_BYTES:
            raise InputError("profile too large to save", [ValidationProblem(
                "(profile)", f"a saved profile holds at most {MAX_PROFILE_BYTES // 1024} KB; "
                             "shorten the longest notes")])
        self._take_quota(client)
        self._ensure_table()
        link = SavedLink(secrets.token_urlsafe(TOKEN_BYTES), secrets.token_urlsafe(TOKEN_BYTES))
        row = {"link_digest": _digest(link.token), "owner_digest": _digest(link.owner_key),
               "profile_json": text, "created_at": datetime.now(UTC).replace(tzinfo=None)}
        with self.engine.begin() as conn:
            conn.execute(delete(saved_profiles).where(
                saved_profiles.c.created_at < self._cutoff()))
            conn.execute(saved_profiles.insert().values(**row))
        return link

    def load(self, token: str) -> dict[str, Any]:
        self._ensure_table()
        stmt = select(saved_profiles.c.profile_json).where(
            saved_profiles.c.link_digest == _digest(token),
            saved_profiles.c.created_at >= self._cutoff())
        with self.engine.connect() as conn:
            found = conn.execute(stmt).scalar()
        if found is None:
            raise NotFoundError("no saved profile at this link (it may have been deleted, "
                                f"or it expired {KEEP_DAYS} days after it was saved)")
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
