"""Coordinates for programs: city centroids from a gazetteer, state centroids as a fallback."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

from smartpick.catalog.states import state_code

GAZETTEER = Path("acgme_obgyn_tyler/us_city_state_latlong.csv")
HOSPITALS = Path("cms_hospitals_2023/cms_hospital_general_information.csv")

Coordinates = tuple[float, float]


class Gazetteer:
    """Look up (city, state) centroids; a state's centroid is the mean of its cities."""

    def __init__(self, cities: dict[tuple[str, str], Coordinates]):
        self.cities = cities
        self.from_hospitals: set[tuple[str, str]] = set()
        self._by_city: dict[str, set[str]] | None = None
        self.hospital_cities: dict[str, set[str]] = defaultdict(set)  # city -> states
        sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
        for (_, state), (lat, lon) in cities.items():
            acc = sums[state]
            acc[0] += lat
            acc[1] += lon
            acc[2] += 1
        self.states = {s: (round(a[0] / a[2], 4), round(a[1] / a[2], 4)) for s, a in sums.items()}

    @classmethod
    def read(cls, raw: Path) -> Gazetteer:
        cities: dict[tuple[str, str], Coordinates] = {}
        with open(raw / GAZETTEER, newline="", encoding="utf-8-sig") as handle:
            for row in csv.DictReader(handle):
                code = state_code(row["state"])
                if code:
                    key = (_clean(row["city"]), code)
                    cities.setdefault(key, (float(row["latitude"]), float(row["longitude"])))
        return cls(cities)

    def city(self, city: str, state: str) -> Coordinates | None:
        return self.cities.get((_clean(city), state))

    def add_hospital_cities(self, raw: Path) -> int:
        """Fill cities the gazetteer lacks (e.g. New York's boroughs) with the mean ZIP
        centroid of that city's CMS hospitals. Returns how many cities were added."""
        path = raw / HOSPITALS
        if not path.is_file():
            return 0
        sums: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
        with open(path, newline="", encoding="utf-8-sig") as handle:
            for row in csv.DictReader(handle):
                key = (_clean(row["City"]), row["State"].strip())
                self.hospital_cities[key[0]].add(key[1])
                if key in self.cities or not row["INTPTLAT"] or not row["INTPTLONG"]:
                    continue
                acc = sums[key]
                acc[0] += float(row["INTPTLAT"])
                acc[1] += float(row["INTPTLONG"])
                acc[2] += 1
        self._by_city = None
        for key in sorted(sums):
            acc = sums[key]
            self.cities[key] = (round(acc[0] / acc[2], 5), round(acc[1] / acc[2], 5))
            self.from_hospitals.add(key)
        return len(sums)

    def states_of(self, city: str) -> list[str]:
        """Every state with a city of this name (sorted)."""
        if self._by_city is None:
            self._by_city = defaultdict(set)
            for name, state in self.cities:
                self._by_city[name].add(state)
        return sorted(self._by_city.get(_clean(city), set()))

    def hospital_states_of(self, city: str) -> list[str]:
        """Every state with a CMS hospital in a city of this name (sorted)."""
        return sorted(self.hospital_cities.get(_clean(city), set()))

    def city_is_from_hospitals(self, city: str, state: str) -> bool:
        return (_clean(city), state) in self.from_hospitals

    def state(self, state: str) -> Coordinates | None:
        return self.states.get(state)


def _clean(city: str) -> str:
    text = city.strip().lower().replace(".", "")
    for prefix, full in (("st ", "saint "), ("ft ", "fort "), ("mt ", "mount ")):
        if text.startswith(prefix):
            text = full + text[len(prefix):]
    return " ".join(text.split())
