"""Link NRMP tracks to the survey programs (ACGME ids) they describe.

No key joins the two sources: NRMP names are abbreviated and belong to the sponsoring
institution ("U Alabama Med Ctr-Birmingham"), survey names are written out and belong to the
program ("University of Alabama Medical Center Program", Birmingham). An institution may run
several programs at several sites, each with several tracks: "Internal Medicine/Cape Fear",
"Medicine-Primary", "Med-Prelim/Neurology", "Int Med/Physician Scientist".

Every Internal Medicine track (NRMP specialty code 140, any track type) is tried, rule by rule;
each link records its rule, and each track left alone records why:

``site``
    The track's title names a site after its slash ("Internal Medicine/Cape Fear") and one
    survey program matches both the institution's words and all the site words (in its name
    or city), clearly ahead of any other. The program may sit in another state than the
    institution (multi-state sponsors list every site under their home state).
``institution``
    An institution's categorical track without a site word and a survey program of the same
    state are each other's best name match: the score clears a floor and the runner-up trails
    by a margin (pairs are taken best first; a program is taken once).
``institution_unique``
    As ``institution`` with a weaker name score (a distinctive word shared), accepted when
    every rival scores at most half as much and the positions do not clash.
``institution_positions``
    As ``institution`` where the margin is missing, but exactly one of the close candidates
    has as many first-year positions as the institution's categorical quota.
``institution_name``
    As ``institution`` where the margin is missing, but exactly one close candidate's name is
    the institution's name written out, or begins with it ("Pennsylvania Hospital" ->
    "Pennsylvania Hospital of the University of Pennsylvania Health System Program").
``institution_city``
    As ``institution`` where the margin is missing, but exactly one close candidate sits in
    the city a source gives for the institution's track (the Florida file).
``site_positions``
    A categorical track naming a site no program's words match joins the one program of its
    state that matches the institution's name, has no track yet, and has exactly as many
    first-year positions as the site's tracks ("Internal Medicine/Shasta", 8 -> "Prime West
    Consortium Program", Redding, 8).
``same_institution``
    Any other track of an institution whose program is known (primary, preliminary, pathway
    tracks such as "Int Med/Physician Scientist") joins that program. When the institution
    runs several programs, only a track naming one of their sites joins.

An institution without a categorical track is represented by its primary track (or, with a
name match of at least ``STRONG_NAME``, its preliminary track). A site may be named by an
acronym of the program's words ("ALGH": Advocate Lutheran General Hospital). A preliminary
track naming a partner specialty's program ("Med-Prelim/Neurology-Tufts") joins its
institution's main program when no program of the institution is named.

Tracks of different sites are never merged: a track naming a site no program matches stays
alone when its institution runs several programs.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

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
    "bch": "beach", "cty": "county", "cnty": "county", "spgs": "springs", "hts": "heights",
    "pt": "point", "lk": "lake", "fl": "florida", "ny": "new york", "nyc": "new york",
    "wsu": "wayne state university", "det": "detroit", "phila": "philadelphia",
    "chgo": "chicago", "bklyn": "brooklyn", "pa": "pennsylvania", "sc": "south carolina",
    "nc": "north carolina", "nyp": "new york presbyterian", "kc": "kansas city",
    "uams": "university arkansas medical sciences", "uhs": "united health services",
    "siu": "southern illinois university", "fau": "florida atlantic university",
    "usf": "south florida", "ucf": "central florida", "ismms": "icahn mount sinai",
    "bidmc": "beth israel deaconess", "mgh": "massachusetts general", "ohsu": "oregon",
    "uthscsa": "texas san antonio", "utmb": "texas galveston", "lsu": "louisiana state",
    "vcu": "virginia commonwealth", "unc": "north carolina", "osu": "ohio state",
    "ut": "texas", "tx": "texas", "uc": "california", "ucsf": "california san francisco",
    "nyu": "nyu", "suny": "state new york", "uva": "virginia", "umass": "massachusetts",
    "fdn": "foundation", "sf": "san francisco", "sw": "southwest", "nw": "northwest",
    "nshore": "northshore", "rgv": "rio grande valley", "ed": "education",
    "usc": "southern california", "usa": "university south alabama", "man": "manhattan",
    "tmc": "tucson medical center", "nch": "naples comprehensive health",
    "fiu": "florida international university",
}
# Abbreviations that mean something else in one state ("UT": Texas, but Tennessee in TN).
STATE_ABBREVIATIONS: dict[tuple[str, str], str] = {
    ("ut", "TN"): "tennessee", ("wsu", "WA"): "washington state university",
}
# Abbreviations written with a hyphen, expanded before words are split.
HYPHENATED = {"b-jh": "barnes jewish hospital"}
# NRMP institution names whose program goes by another name today (renamed or merged
# sponsors); each alias adds words to the institution's own.
INSTITUTION_ALIASES: dict[str, tuple[str, str]] = {
    "Maine Med Ctr": ("MaineHealth", "Maine Medical Center belongs to MaineHealth"),
    "Eastern Virginia Med School": (
        "Old Dominion University", "Eastern Virginia Medical School merged into Old Dominion "
        "University in 2024"),
    "Coney Island Hospital-NY": (
        "NYC Health + Hospitals South Brooklyn Health", "Coney Island Hospital was renamed "
        "South Brooklyn Health in 2023"),
    "UHS Southern California Med Ed Consortium-CA": (
        "Southwest Healthcare Medical Education Consortium", "UHS runs Southwest Healthcare's "
        "Temecula hospitals"),
    "Albert Einstein Healthcare Network-PA": (
        "Jefferson Einstein", "Albert Einstein Healthcare Network merged into Jefferson Health "
        "in 2021"),
}
STOP_WORDS = {
    "of", "the", "at", "and", "program", "internal", "medicine", "residency", "in", "for",
    "school", "college", "inc", "llc", "system", "health", "medical", "center", "university",
    "hospital", "campus", "affiliated",
}
# Words of a track title that name the track type, not a site.
TRACK_WORDS = {
    "int", "intern", "primary", "prim", "preliminary", "prelim", "categorical", "medi",
    "track", "yr", "year", "1", "2", "3", "pgy1", "pgy2",
}
# Words of a track title that name a pathway inside the program, not a site.
PATHWAY_WORDS = {
    "research", "scientist", "physician", "investigator", "path", "pathway", "pstp", "star",
    "abim", "global", "hospitalist", "care", "hiv", "urban", "mph", "equity", "disparities",
    "funded", "sponsored", "img", "neurology", "dermatology", "radiology", "ophthalmology",
    "anesthesiology", "anesthesia", "psychiatry", "pmr", "rehab", "rehabilitation",
    "physical", "neuro", "derm", "rad", "ophth", "anes", "generalist", "clinician",
    "educator", "education", "leadership", "underserved", "quality", "genomics",
    "geriatrics", "integ", "integrated", "aire", "md", "phd", "rural", "scholars", "scholar",
    "clinical", "translational", "academic", "advocacy", "community", "population",
    "primary", "oncology", "cardiology", "pediatrics", "peds", "emergency", "diagnostic",
    "interventional", "nuclear", "radiation", "reserved", "advanced", "short", "dual",
    "pipeline", "innovation", "innovators", "residency", "women", "womens", "lgbtq",
    "native", "american", "indian", "tribal", "harrington", "bpei", "onc", "radonc", "pm",
    "osteopathic", "international", "phase", "shabbos", "sabbath", "observed", "ed", "gi",
    "cards", "hem", "hemonc", "pulmcc", "geri", "trk", "ci", "sci", "clin", "pop",
    "vulnerable", "adv", "skill", "partnership", "prevent", "outpatient", "phys",
    "innovations", "cat", "choice", "fap", "amp", "midocs", "roap", "im", "skills",
    "geriatics", "grant", "invest", "investigation", "observant", "tisch", "kimmel",
    "manhattan", "veterans",
}
# Words of a preliminary track's title naming the specialty it prepares for: what follows
# them names that specialty's program ("Med-Prelim/Neurology-Tufts"), not an IM site.
PARTNER_SPECIALTIES = {
    "neurology", "neuro", "anesthesiology", "anesthesia", "anesth", "anes", "radiology", "rad",
    "dermatology", "derm", "ophthalmology", "ophth", "psychiatry", "pmr", "rehab",
    "rehabilitation", "radonc", "onc", "radiation",
}
CONNECTORS = {"of", "the", "at", "and", "for", "in", "inc", "program"}
IM_CODE = "140"
MIN_SCORE = 0.4
MIN_MARGIN = 0.1
SITE_INSTITUTION_FLOOR = 0.25
TIE = 1e-9  # another institution competes for a program only when it is its own best too
OWNER_MARGIN = 0.3  # a site link yields to an institution matching the program this much better
JACCARD_WEIGHT = 0.3

SITE, INSTITUTION, INSTITUTION_UNIQUE, INSTITUTION_POSITIONS, SAME_INSTITUTION = (
    "site", "institution", "institution_unique", "institution_positions", "same_institution")
INSTITUTION_NAME, INSTITUTION_CITY = "institution_name", "institution_city"
SITE_POSITIONS = "site_positions"
RULES = (SITE, INSTITUTION, INSTITUTION_UNIQUE, INSTITUTION_POSITIONS, INSTITUTION_NAME,
         INSTITUTION_CITY, SITE_POSITIONS, SAME_INSTITUTION)
SITE_POSITIONS_FLOOR = 0.5  # the institution's name must match the program this well
MAIN_RULES = (INSTITUTION, INSTITUTION_UNIQUE, INSTITUTION_POSITIONS, INSTITUTION_NAME,
              INSTITUTION_CITY)
UNIQUE_FLOOR = 0.25  # a weaker name match, accepted when no rival comes near
STRONG_NAME = 0.8  # a name match this good is not second-guessed by positions


@dataclass(frozen=True)
class Link:
    """One NRMP track joined to a survey program."""

    track: str
    acgme_id: str
    rule: str
    score: float
    method: str


@dataclass(frozen=True)
class Unlinked:
    """One NRMP Internal Medicine track left as its own entry, with the reason."""

    track: str
    reason: str  # a short code, counted in the link report
    detail: str


@dataclass
class LinkReport:
    links: list[Link] = field(default_factory=list)
    unlinked: list[Unlinked] = field(default_factory=list)

    def programs(self) -> dict[str, list[str]]:
        """Survey program -> its linked track codes."""
        out: dict[str, list[str]] = defaultdict(list)
        for link in self.links:
            out[link.acgme_id].append(link.track)
        return {pid: sorted(codes) for pid, codes in sorted(out.items())}

    def by_rule(self) -> dict[str, int]:
        counts = {rule: 0 for rule in RULES}
        for link in self.links:
            counts[link.rule] += 1
        return counts

    def by_reason(self) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        for item in self.unlinked:
            counts[item.reason] += 1
        return dict(sorted(counts.items()))


def words_of(text: str, state: str = "") -> list[str]:
    """Lower-case words in order, abbreviations written out (state-aware)."""
    text = text.lower().replace("'", "")
    for short, full in HYPHENATED.items():
        text = re.sub(rf"\b{re.escape(short)}\b", full, text)
    expanded: list[str] = []
    for word in re.split(r"[^a-z0-9]+", text):
        full = STATE_ABBREVIATIONS.get((word, state)) or ABBREVIATIONS.get(word, word)
        expanded.extend(full.split())
    return [w for w in expanded if w]


def tokens(text: str, state: str = "") -> set[str]:
    """Distinctive lower-case words, abbreviations written out, generic words dropped."""
    return {w for w in words_of(text, state) if len(w) > 1 and w not in STOP_WORDS}


def phrase(text: str, state: str = "") -> str:
    """A name as plain words for comparing whole names: abbreviations written out,
    connecting words ("of", "the") and a trailing state suffix dropped."""
    base = re.sub(rf"-{state}$", "", text.strip()) if state else text
    base = re.sub(r"\([^)]*\)", " ", base)
    return " ".join(w for w in words_of(base, state) if w not in CONNECTORS)


def initials(text: str) -> str:
    """The first letters of a name's words, as acronyms are formed ("Advocate Lutheran
    General Hospital" -> "algh")."""
    return "".join(w[0] for w in re.split(r"[^a-z0-9]+", text.lower().replace("'", "")) if w)


def institution_words(name: str, state: str) -> set[str]:
    """Distinctive words of an NRMP institution name, with those of its known other name."""
    words = _institution_tokens(name, state)
    alias = INSTITUTION_ALIASES.get(name.strip())
    return words | _institution_tokens(alias[0], state) if alias else words


def _institution_tokens(name: str, state: str) -> set[str]:
    base = re.sub(rf"-{state}$", "", name.strip())
    return tokens(base, state)


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


def site_words(title: str) -> set[str]:
    """The words naming a site in a track title: what follows its first slash, without the
    words naming the track type ("Med-Prelim/Yale-Waterbury" -> {"yale", "waterbury"}).
    A suffix naming only a pathway ("Int Med/Physician Scientist") names no site."""
    if "/" not in title:
        return set()
    words = tokens(title.split("/", 1)[1]) - TRACK_WORDS
    return set() if words <= PATHWAY_WORDS else words


def program_score(nrmp_tokens: set[str], name: set[str], city: set[str]) -> float:
    """``score`` of an NRMP institution against a survey program: containment counts the
    words of the name and city, overlap only the name's (so that among a sponsor's programs
    the one with no further site words in its name ranks first)."""
    if not nrmp_tokens or not (name or city):
        return 0.0
    containment = len(nrmp_tokens & (name | city)) / len(nrmp_tokens)
    jaccard = len(nrmp_tokens & name) / len(nrmp_tokens | name) if name else 0.0
    return (1 - JACCARD_WEIGHT) * containment + JACCARD_WEIGHT * jaccard


@dataclass
class _Survey:
    pid: str
    words: set[str]
    name: set[str]
    city: set[str]
    city_text: str
    state: str
    code_state: str
    positions: int | None
    full: str = ""  # the name as plain words (``phrase``)
    initials: str = ""


@dataclass
class _Track:
    code: str
    institution: str
    words: set[str]
    site: set[str]
    state: str
    track: str
    quota: int
    title: str
    full: tuple[str, ...] = ()  # the institution's names as plain words (``phrase``)
    city: str = ""  # where a source gives one (the Florida file)
    raw_site: set[str] = field(default_factory=set)  # site words before abbreviations
    unnamed_why: str = ""  # why no source names the institution
    new: bool = False  # a track newer than NRMP 2024 (the Florida file's 2026 Match)


def link_tracks(survey: list[ProgramRecord], tracks: list[ProgramRecord],
                code_states: dict[str, str] | None = None) -> LinkReport:
    """Links from NRMP Internal Medicine tracks to survey programs, and the tracks left alone.

    ``code_states`` maps the two state digits of an ACGME id to a state code.
    """
    programs = [_survey(p, code_states or {}) for p in survey]
    im = [_track(t) for t in tracks if t.values.get("specialty_code") == IM_CODE]
    report = LinkReport()
    linked: dict[str, Link] = {}
    _link_sites(im, programs, linked)
    main_reasons = _link_institutions(im, programs, linked)
    _link_site_positions(im, programs, linked)
    unlinked = _link_same_institution(im, programs, linked, main_reasons)
    report.links = sorted(linked.values(), key=lambda x: x.track)
    report.unlinked = sorted(unlinked, key=lambda x: x.track)
    return report


def _survey(rec: ProgramRecord, code_states: dict[str, str]) -> _Survey:
    v = rec.values
    state = v.get("state", "")
    name, city = tokens(v.get("name", ""), state), tokens(v.get("city", ""))
    positions = v.get("freida_positions")
    return _Survey(rec.program_id, name | city, name, city, _plain(v.get("city", "")),
                   state, code_states.get(rec.program_id[3:5], ""), positions,
                   phrase(v.get("name", ""), state), initials(v.get("name", "")))


def _track(rec: ProgramRecord) -> _Track:
    v = rec.values
    state = v.get("state", "")
    names = [v.get("institution_name", ""), *rec.notes.get("other_names", ())]
    alias = INSTITUTION_ALIASES.get((v.get("institution_name") or "").strip())
    if alias:
        names.append(alias[0])
    words: set[str] = set()
    for name in names:
        words |= _institution_tokens(name or "", state)
    title = rec.notes.get("title", "")
    site = site_words(title)
    raw = set(re.split(r"[^a-z0-9]+", title.split("/", 1)[1].lower())) if site else set()
    return _Track(rec.program_id, v.get("institution_code", rec.program_id[:4]), words, site,
                  state, v.get("track", ""),
                  int(v.get("nrmp_quota_2024", v.get("positions", 0))), title,
                  tuple(phrase(n, state) for n in names if n), _city_key(v.get("city", "")),
                  raw - {""}, rec.notes.get("unnamed_why", ""),
                  bool(rec.notes.get("new_in_florida")))


def _city_key(city: str) -> str:
    text = " ".join(city.lower().replace(".", "").split())
    for short, full in (("st ", "saint "), ("ft ", "fort "), ("mt ", "mount ")):
        if text.startswith(short):
            text = full + text[len(short):]
    return text


def acronym_cover(t: _Track, p: _Survey) -> set[str]:
    """Site words of the track that are acronyms of the program's name (three letters or
    more, e.g. "AIMMC" in "Advocate Health Care/Advocate Illinois Masonic Medical Center")."""
    return {w for w in t.site if len(w) >= 3 and w in t.raw_site and w not in p.name
            and w in p.initials}


def _site_core(t: _Track) -> set[str]:
    """Site words without the words naming a pathway or partner specialty."""
    return t.site - PATHWAY_WORDS - PARTNER_SPECIALTIES


def _in_region(track: _Track, program: _Survey) -> bool:
    return track.state in (program.state, program.code_state)


def _link_sites(tracks: list[_Track], programs: list[_Survey],
                linked: dict[str, Link]) -> None:
    """Tracks naming a site: the institution and the site words (name first, then city).

    A program whose name matches another institution clearly better is that one's."""
    owners = _best_institution_scores(tracks, programs)
    for t in tracks:
        if not t.site:
            continue
        ranked = []
        for p in programs:
            inst = score(t.words, p.words) if t.words else 0.0
            named = (t.site & p.name) | acronym_cover(t, p)
            # a site word naming the program's city counts half, or a quarter more when the
            # name holds it too ("Presbyterian Dallas": "Texas Health Resources (Dallas)")
            cover = (len(named) + 0.5 * len(t.site & (p.city - p.name) - named)
                     + 0.25 * len(t.site & p.city & named)) / len(t.site)
            anywhere = inst >= 0.5 and cover >= 0.5 and t.site <= p.words | named
            near = _in_region(t, p) and inst >= SITE_INSTITUTION_FLOOR and cover >= 0.5
            if (anywhere or near) and inst >= owners.get(p.pid, 0.0) - OWNER_MARGIN:
                ranked.append((inst + cover, p.pid))
        ranked.sort(reverse=True)
        if ranked:
            top, pid = ranked[0]
            runner = ranked[1][0] if len(ranked) > 1 else 0.0
            if top - runner >= MIN_MARGIN:
                short = sorted(acronym_cover(t, next(p for p in programs if p.pid == pid)))
                how = f" (acronym {', '.join(w.upper() for w in short)})" if short else ""
                linked[t.code] = Link(t.code, pid, SITE, round(top / 2, 3),
                                      f"site '{t.title}' of NRMP institution {t.institution} "
                                      f"matches the program's name or city{how} (score "
                                      f"{top / 2:.2f})")
                continue
        _link_site_city(t, programs, linked, owners)


def _best_institution_scores(tracks: list[_Track], programs: list[_Survey]) -> dict[str, float]:
    """Survey program -> the best score of any NRMP institution of its state(s)."""
    institutions: dict[str, dict[str, set[str]]] = defaultdict(dict)
    for t in tracks:
        if t.words:
            institutions[t.state][t.institution] = t.words
    out = {}
    for p in programs:
        states = {p.state, p.code_state} - {""}
        out[p.pid] = max((score(words, p.words) for st in states
                          for words in institutions.get(st, {}).values()), default=0.0)
    return out


def _link_site_city(t: _Track, programs: list[_Survey], linked: dict[str, Link],
                    owners: dict[str, float]) -> None:
    """A site named exactly like a city where one survey program of the state sits. Not for a
    track newer than the survey (a new Tallahassee site of one sponsor is not another
    sponsor's Tallahassee program the survey already lists)."""
    site = " ".join(sorted(t.site))
    here = [p for p in programs if _in_region(t, p) and " ".join(sorted(p.city)) == site]
    if len(here) == 1 and site and not t.new:
        p = here[0]
        linked[t.code] = Link(t.code, p.pid, SITE, 0.5,
                              f"site '{t.title}' of NRMP institution {t.institution} is the "
                              f"city of the only survey program there ({p.city_text}, "
                              f"{p.state})")


def _link_institutions(tracks: list[_Track], programs: list[_Survey],
                       linked: dict[str, Link]) -> dict[str, Unlinked]:
    """Main tracks (no site word), institutions and programs paired best first, in passes
    until nothing changes (a program taken in one pass may settle a tie in the next).

    Returns, for each institution left unlinked, why."""
    main = _main_tracks(tracks, linked)
    weak = {inst for inst, t in main.items() if t.track == "P"}
    # a program holding another institution's site track may still be this one's main
    taken = {link.acgme_id for link in linked.values()
             if link.rule == SITE and any(t.code == link.track and t.track == "C"
                                          for t in tracks if t.institution in main)}
    quota = _categorical_quota(tracks, linked)
    everything = _categorical_quota(tracks, linked, ("C", "M", "P"))
    by_state: dict[str, list[_Survey]] = defaultdict(list)
    for p in programs:
        if p.pid not in taken:
            by_state[p.state].append(p)
            if p.code_state and p.code_state != p.state:
                by_state[p.code_state].append(p)
    pairs = []
    for inst, t in main.items():
        for p in by_state.get(t.state, []):
            pairs.append((program_score(t.words, p.name, p.city), inst, p.pid))
    pairs.sort(key=lambda x: (-x[0], x[1], x[2]))
    free_inst, free_prog = set(main), {p.pid for p in programs} - taken
    by_pid = {p.pid: p for p in programs}

    def fits(inst: str, pid: str) -> bool:
        held = by_pid[pid].positions
        return _positions_fit(held, quota.get(inst)) or _positions_fit(held, everything.get(inst))

    clues: tuple[tuple[str, Callable[[str, str], bool], str], ...] = (
        (INSTITUTION_POSITIONS, fits,
         "the only close candidate whose positions fit the quota"),
        (INSTITUTION_NAME, lambda i, q: by_pid[q].full in main[i].full,
         "the only close candidate named exactly like the institution"),
        (INSTITUTION_NAME, lambda i, q: _begins_with(by_pid[q].full, main[i].full),
         "the only close candidate whose name begins with the institution's"),
        (INSTITUTION_CITY, lambda i, q: bool(main[i].city) and
         main[i].city == _city_key(by_pid[q].city_text),
         "the only close candidate in the track's city"),
    )
    why: dict[str, Unlinked] = {}
    changed = True
    while changed:
        changed = False
        for value, inst, pid in pairs:
            if value < UNIQUE_FLOOR or inst not in free_inst or pid not in free_prog:
                continue
            if inst in weak and value < STRONG_NAME:
                continue
            rivals = [s for s, i, q in pairs if (i == inst and q != pid and q in free_prog)
                      or (q == pid and i != inst and i in free_inst
                          and _best_free(i, pairs, free_prog) - s < TIE)]
            runner = max(rivals, default=0.0)
            t = main[inst]
            rule, how = INSTITUTION, "name+state match"
            if value < MIN_SCORE:
                if runner > value / 2:
                    continue
                rule = INSTITUTION_UNIQUE
                how = "the only survey program of the state sharing its distinctive words"
            elif value - runner < MIN_MARGIN:
                close = [q for s, i, q in pairs if i == inst and q in free_prog
                         and value - s < MIN_MARGIN and s >= MIN_SCORE]
                decided = _tie_break(inst, pid, value, close, clues, pairs, free_inst,
                                     free_prog)
                if decided is None:
                    why.setdefault(inst, Unlinked(
                        t.code, "ambiguous", f"survey programs {', '.join(sorted(close))} "
                        f"match NRMP institution {inst} about equally (score {value:.2f}) "
                        "and neither name, city nor positions single one out"))
                    continue
                if not decided:
                    continue  # a clue names another close candidate: its own pair decides
                rule, how = decided
                how = f"name+state match, {how}"
            if value < STRONG_NAME and rule != INSTITUTION_NAME and \
                    _positions_clash(by_pid[pid].positions, quota.get(inst)) and \
                    _positions_clash(by_pid[pid].positions, everything.get(inst)):
                why.setdefault(inst, Unlinked(
                    t.code, "positions_mismatch", f"best name match {pid} (score "
                    f"{value:.2f}) has {by_pid[pid].positions} first-year positions against a "
                    f"quota of {quota.get(inst)} ({everything.get(inst)} with preliminary "
                    "tracks): likely another program"))
                continue
            free_inst.discard(inst)
            free_prog.discard(pid)
            why.pop(inst, None)
            changed = True
            kind = "" if t.track == "C" else f" (its {t.title} track: no categorical track)"
            linked[t.code] = Link(t.code, pid, rule, round(value, 3),
                                  f"{how} with NRMP institution {inst}{kind} (score "
                                  f"{value:.2f})")
    for inst in sorted(free_inst):
        if inst in why:
            continue
        best = [(s, q) for s, i, q in pairs if i == inst and s >= UNIQUE_FLOOR]
        t = main[inst]
        if best:
            why[inst] = Unlinked(t.code, "program_taken",
                                 f"its best name match {best[0][1]} (score {best[0][0]:.2f}) "
                                 "is linked to another institution")
    return why


def _main_tracks(tracks: list[_Track], linked: dict[str, Link]) -> dict[str, _Track]:
    """Institution -> the track standing for it: its first categorical track naming no
    site; else (no site matched) its first categorical track; else its first primary
    track, else its first preliminary track (institutions without a categorical track)."""
    main: dict[str, _Track] = {}
    for t in tracks:
        if t.track == "C" and not t.site and t.code not in linked and t.words:
            main.setdefault(t.institution, t)  # the lowest code of the institution
    with_site = _institutions_with_sites(linked, tracks)
    for t in tracks:  # every categorical track names a site, none matched: the first is main
        if t.track == "C" and t.words and t.institution not in main and \
                t.institution not in with_site:
            main[t.institution] = t
    categorical = {t.institution for t in tracks if t.track == "C"}
    plain = {t.institution for t in tracks if t.track == "C" and not t.site}
    for t in tracks:  # a primary track, when no categorical track names no site
        if t.track == "M" and not t.site and t.words and t.code not in linked and \
                t.institution not in plain:
            main.setdefault(t.institution, t)
    for t in tracks:  # a preliminary track, when the institution has no categorical track
        if t.track == "P" and not t.site and t.words and t.code not in linked and \
                t.institution not in categorical and t.institution not in with_site:
            main.setdefault(t.institution, t)
    return main


def _begins_with(name: str, institution: tuple[str, ...]) -> bool:
    """A program name beginning with one of the institution's names (two words or more)."""
    return any(len(full.split()) >= 2 and name.startswith(full + " ") for full in institution)


def _tie_break(inst: str, pid: str, value: float, close: list[str],
               clues: tuple[tuple[str, Callable[[str, str], bool], str], ...],
               pairs: list[tuple[float, str, str]], free_inst: set[str],
               free_prog: set[str]) -> tuple[str, str] | tuple[()] | None:
    """The first clue that singles out one close candidate decides: ``(rule, how)`` when it
    is ``pid`` and no other free institution as close to ``pid`` passes the same clue;
    ``()`` when it singles out another candidate; None when no clue decides."""
    for rule, test, how in clues:
        singled = [q for q in close if test(inst, q)]
        if len(singled) != 1:
            continue
        if singled != [pid]:
            return ()
        if any(i != inst and i in free_inst and value - s < MIN_MARGIN
               and _best_free(i, pairs, free_prog) - s < TIE and test(i, pid)
               for s, i, q in pairs if q == pid):
            return None
        return rule, how
    return None


def _link_site_positions(tracks: list[_Track], programs: list[_Survey],
                         linked: dict[str, Link]) -> None:
    """Site tracks left alone: the one matching program without tracks whose first-year
    positions equal the site's quota (categorical and primary, or with preliminary too)."""
    held = {found.acgme_id for found in linked.values()}
    sites: dict[tuple[str, frozenset[str]], list[_Track]] = defaultdict(list)
    for t in tracks:
        if t.site and t.code not in linked and t.words:
            sites[(t.institution, frozenset(_site_core(t) or t.site))].append(t)
    for (inst, _), group in sorted(sites.items(), key=lambda kv: (kv[0][0], sorted(kv[0][1]))):
        first = next((t for t in group if t.track == "C"), None)
        if first is None:
            continue
        counted = sum(t.quota for t in group if t.track in ("C", "M"))
        with_prelim = counted + sum(t.quota for t in group if t.track == "P")
        fits = [p for p in programs if p.pid not in held and _in_region(first, p)
                and p.positions in (counted, with_prelim) and p.positions
                and program_score(first.words, p.name, p.city) >= SITE_POSITIONS_FLOOR]
        if len(fits) != 1:
            continue
        p = fits[0]
        held.add(p.pid)
        linked[first.code] = Link(
            first.code, p.pid, SITE_POSITIONS, 0.5,
            f"site '{first.title}' of NRMP institution {inst}: the only program of "
            f"{first.state} matching the institution's name (score "
            f"{program_score(first.words, p.name, p.city):.2f}) with no track yet and "
            f"{p.positions} first-year positions, as many as the site's tracks")


def _best_free(inst: str, pairs: list[tuple[float, str, str]], free_prog: set[str]) -> float:
    """The best score of an institution among the programs still free (pairs are sorted)."""
    return next((s for s, i, q in pairs if i == inst and q in free_prog), 0.0)


def _institutions_with_sites(linked: dict[str, Link], tracks: list[_Track]) -> set[str]:
    by_code = {t.code: t for t in tracks}
    return {by_code[link.track].institution for link in linked.values()}


def _positions_clash(positions: int | None, quota: int | None) -> bool:
    """First-year positions and Match quota too far apart for one program."""
    if not positions or not quota:
        return False
    return max(positions, quota) > 1.75 * min(positions, quota) + 2


def _categorical_quota(tracks: list[_Track], linked: dict[str, Link],
                       kinds: tuple[str, ...] = ("C", "M")) -> dict[str, int]:
    """Institution -> Match quota of its tracks naming no site (FREIDA's first-year positions
    may count preliminary positions too, hence ``kinds``)."""
    out: dict[str, int] = defaultdict(int)
    for t in tracks:
        if t.track in kinds and t.code not in linked and not t.site:
            out[t.institution] += t.quota
    return out


def _plain(text: str) -> str:
    return " ".join(text.split())


def _positions_fit(positions: int | None, quota: int | None) -> bool:
    if positions is None or quota is None:
        return False
    return abs(positions - quota) <= max(1, round(0.1 * quota))


def _link_same_institution(tracks: list[_Track], programs: list[_Survey],
                           linked: dict[str, Link],
                           main_reasons: dict[str, Unlinked]) -> list[Unlinked]:
    by_code = {t.code: t for t in tracks}
    homes: dict[str, dict[str, str]] = defaultdict(dict)  # institution -> program -> rule
    for link in linked.values():
        homes[by_code[link.track].institution][link.acgme_id] = link.rule
    main_of = {by_code[link.track].institution: link.acgme_id for link in linked.values()
               if link.rule in MAIN_RULES}
    by_pid = {p.pid: p for p in programs}
    site_cores: dict[str, set[str]] = defaultdict(set)
    for t in tracks:
        if t.track in ("C", "M"):
            site_cores[t.institution] |= _site_core(t)
    site_home: dict[tuple[str, frozenset[str]], str] = {}
    for found in linked.values():
        t = by_code[found.track]
        if t.site and found.rule in (SITE, SITE_POSITIONS):
            site_home.setdefault((t.institution, frozenset(_site_core(t) or t.site)),
                                 found.acgme_id)
    unlinked = []
    for t in tracks:
        if t.code in linked:
            continue
        places = homes.get(t.institution, {})
        main = main_of.get(t.institution)
        if main is None and len(places) == 1:
            # the institution's one linked program (reached by a site track) is its main
            # program when the institution's name matches it strongly
            only = by_pid[next(iter(places))]
            if program_score(t.words, only.name, only.city) >= STRONG_NAME:
                main = only.pid
        sibling = site_home.get((t.institution, frozenset(_site_core(t) or t.site)))
        home = sibling if t.site and sibling else _home(t, places, main, by_pid,
                                                        site_cores[t.institution])
        if home is None:
            reason = main_reasons.get(t.institution)
            if reason is not None and not t.site and not places:
                unlinked.append(Unlinked(t.code, reason.reason, reason.detail))
            else:
                unlinked.append(_why(t, places, main))
            continue
        linked[t.code] = Link(t.code, home, SAME_INSTITUTION, 1.0,
                              f"another track ('{t.title}') of NRMP institution "
                              f"{t.institution}, whose program is linked")
    return unlinked


def _home(t: _Track, places: dict[str, str], main: str | None,
          programs: dict[str, _Survey], site_cores: set[str]) -> str | None:
    """The institution's program a track joins: the one its site words name (an acronym of
    the program's name counts; pathway and partner-specialty words are left out), or for a
    track naming no site (or only a pathway) the institution's main program."""
    if not t.site:
        return main
    core = _site_core(t) or t.site
    naming = [pid for pid in places
              if core <= programs[pid].name | acronym_cover(t, programs[pid])]
    if len(naming) == 1:
        return naming[0]
    if naming:
        # words naming only the institution itself ("Medicine-Primary/UCLA-VA"): its main
        return main if main in naming and core <= t.words else None
    # a primary-care track names a clinic or grant, not a program of its own
    if t.track == "M":
        return main
    # a preliminary year for another specialty's program ("Med-Prelim/Neurology-Tufts")
    # names that program, unless the institution runs an IM site of that name
    if t.track == "P" and t.site & PARTNER_SPECIALTIES and not core & site_cores:
        return main
    return None


def _why(t: _Track, places: dict[str, str], main: str | None) -> Unlinked:
    if not t.words:
        because = f": {t.unnamed_why}" if t.unnamed_why else ""
        return Unlinked(t.code, "unnamed_institution",
                        f"no source names NRMP institution {t.institution}{because}")
    if t.site:
        return Unlinked(t.code, "site_unmatched",
                        f"'{t.title}' names a site no survey program of NRMP institution "
                        f"{t.institution} matches")
    if places and main is None:
        return Unlinked(t.code, "main_program_unlinked",
                        f"institution {t.institution} has linked site programs, but its "
                        f"main program is not linked and '{t.title}' names no site")
    if places:
        return Unlinked(t.code, "several_sites",
                        f"institution {t.institution} runs {len(places)} linked programs and "
                        f"'{t.title}' names none of their sites")
    return Unlinked(t.code, "no_matching_program",
                    f"no survey program in {t.state} matches NRMP institution "
                    f"{t.institution} clearly enough (name score floor {MIN_SCORE}, "
                    f"margin {MIN_MARGIN})")
