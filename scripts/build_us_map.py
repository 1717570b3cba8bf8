"""Convert the US states shape of the npm package ``us-atlas`` into SmartPick's map asset.

Input: ``states-albers-10m.json`` from us-atlas (ISC licence; shapes from the US Census
Bureau's cartographic boundary files), a TopoJSON already projected with d3's Albers USA
projection (scale 1300, translate [487.5, 305]) onto a 975 x 610 canvas.

Output: ``src/smartpick/web/static/us-states.json``: the view box and, per state, the
two-letter code, the name and one SVG path (rounded to 0.1 px). Run once:

    npm pack us-atlas && tar xzf us-atlas-*.tgz
    python scripts/build_us_map.py package/states-albers-10m.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from smartpick.catalog.states import NAME_TO_CODE

OUT = Path(__file__).resolve().parent.parent / "src/smartpick/web/static/us-states.json"
Point = tuple[float, float]


def decode_arcs(topology: dict[str, Any]) -> list[list[Point]]:
    """Absolute coordinates of every arc (undoing quantisation and delta encoding)."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring(indexes: list[int], arcs: list[list[Point]]) -> list[Point]:
    points: list[Point] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc[1:] if points else arc)
    return points


def path(polygons: list[list[list[int]]], arcs: list[list[Point]]) -> str:
    parts = []
    for polygon in polygons:
        for indexes in polygon:
            pts = ring(indexes, arcs)
            parts.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in pts) + "Z")
    return "".join(parts)


def convert(topology: dict[str, Any]) -> dict[str, Any]:
    arcs = decode_arcs(topology)
    states = []
    for geometry in topology["objects"]["states"]["geometries"]:
        name = geometry["properties"]["name"]
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        states.append({"code": NAME_TO_CODE[name.casefold()], "name": name,
                       "d": path(polygons, arcs)})
    states.sort(key=lambda s: s["code"])
    return {"view_box": [0, 0, 975, 610],
            "projection": "d3 geoAlbersUsa, scale 1300, translate [487.5, 305]",
            "origin": "npm package us-atlas 3.0.1 (ISC), states-albers-10m.json; "
                      "US Census Bureau cartographic boundaries",
            "states": states}


def main(source: str) -> None:
    topology = json.loads(Path(source).read_text(encoding="utf-8"))
    OUT.write_text(json.dumps(convert(topology), separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main(sys.argv[1])
