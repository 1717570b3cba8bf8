"""A market written by hand (YAML or JSON) reads back as the market it describes, and the
outcome told from it is consistent with every list in it."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smartpick.errors import InputError
from smartpick.market.extended import ExtendedMarket
from smartpick.market.market_file import load_market, parse_market
from smartpick.market.outcome import describe
from smartpick.market.roth_peranson import match_extended

PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def market_files(draw: st.DrawFn) -> dict:
    """A sound market file: singles (some with an advanced track and a supplemental list),
    couples with joint lists of pairs, programs ranking any of them."""
    programs = [f"P{j}" for j in range(draw(st.integers(1, 5)))]
    advanced = [p for p in programs if draw(st.booleans()) and p != programs[0]]
    pgy1 = [p for p in programs if p not in advanced]
    people = [f"a{i}" for i in range(draw(st.integers(1, 8)))]
    n_couples = draw(st.integers(0, len(people) // 2))
    members, singles = people[: 2 * n_couples], people[2 * n_couples:]
    applicants = {}
    for a in singles:
        ranks = draw(st.lists(st.sampled_from(programs), unique=True))
        entry: dict = {"ranks": ranks}
        if set(ranks) & set(advanced):
            entry["supplemental"] = draw(st.lists(st.sampled_from(pgy1), unique=True))
        applicants[a] = entry
    choices = st.one_of(st.none(), st.sampled_from(programs))
    pairs = st.tuples(choices, choices).filter(lambda pair: pair != (None, None))
    couples = [{"members": [members[2 * i], members[2 * i + 1]],
                "ranks": [list(pair) for pair in draw(st.lists(pairs, unique=True))]}
               for i in range(n_couples)]
    return {
        "programs": {p: {"positions": draw(st.integers(0, 2)), "advanced": p in advanced,
                         "ranks": draw(st.permutations(people))[: draw(st.integers(0, 8))]}
                     for p in programs},
        "applicants": applicants,
        "couples": couples,
    }


def _market(data: dict) -> ExtendedMarket:
    return ExtendedMarket(
        capacities={p: s["positions"] for p, s in data["programs"].items()},
        program_prefs={p: list(s["ranks"]) for p, s in data["programs"].items()},
        singles={a: s["ranks"] for a, s in data["applicants"].items()},
        supplemental={a: s["supplemental"] for a, s in data["applicants"].items()
                      if s.get("supplemental")},
        advanced=frozenset(p for p, s in data["programs"].items() if s["advanced"]),
        couples={tuple(c["members"]): [tuple(pair) for pair in c["ranks"]]
                 for c in data["couples"]},
    )


@PROPERTY
@given(market_files())
def test_yaml_and_json_files_read_back_as_the_market_they_describe(data: dict) -> None:
    with tempfile.TemporaryDirectory() as folder:
        as_yaml, as_json = Path(folder) / "market.yaml", Path(folder) / "market.json"
        as_yaml.write_text(yaml.safe_dump(data), encoding="utf-8")
        as_json.write_text(json.dumps(data), encoding="utf-8")
        assert load_market(as_yaml) == _market(data)
        assert load_market(as_json) == _market(data)


@PROPERTY
@given(market_files())
def test_the_outcome_told_agrees_with_every_list(data: dict) -> None:
    market = parse_market(data).to_market()
    outcome = describe(market, match_extended(market))
    for p in outcome.programs:
        assert len(p.matched) + p.unfilled == p.positions and p.unfilled >= 0
        ranks = list(market.program_prefs[p.program])
        assert p.matched == sorted(p.matched, key=ranks.index)
    for a in outcome.applicants:
        if a.partner is None:
            ranked = market.singles[a.applicant]
            assert (a.program is None) == (a.choice is None)
            assert a.program is None or ranked[a.choice - 1] == a.program
    for c in outcome.couples:
        assert c.pair is None or list(market.couples[c.members])[c.choice - 1] == c.pair
    for s in outcome.supplemental:
        assert s.program is None or (s.advanced is not None
                                     and s.program in market.supplemental[s.applicant])
    assert outcome.filled == sum(len(p.matched) for p in outcome.programs)
    assert outcome.stable == (not outcome.blocking)


@pytest.mark.parametrize(("text", "needle"), [
    ("programs: {A: {positions: 1}}\n", "applicants: the market has no applicants"),
    ("programs: {A: {positions: 1, ranks: [x]}}\napplicants: {x: {ranks: [A]}}\n"
     "couples: [{members: [y, y], ranks: [[A, A]]}]\n",
     "couples[0].members: the two members are the same applicant 'y'"),
    ("programs: {R: {positions: 1, advanced: true}, P: {positions: 1}}\n"
     "applicants: {x: {ranks: [R], supplemental: [P, R]}}\n",
     "applicants.x.supplemental[1]: 'R' is an advanced (PGY-2) track"),
    ("programs: {A: {positions: 1}}\ncouples:\n  - {members: [k, l], ranks: [[A, null]]}\n"
     "  - {members: [l, m], ranks: [[A, B]]}\n",
     "couples[1].members: 'l' is already a member of couples[0]"),
    ("programs: {A: {positions: 1}}\ncouples:\n  - {members: [k, l], ranks: [[A, null]]}\n"
     "  - {members: [l, m], ranks: [[A, B]]}\n",
     "couples[1].ranks[0][1]: unknown program 'B'"),
    ("programs: {A: {positions: 1}}\ncouples: [{members: [k, l], ranks: [[A]]}]\n",
     "couples[0].ranks[0][1]: a pair is [program of the first member, program of the second]"),
    ("programs: {A: {positions: 1.5}}\napplicants: {x: {}}\n",
     "programs.A.positions: expected a whole number"),
    ("programs: {A: {positions: 1, ranks: ['']}}\napplicants: {x: {}}\n",
     "programs.A.ranks[0]: an id cannot be empty"),
])
def test_every_problem_names_its_field_and_line(tmp_path: Path, text: str, needle: str
                                                ) -> None:
    market = tmp_path / "market.yaml"
    market.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_market(market)
    assert any(needle in str(p) and str(p).startswith(f"{market}:")
               for p in caught.value.problems), caught.value.lines()
