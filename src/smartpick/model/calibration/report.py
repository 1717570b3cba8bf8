"""Writes ``docs/calibration.md`` and its plots from an evaluation of the fitted parameters."""

from __future__ import annotations

from pathlib import Path

from smartpick.model.calibration import plots
from smartpick.model.calibration.calibrate import HELD_OUT_RECORD_SHARE, HELD_OUT_SPECIALTIES
from smartpick.model.calibration.effects import LIST_SIZE, Effect
from smartpick.model.calibration.evaluation import Evaluation
from smartpick.model.calibration.figures import Figure
from smartpick.model.calibration.fit_interview import YOG_PRIOR
from smartpick.model.coefficients import COEFFICIENTS
from smartpick.model.params import ModelParams

IMG_DIR = Path("img") / "calibration"
PLOTS = {
    "match_rate.png": plots.match_rates,
    "p_match_vs_ranks.png": plots.p_match_vs_ranks,
    "p_match_vs_step2.png": plots.p_match_vs_step2,
}


def write_report(ev: Evaluation, params: ModelParams, docs_dir: Path) -> Path:
    img = docs_dir / IMG_DIR
    for name, draw in PLOTS.items():
        draw(ev, params, img / name)
    plots.reliability(ev, img / "reliability.png")
    plots.effects(ev.effects, img / "effects.png")
    path = docs_dir / "calibration.md"
    path.write_text("\n".join(_lines(ev, params)) + "\n", encoding="utf-8")
    return path


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    return f"{value * 100:.1f}%" if unit == "share" else f"{value:.2f}"


def _tol(f: Figure) -> str:
    if f.tolerance is None:
        return "—"
    tol = f"{f.tolerance * 100:.1f} pts" if f.unit == "share" else f"{f.tolerance:.2f}"
    return tol + ("" if f.target is None or f.tolerance <= f.target + 1e-9 else " (widened)")


def _figure_row(f: Figure) -> str:
    role = "held out" if f.held_out else ("fitted" if f.gated else "fit data")
    verdict = "pass" if f.ok else "FAIL"
    if not f.gated:
        verdict = "—"
    target = {None: "—", True: "yes", False: "no"}[f.meets_target]
    return (f"| {f.figure} | {_fmt(f.published, f.unit)} | {_fmt(f.predicted, f.unit)} | "
            f"{_tol(f)} | {target} | {role} | {verdict} | {f.note} |")


def _effect_row(e: Effect) -> str:
    o, b, a = e.interview_or, e.p_match_before, e.p_match_after
    return (f"| {e.name} | {o[0]:.2f} ({o[1]:.2f}–{o[2]:.2f}) | {b[0] * 100:.1f}% "
            f"({b[1] * 100:.1f}–{b[2] * 100:.1f}) | {a[0] * 100:.1f}% ({a[1] * 100:.1f}–"
            f"{a[2] * 100:.1f}) | {e.basis} | {e.published} |")


def _lines(ev: Evaluation, params: ModelParams) -> list[str]:
    gated = [f for f in ev.figures if f.gated]
    missed = [f for f in gated if f.meets_target is False]
    lines = [
        "# Calibration report",
        "",
        f"Model version {params.version}, seed {params.meta.get('seed')}. Regenerate with "
        "`smartpick calibrate` (refits, rewrites `src/smartpick/model/params.json`, this page "
        "and its plots); `smartpick calibrate --check --format json` evaluates the shipped "
        "parameters and exits non-zero when a fitted figure is off by more than its tolerance.",
        "",
        "## Summary",
        "",
        f"- {len(ev.figures)} figures: {len(gated)} fitted (gated), "
        f"{sum(f.held_out for f in ev.figures)} held out or comparison only.",
        f"- Fitted figures within their stated tolerance: {sum(f.ok for f in gated)} of "
        f"{len(gated)}. Within SmartPick's strict target (3 points of match rate, 1 rank, "
        f"3 Step 2 CK points): {len(gated) - len(missed)} of {len(gated)}.",
        *(f"  - strict target missed: {f.figure}: published {_fmt(f.published, f.unit)}, "
          f"predicted {_fmt(f.predicted, f.unit)} ({f.note})" for f in missed),
        "- A tolerance is SmartPick's target, widened to 1.96 standard errors of the published "
        "figure where the published cohort is small (a median of 5 applicants is itself "
        "uncertain by many points); such rows say \"(widened)\".",
        "",
        "## The model",
        "",
        "- Interview: `P(interview | applied) = sigmoid(alpha_specialty + i_step2 * zs2 + "
        "applicant terms + program terms + sigma_i * u)`, where `zs2` is Step 2 CK in units of "
        "15 points from 245, applicant terms are USCE (log months), years since graduation, "
        "failed attempts, US letters, research, a numeric Step 1 and the applicant type, and "
        "program terms are the IMG share (for IMGs), interviews per position, positions, 2024 "
        "fill rate, visa fit, state ties, signals and preferred-rule misses.",
        "- Match given interview: `r = sigmoid(gamma_specialty + slope_specialty * zs2 + "
        "m_rest * applicant terms + m_gold * gold + m_pref * misses + sigma_m * u)`; a list's "
        "chance is `1 - prod(1 - P(interview) * r)` averaged over the shared shock `u`.",
        "- `u` is one standard-normal shock per applicant, shared by every program: it makes "
        "the outcomes of one application correlated (the planner's scenarios draw it).",
        "- Unknown program facts are averaged over 8 prior nodes; intervals (80%) span "
        f"{params.n_draws} parameter draws and those nodes.",
        "",
        "## What was fitted and what was held back",
        "",
        "- **Match given interview** (per specialty intercept and Step 2 CK slope, shared "
        "shock spread): fitted to Charting Outcomes 2026 (non-US IMGs): the match rate and the "
        "matched / unmatched distributions of contiguous ranks and Step 2 CK of every specialty "
        "whose distributions were published, except the held-out specialties "
        f"{', '.join(sorted(HELD_OUT_SPECIALTIES))}. Their intercepts come from a regression of "
        "the fitted intercepts on applicants per position; their figures below are predictions.",
        "- **Interview** (Internal Medicine intercept, Step 2 CK, hands-on USCE, years since "
        "graduation, applicant type, shock spread): fitted to self-reported IM applicant "
        f"records (applications and interviews); {HELD_OUT_RECORD_SHARE:.0%} of the records, "
        "drawn with the seed and stratified by applicant type, were held out. The years-since-"
        f"graduation slope carries a stated prior, normal with mean {YOG_PRIOR[0]} and SD "
        f"{YOG_PRIOR[1]} per year, because the records alone cannot pin it down.",
        "- **Interview intercepts of other specialties**: set so the published cohort, "
        "applying to min(120, 60% of the specialty's programs), gets the published mean number "
        "of contiguous ranks (an assumption on application counts; 65% of the cohort is taken "
        "to need a J-1).",
        "- **Program facts**: unknown facts are integrated over priors (8 quantile nodes of "
        "the known values in the specialty; the IMG share also by program type; visa as a "
        "distribution over J-1 / H-1B combinations) learned from the catalog "
        f"({params.meta.get('n_catalog_programs')} programs).",
        "- **Not used in any fit**: NRMP yearly match rates by applicant type (2025), the "
        "failed-attempt figure, and the held-out records and specialties.",
        "- Charting Outcomes rates (preferred specialty) and NRMP yearly rates (any PGY-1 "
        "position) are never mixed in one fit.",
        "",
        "## Match rate per specialty",
        "",
        f"![predicted vs published match rate]({IMG_DIR / 'match_rate.png'})",
        "",
        "## P(match) vs interviews and vs Step 2 CK",
        "",
        f"![P(match) vs contiguous ranks]({IMG_DIR / 'p_match_vs_ranks.png'})",
        "",
        f"![P(match) vs Step 2 CK]({IMG_DIR / 'p_match_vs_step2.png'})",
        "",
        "## Reliability on applicant records",
        "",
        f"![reliability]({IMG_DIR / 'reliability.png'})",
        "",
        "## Effect sizes",
        "",
        f"Reference applicant: non-US IMG, Step 2 CK 245, 3 years since graduation, 4 months of "
        f"hands-on USCE, needs a J-1, applying to {LIST_SIZE} Internal Medicine programs "
        "(a seeded list, visa-friendly programs first). Intervals are 80% over parameter draws.",
        "",
        f"![effects]({IMG_DIR / 'effects.png'})",
        "",
        "| change | interview odds ratio | P(match) before | P(match) after | basis | "
        "published figure |",
        "|---|---|---|---|---|---|",
        *(_effect_row(e) for e in ev.effects),
        "",
        "## Every figure",
        "",
        "| figure | published | predicted | tolerance | strict target met | role | check | "
        "note |",
        "|---|---|---|---|---|---|---|---|",
        *(_figure_row(f) for f in ev.figures),
        "",
        "## Coefficients",
        "",
        "| name | value | origin | spread of draws | meaning |",
        "|---|---|---|---|---|",
        *(f"| {c.name} | {params.coef[c.name]:.3f} | {c.origin} | "
          f"{_spread(params, c.name):.3f} | {c.meaning} |" for c in COEFFICIENTS),
        "",
        "## Caveats",
        "",
        "- The published cohorts are rebuilt from quartiles, means and SDs; contiguous ranks "
        "and Step 2 CK are taken as independent within the matched and within the unmatched "
        "group. Other applicant facts of the cohorts are unknown and stand at the reference.",
        "- Applicant records are self-reported and self-selected (2023-24); USCE months are "
        "read as hands-on, in-specialty months.",
        "- Program terms (IMG share, interviews per position, positions, fill rate, visa, "
        "ties, signals, preferred-rule misses) have assumed coefficients: no shipped source "
        "gives program-level outcomes. They are listed above as assumptions.",
        "- NRMP yearly rates count a match to any PGY-1 position; the comparison figures score "
        "one Internal Medicine list for a reference applicant (Step 2 CK 245, below the US "
        "graduates' typical score), so they are a sense check, not a fit. The US DO row is far "
        "below NRMP's rate: the DO offset rests on 20 self-reported records, most DO applicants "
        "(COMLEX only) are absent from them, and the list holds 59 IM programs only.",
        f"- {params.n_draws} parameter draws make the interval ends coarse (a point estimate "
        "can sit near an end).",
    ]
    return lines


def _spread(params: ModelParams, name: str) -> float:
    values = params.draws.get(name, [0.0])
    mean = sum(values) / len(values)
    return float((sum((v - mean) ** 2 for v in values) / len(values)) ** 0.5)
