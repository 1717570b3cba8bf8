"""The plan as a printable PDF: summary, curve, map, the list with reasons, exclusions,
what-ifs, and the sources and data dates behind it."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

import matplotlib
from fpdf import FPDF

from smartpick.plan.result import Excluded, PlanResult
from smartpick.report.charts import curve_png, map_png

FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
FONT = "DejaVu"
EXCLUDED_SHOWN_PER_RULE = 15


def _pct(value: Any) -> str:
    return "–" if value is None else f"{100 * float(value):.0f}%"


class PlanReport(FPDF):
    def __init__(self) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.add_font(FONT, "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.set_auto_page_break(auto=True, margin=15)
        self.set_margins(15, 15, 15)

    def footer(self) -> None:
        self.set_y(-10)
        self.set_font(FONT, "", 8)
        self.set_text_color(110)
        self.cell(0, 5, f"SmartPick plan · page {self.page_no()}", align="C")
        self.set_text_color(0)

    def heading(self, text: str, size: int = 13) -> None:
        self.ln(2)
        self.set_font(FONT, "B", size)
        self.multi_cell(0, 7, text, new_x="LMARGIN", new_y="NEXT")
        self.set_font(FONT, "", 10)

    def line_text(self, text: str, size: int = 10) -> None:
        self.set_font(FONT, "", size)
        self.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")


def _flag(value: bool | None) -> str:
    return "unknown" if value is None else ("yes" if value else "no")


def _summary(pdf: PlanReport, plan: PlanResult) -> None:
    low, high = plan.p_match_interval
    pdf.heading("SmartPick application plan", 17)
    pdf.line_text(f"Season {plan.season} · made {date.today().isoformat()}", 9)
    pdf.ln(2)
    pdf.line_text(f"Chance of matching with this list: {_pct(plan.p_match)} "
                  f"(interval {_pct(low)}–{_pct(high)})", 12)
    count = f"{len(plan.programs)} program{'' if len(plan.programs) == 1 else 's'}"
    pdf.line_text(f"{count} · ERAS fees ${plan.cost_usd:,.0f} + once-a-season fees "
                  f"${plan.fixed_fees_usd:,.0f} · expected interviews "
                  f"{plan.expected_interviews:.1f}", 11)
    if plan.budget_usd is not None:
        pdf.line_text(f"Of your ${plan.budget_usd:,.0f} budget, ${plan.fixed_fees_usd:,} goes "
                      "to once-a-season fees.", 10)
    rec = plan.recommendation
    if rec is not None and rec.rest_programs:
        first = "the first program" if rec.n == 1 else f"the first {rec.n} programs"
        other = ("the last program adds" if rec.rest_programs == 1
                 else f"the other {rec.rest_programs} add")
        pdf.line_text(f"Our advice: {first} (${rec.cost_usd:,} of ERAS fees, "
                      f"{_pct(rec.p_match)}); {other} "
                      f"{100 * rec.rest_adds:.1f} points for ${rec.rest_cost_usd:,}.", 10)


def _pictures(pdf: PlanReport, plan: PlanResult,
              points: list[tuple[float, float]]) -> None:
    if plan.curve:
        pdf.heading("What more applications would buy")
        pdf.image(curve_png(plan.curve, len(plan.programs)), w=170)
    pdf.heading("Where the programs are")
    pdf.image(map_png(points), w=170)


def _program_list(pdf: PlanReport, plan: PlanResult) -> None:
    pdf.add_page()
    pdf.heading("The list, in order (the first k programs are the best list of size k)")
    for rank, p in enumerate(plan.programs, start=1):
        pdf.set_font(FONT, "B", 10)
        place = ", ".join(str(x) for x in (p.city, p.state) if x)
        pdf.multi_cell(0, 5, f"{rank}. {p.name or p.program_id} ({place})",
                       new_x="LMARGIN", new_y="NEXT")
        low, high = p.p_interview_interval
        pdf.line_text(f"{p.program_id} · {p.specialty} · tier "
                      f"{p.tier} · P(interview) {_pct(p.p_interview)} "
                      f"({_pct(low)}–{_pct(high)}) · gain "
                      f"{_pct(p.marginal_p_match)} · signal {p.signal} · J-1 "
                      f"{_flag(p.visa_j1)}, H-1B {_flag(p.visa_h1b)}"
                      f" · {p.verdict}", 9)
        for reason in p.reasons:
            pdf.set_x(20)
            pdf.set_font(FONT, "", 8)
            pdf.multi_cell(0, 4, f"– {reason}", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)


def _excluded(pdf: PlanReport, plan: PlanResult) -> None:
    groups: dict[str, list[Excluded]] = defaultdict(list)
    for item in plan.excluded:
        groups[item.rule].append(item)
    if not groups:
        return
    pdf.heading("Programs left out, by rule")
    for rule, items in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        pdf.set_font(FONT, "B", 10)
        pdf.multi_cell(0, 5, f"{rule}: {len(items)} programs", new_x="LMARGIN", new_y="NEXT")
        for item in items[:EXCLUDED_SHOWN_PER_RULE]:
            pdf.line_text(f"{item.program_id}: {item.reason}", 8)
        if len(items) > EXCLUDED_SHOWN_PER_RULE:
            pdf.line_text(f"… and {len(items) - EXCLUDED_SHOWN_PER_RULE} more (see the CSV/XLSX)",
                          8)


def _what_if_and_sources(pdf: PlanReport, plan: PlanResult,
                         sources: list[tuple[str, str]]) -> None:
    if plan.what_if:
        pdf.heading("What if")
        for w in plan.what_if:
            pdf.line_text(f"{w.change}: P(match) {_pct(w.p_match)}, "
                          f"ERAS fees ${w.cost_usd:,.0f}")
    pdf.heading("Sources and data dates")
    for source, as_of in sources:
        pdf.line_text(f"{source} (as of {as_of or 'undated'})", 8)
    pdf.line_text("Chances are model probabilities with their intervals, calibrated against "
                  "published NRMP outcomes; facts marked estimated are a model's guess.", 8)


def plan_pdf(plan: PlanResult, points: list[tuple[float, float]] | None = None,
             sources: list[tuple[str, str]] | None = None) -> bytes:
    """The report as PDF bytes. ``points``: map positions of the chosen programs."""
    pdf = PlanReport()
    pdf.add_page()
    _summary(pdf, plan)
    _pictures(pdf, plan, points or [])
    _program_list(pdf, plan)
    _excluded(pdf, plan)
    _what_if_and_sources(pdf, plan, sources or [])
    return bytes(pdf.output())
