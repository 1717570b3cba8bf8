"""Link survey programs (ACGME ids) to NRMP tracks by institution name, city and state.

No key joins the two: NRMP names are abbreviated ("U Alabama Med Ctr-Birmingham"), survey
names are written out ("University of Alabama Medical Center Program", Birmingham). A link is
kept only when it is unambiguous: within one state, the survey program and the NRMP
institution are each other's best match, the score clears a floor, and the runner-up trails
by a margin. Everything else stays unlinked (and both records stay in the catalog).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from smartpick.catalog.ingest.records import ProgramRecord

ABBREVIATIONS: dict[str, str] = {
    "u": "university", "univ": "university", "med": "medical", "ctr": "center",
    "ctrs": "center", "hosp": "hospital", "hosps": "hospital", "hospitals": "hospital",
    "som": "school medicine", "com": "college medicine", "sch": "school",
    "coll": "college", "hlth": "health", "sys": "system", "st": "saint", "mt": "mount",
    "reg": "regional", "comm": "community", "cmty": "community", "gen": "general",
    "natl": "national", "memorial": "memorial", "mem": "memorial", "inst": "institute",
    "progs": "program", "prog": "program", "ctrl": "central", "cent": "central",
    "osteo": "osteopathic", "affil": "affiliated", "dept": "department", "va": "veterans",
    "chldns": "childrens", "med-peds": "medicine pediatrics", "intl": "international",
    "n": "north", "s": "south", "e": "east", "w": "west", "ft": "fort", "assoc": "associated",
}
STOP_WORDS = {
    "of", "the", "at", "and", "program", "internal", "medicine", "residency", "in", "for",
    "school", "college", "inc", "llc", "system", "health", "medical", "center", "university",
    "hospital", "campus",
}
MIN_SCORE = 0.4
MIN_MARGIN = 0.1
JACCARD_WEIGHT = 0.3


@dataclass(frozen=True)
class Link:
    acgme_id: str
    nrmp_codes: tuple[str, ...]
    score: float
    method: str


def tokens(text: str) -> set[str]:
    """Distinctive lower-case words, abbreviations written out, generic words dropped."""
    words = re.split(r"[^a-z0-9]+", text.lower().replace("'", ""))
    expanded: list[str] = []
    for word in words:
        expanded.extend(ABBREVIATIONS.get(word, word).split())
    return {w for w in expanded if w and w not in STOP_WORDS}


def _institution_tokens(name: str, state: str) -> set[str]:
    base = re.sub(rf"-{state}$", "", name.strip())
    return tokens(base)


def score(nrmp_tokens: set[str], survey_tokens: set[str]) -> float:
    """Mostly the share of the NRMP institution's distinctive words found in the survey name
    or city; partly their overlap (Jaccard), so that among survey programs sharing a
    sponsor's name the one without further site words ranks first."""
    if not nrmp_tokens or not survey_tokens:
        return 0.0
    common = len(nrmp_tokens & survey_tokens)
    containment = common / len(nrmp_tokens)
    jaccard = common / len(nrmp_tokens | survey_tokens)
    return (1 - JACCARD_WEIGHT) * containment + JACCARD_WEIGHT * jaccard


def link_programs(survey: list[ProgramRecord], tracks: list[ProgramRecord]) -> list[Link]:
    """Unambiguous links from survey IM programs to NRMP IM categorical tracks."""
    institutions = _im_institutions(tracks)
    by_state: dict[str, list[ProgramRecord]] = defaultdict(list)
    for rec in survey:
        by_state[rec.values.get("state", "")].append(rec)
    links: list[Link] = []
    for state, programs in sorted(by_state.items()):
        links.extend(_link_state(programs, institutions.get(state, {}), state))
    return sorted(links, key=lambda link: link.acgme_id)


def _im_institutions(tracks: list[ProgramRecord]) -> dict[str, dict[str, list[ProgramRecord]]]:
    """state -> institution name -> its IM categorical tracks."""
    found: dict[str, dict[str, list[ProgramRecord]]] = defaultdict(lambda: defaultdict(list))
    for rec in tracks:
        v = rec.values
        if v.get("specialty_code") == "140" and v.get("track") == "C" and v.get("institution_name"):
            found[v["state"]][v["institution_name"]].append(rec)
    return found


def _link_state(programs: list[ProgramRecord], institutions: dict[str, list[ProgramRecord]],
                state: str) -> list[Link]:
    if not programs or not institutions:
        return []
    survey_tokens = {p.program_id: tokens(f"{p.values.get('name', '')} {p.values.get('city', '')}")
                     for p in programs}
    inst_tokens = {name: _institution_tokens(name, state) for name in institutions}
    scores = {(pid, name): score(inst_tokens[name], st)
              for pid, st in survey_tokens.items() for name in inst_tokens}
    links = []
    for pid in sorted(survey_tokens):
        best = _best(pid, scores, inst_tokens)
        if best is None:
            continue
        name, value = best
        if _best_survey_for(name, scores, survey_tokens) == pid:
            codes = tuple(sorted(t.program_id for t in institutions[name]))
            links.append(Link(pid, codes, round(value, 3),
                              f"name+city+state match with NRMP institution '{name}' "
                              f"(score {value:.2f})"))
    return links


def _best(pid: str, scores: dict[tuple[str, str], float],
          inst_tokens: dict[str, set[str]]) -> tuple[str, float] | None:
    ranked = sorted(((scores[(pid, n)], n) for n in inst_tokens), reverse=True)
    top, name = ranked[0]
    runner = ranked[1][0] if len(ranked) > 1 else 0.0
    if top < MIN_SCORE or top - runner < MIN_MARGIN:
        return None
    return name, top


def _best_survey_for(name: str, scores: dict[tuple[str, str], float],
                     survey_tokens: dict[str, set[str]]) -> str | None:
    ranked = sorted(((scores[(pid, name)], pid) for pid in survey_tokens), reverse=True)
    top, pid = ranked[0]
    runner = ranked[1][0] if len(ranked) > 1 else 0.0
    return pid if top - runner >= MIN_MARGIN else None
