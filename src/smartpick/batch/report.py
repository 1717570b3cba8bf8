"""The cohort report: P(match) across the cohort, its cost, the what-ifs and programs that
matter most, and who is at risk, as Markdown, CSV (one row per applicant) and PNG.

Built from the plans' JSON contract only, so a report of a resumed batch reads the plans
finished earlier from disk exactly like the new ones.
"""

from __future__ import annotations

import csv
import io
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from smartpick.batch.cohort import CohortRun, PlanOutcome

AT_RISK = 0.30  # P(match) under this is "at risk"
HELPED = 0.05  # a what-if "helps" an applicant when it adds at least 5 points
TOP_PROGRAMS = 15
BUCKETS = 10
CSV_HEADER = ["applicant", "source", "status", "p_match", "p_match_low", "p_match_high",
              "programs", "eras_fees_usd", "fixed_fees_usd", "total_fees_usd",
              "expected_interviews", "at_risk", "best_what_if", "best_what_if_gain", "problem"]


@dataclass(frozen=True)
class WhatIfEffect:
    change: str
    applicants: int
    mean_gain: float
    helped: int  # applicants it adds HELPED or more to
    best_gain: float
    mean_extra_cost: float


@dataclass(frozen=True)
class ProgramCount:
    program_id: str
    name: str
    specialty: str
    state: str | None
    lists: int


def write_report(run: CohortRun, title: str = "Cohort report") -> list[Path]:
    """cohort.md, cohort.csv and cohort.png in the run's output folder."""
    folder = run.out_dir
    files = [folder / "cohort.md", folder / "cohort.csv", folder / "cohort.png"]
    files[0].write_text(markdown(run, title), encoding="utf-8")
    files[1].write_text(applicant_csv(run), encoding="utf-8")
    files[2].write_bytes(cohort_png(run))
    return files


def _p(outcome: PlanOutcome) -> float:
    return float((outcome.plan or {}).get("p_match", 0.0))


def best_what_if(plan: dict[str, Any]) -> dict[str, Any] | None:
    """The what-if that adds most to this plan's P(match) (None when none adds anything)."""
    gains = [w for w in plan.get("what_if", []) if float(w.get("delta_p_match", 0)) > 0]
    return max(gains, key=lambda w: float(w["delta_p_match"]), default=None)


def what_if_effects(run: CohortRun) -> list[WhatIfEffect]:
    """Every what-if tried, by its mean gain in P(match) across the cohort (largest first)."""
    gains: dict[str, list[float]] = defaultdict(list)
    costs: dict[str, list[float]] = defaultdict(list)
    for outcome in run.planned:
        for w in (outcome.plan or {}).get("what_if", []):
            gains[w["change"]].append(float(w["delta_p_match"]))
            costs[w["change"]].append(float(w.get("delta_cost_usd", 0)))
    effects = [WhatIfEffect(change, len(g), statistics.fmean(g), sum(x >= HELPED for x in g),
                            max(g), statistics.fmean(costs[change])) for change, g in gains.items()]
    return sorted(effects, key=lambda e: (-e.mean_gain, e.change))


def program_counts(run: CohortRun) -> list[ProgramCount]:
    """Programs by the number of applicants' lists they are on (most first)."""
    counts: Counter[str] = Counter()
    about: dict[str, dict[str, Any]] = {}
    for outcome in run.planned:
        for p in (outcome.plan or {}).get("programs", []):
            counts[p["program_id"]] += 1
            about.setdefault(p["program_id"], p)
    return [ProgramCount(pid, about[pid]["name"], about[pid]["specialty"], about[pid]["state"], n)
            for pid, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def at_risk(run: CohortRun) -> list[PlanOutcome]:
    """Applicants whose plan gives P(match) under 30%, lowest first."""
    return sorted((o for o in run.planned if _p(o) < AT_RISK), key=lambda o: (_p(o), o.name))


def _money(x: float) -> str:
    return f"${x:,.0f}"


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def markdown(run: CohortRun, title: str = "Cohort report") -> str:
    """The cohort report in Markdown."""
    sections = [_headline(run, title), _distribution(run), _costs(run), _what_ifs(run),
                _programs(run), _risk(run), _not_planned(run)]
    return "\n\n".join(s for s in sections if s) + "\n"


def _headline(run: CohortRun, title: str) -> str:
    planned, failed = run.planned, run.failed
    seasons = sorted({int((o.plan or {}).get("season", 0)) for o in planned})
    lines = [f"# {title}", "",
             f"{len(run.outcomes)} applicants: {len(planned)} planned "
             f"({len(run.skipped)} finished by an earlier run), {len(failed)} not planned "
             "(see the end of this report)."]
    if seasons:
        lines.append(f"Season {', '.join(map(str, seasons))}. One plan per applicant in "
                     "`plans/`; one row per applicant in `cohort.csv`; charts in `cohort.png`.")
    return "\n".join(lines)


def _distribution(run: CohortRun) -> str:
    chances = [_p(o) for o in run.planned]
    if not chances:
        return "## P(match)\n\nNo plan was made."
    q = statistics.quantiles(chances, n=4) if len(chances) > 1 else [chances[0]] * 3
    lines = ["## P(match) across the cohort", "",
             f"Median {_pct(statistics.median(chances))} (quartiles {_pct(q[0])} to "
             f"{_pct(q[2])}), mean {_pct(statistics.fmean(chances))}; expected matches in the "
             f"cohort: {sum(chances):.1f} of {len(chances)}.", "",
             "| P(match) | applicants | |", "|---|---:|---|"]
    counts = Counter(min(int(p * BUCKETS), BUCKETS - 1) for p in chances)
    for b in range(BUCKETS):
        lo, hi = 100 * b // BUCKETS, 100 * (b + 1) // BUCKETS
        lines.append(f"| {lo}-{hi}% | {counts[b]} | {'█' * counts[b]} |")
    return "\n".join(lines)


def _costs(run: CohortRun) -> str:
    plans = [o.plan or {} for o in run.planned]
    if not plans:
        return ""
    eras = [float(p["cost_usd"]) for p in plans]
    fixed = [float(p["fixed_fees_usd"]) for p in plans]
    total = [e + f for e, f in zip(eras, fixed, strict=True)]
    return "\n".join([
        "## Cost", "",
        "| | cohort total | per applicant (mean) | median | lowest | highest |",
        "|---|---:|---:|---:|---:|---:|",
        *(f"| {label} | {_money(sum(xs))} | {_money(statistics.fmean(xs))} | "
          f"{_money(statistics.median(xs))} | {_money(min(xs))} | {_money(max(xs))} |"
          for label, xs in (("ERAS application fees", eras),
                            ("once-a-season fees", fixed), ("all fees", total))),
    ])


def _what_ifs(run: CohortRun) -> str:
    effects = what_if_effects(run)
    if not effects:
        return "## What-ifs\n\nNo what-if was tried."
    lines = ["## What-ifs that help most across the cohort", "",
             f"Each what-if is planned for every applicant; *helped* counts the applicants it "
             f"adds {100 * HELPED:.0f} points of P(match) or more to.", "",
             "| what-if | mean gain | applicants helped | largest gain | mean extra fees |",
             "|---|---:|---:|---:|---:|"]
    lines += [f"| `{e.change}` | {100 * e.mean_gain:+.1f} pts | {e.helped} of {e.applicants} | "
              f"{100 * e.best_gain:+.1f} pts | {_money(e.mean_extra_cost)} |" for e in effects]
    return "\n".join(lines)


def _programs(run: CohortRun) -> str:
    counts = program_counts(run)[:TOP_PROGRAMS]
    if not counts:
        return ""
    n = len(run.planned)
    lines = ["## Programs most recommended", "",
             "| program | id | specialty | state | on lists | share |",
             "|---|---|---|---|---:|---:|"]
    lines += [f"| {c.name} | {c.program_id} | {c.specialty} | {c.state or '?'} | {c.lists} | "
              f"{_pct(c.lists / n)} |" for c in counts]
    return "\n".join(lines)


def _risk(run: CohortRun) -> str:
    risky = at_risk(run)
    head = [f"## At risk: P(match) under {_pct(AT_RISK)}", ""]
    if not risky:
        return "\n".join([*head, "No applicant is at risk."])
    lines = [*head, f"{len(risky)} of {len(run.planned)} applicants.", "",
             "| applicant | P(match) | 80% interval | programs | ERAS fees | what helps most |",
             "|---|---:|---|---:|---:|---|"]
    for o in risky:
        plan = o.plan or {}
        lo, hi = plan.get("p_match_interval", [0, 0])
        best = best_what_if(plan)
        helps = f"`{best['change']}` ({100 * best['delta_p_match']:+.1f} pts)" if best else "-"
        lines.append(f"| {o.name} | {_pct(_p(o))} | {_pct(lo)}-{_pct(hi)} | "
                     f"{len(plan.get('programs', []))} | {_money(plan.get('cost_usd', 0))} | "
                     f"{helps} |")
    return "\n".join(lines)


def _not_planned(run: CohortRun) -> str:
    failed = run.failed
    if not failed:
        return ""
    lines = ["## Not planned", ""]
    for o in failed:
        lines += [f"- **{o.name}**", *(f"  - {p}" for p in o.problems)]
    return "\n".join(lines)


def applicant_csv(run: CohortRun) -> str:
    """One row per applicant (planned or not), in input order."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for o in run.outcomes:
        writer.writerow(_csv_row(o))
    return buffer.getvalue()


def _csv_row(o: PlanOutcome) -> list[Any]:
    if o.plan is None:
        return [o.name, o.location, "not planned", *[""] * 11, "; ".join(o.problems)]
    plan = o.plan
    lo, hi = plan.get("p_match_interval", ["", ""])
    best = best_what_if(plan)
    return [o.name, o.location, "planned", plan["p_match"], lo, hi, len(plan["programs"]),
            plan["cost_usd"], plan["fixed_fees_usd"], plan["cost_usd"] + plan["fixed_fees_usd"],
            plan["expected_interviews"], "yes" if plan["p_match"] < AT_RISK else "no",
            best["change"] if best else "", best["delta_p_match"] if best else "", ""]


def cohort_png(run: CohortRun) -> bytes:
    """Two panels: the P(match) histogram with the at-risk line, and P(match) against fees."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    chances = [_p(o) for o in run.planned]
    fees = [float((o.plan or {}).get("cost_usd", 0)) for o in run.planned]
    figure, (hist, scatter) = plt.subplots(1, 2, figsize=(10, 3.6))
    hist.hist(chances, bins=[b / BUCKETS for b in range(BUCKETS + 1)], color="#1f5fbf",
              edgecolor="white")
    hist.axvline(AT_RISK, color="#a32020", linestyle="--", label=f"at risk: under {_pct(AT_RISK)}")
    hist.set_xlabel("P(match)")
    hist.set_ylabel("applicants")
    hist.set_xlim(0, 1)
    hist.legend(loc="lower left", bbox_to_anchor=(0, 1), frameon=False)
    hist.yaxis.get_major_locator().set_params(integer=True)
    scatter.scatter(fees, chances, color="#1f5fbf", alpha=0.7, s=18)
    scatter.axhline(AT_RISK, color="#a32020", linestyle="--")
    scatter.set_xlabel("ERAS application fees (USD)")
    scatter.set_ylabel("P(match)")
    scatter.set_ylim(0, 1)
    for axes in (hist, scatter):
        axes.grid(alpha=0.3)
    figure.suptitle(f"{len(chances)} applicants planned")
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=120, bbox_inches="tight")
    plt.close(figure)
    return buffer.getvalue()
