"""Random small markets for the property tests of the match engine."""

from __future__ import annotations

from hypothesis import strategies as st

Prefs = dict[str, list[str]]


@st.composite
def named_markets(draw: st.DrawFn, max_applicants: int = 12, max_programs: int = 6) -> tuple:
    """Applicant lists, program lists (over exactly the applicants who ranked them, in a
    random order) and capacities, all keyed by name."""
    n_app = draw(st.integers(0, max_applicants))
    n_prog = draw(st.integers(1, max_programs))
    programs = [f"p{j}" for j in range(n_prog)]
    applicants = [f"a{i}" for i in range(n_app)]
    applicant_prefs: Prefs = {}
    for a in applicants:
        ranked = draw(st.permutations(programs))
        applicant_prefs[a] = list(ranked[: draw(st.integers(0, n_prog))])
    program_prefs: Prefs = {}
    for p in programs:
        suitors = [a for a in applicants if p in applicant_prefs[a]]
        program_prefs[p] = list(draw(st.permutations(suitors)))
    capacities = {p: draw(st.integers(0, 3)) for p in programs}
    return applicant_prefs, program_prefs, capacities
