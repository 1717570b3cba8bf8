"""The US states map: the bundled state shapes and the projection that places programs on it.

The shapes (``web/static/us-states.json``, built by ``scripts/build_us_map.py`` from the npm
package us-atlas) are drawn in d3's Albers USA projection at scale 1300 on a 975 x 610 canvas.
:func:`project` applies the same projection to a latitude and longitude: the lower 48 states on
an Albers equal-area conic, Alaska and Hawaii on their own conics as insets. Places outside
those three (Puerto Rico, Guam) have no position on this map.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

SHAPES = Path(__file__).resolve().parent.parent / "web" / "static" / "us-states.json"
SCALE, TX, TY = 1300.0, 487.5, 305.0


@dataclass(frozen=True)
class Conic:
    """An Albers equal-area conic with d3's rotate / center / scale / translate."""

    rotate: float
    center: tuple[float, float]
    parallels: tuple[float, float]
    scale: float
    translate: tuple[float, float]

    def raw(self, lon: float, lat: float) -> tuple[float, float]:
        sy0 = math.sin(math.radians(self.parallels[0]))
        n = (sy0 + math.sin(math.radians(self.parallels[1]))) / 2
        c = 1 + sy0 * (2 * n - sy0)
        r0 = math.sqrt(c) / n
        r = math.sqrt(max(c - 2 * n * math.sin(math.radians(lat)), 0.0)) / n
        x = math.radians(lon)
        return r * math.sin(x * n), r0 - r * math.cos(x * n)

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        cx, cy = self.raw(*self.center)
        x, y = self.raw(_wrap(lon + self.rotate), lat)
        k = self.scale
        return self.translate[0] + k * (x - cx), self.translate[1] - k * (y - cy)


def _wrap(lon: float) -> float:
    return (lon + 180) % 360 - 180


LOWER48 = Conic(96, (-0.6, 38.7), (29.5, 45.5), SCALE, (TX, TY))
ALASKA = Conic(154, (-2, 58.5), (55, 65), 0.35 * SCALE,
               (TX - 0.307 * SCALE, TY + 0.201 * SCALE))
HAWAII = Conic(157, (-3, 19.9), (8, 18), SCALE, (TX - 0.205 * SCALE, TY + 0.212 * SCALE))


def project(lat: float | None, lon: float | None) -> tuple[float, float] | None:
    """Canvas position of a place, or None when it is not on the map."""
    if lat is None or lon is None:
        return None
    if lat >= 50 and lon <= -129:
        return ALASKA(lon, lat)
    if 18 <= lat <= 23 and -161 <= lon <= -154:
        return HAWAII(lon, lat)
    if 24 <= lat <= 50 and -125.5 <= lon <= -66:
        return LOWER48(lon, lat)
    return None


@lru_cache(maxsize=1)
def shapes() -> dict[str, Any]:
    """View box and per-state ``{code, name, d}`` paths."""
    data: dict[str, Any] = json.loads(SHAPES.read_text(encoding="utf-8"))
    return data
