"""The plan as a printable PDF: summary, curve, map, the list with reasons, exclusions,
what-ifs, and the sources and data dates behind it."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

import matplotlib
from fpdf import FPDF

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


def _summary(pdf: PlanReport, plan: dict[str, Any]) -> None:
    low, high = (plan.get("p_match_interval") or [None, None])[:2]
    pdf.heading("SmartPick application plan", 17)
    pdf.line_text(f"Season {plan.get('season', '?')} · made {date.today().isoformat()}", 9)
    pdf.ln(2)
    pdf.line_text(f"Chance of matching with this list: {_pct(plan.get('p_match'))} "
                  f"(interval {_pct(low)}–{_pct(high)})", 12)
    pdf.line_text(f"{len(plan.get('programs', []))} programs · ERAS fees "
                  f"${float(plan.get('cost_usd') or 0):,.0f} · expected interviews "
                  f"{float(plan.get('expected_interviews') or 0):.1f}", 11)


def _pictures(pdf: PlanReport, plan: dict[str, Any],
              points: list[tuple[float, float]]) -> None:
    if plan.get("curve"):
        pdf.heading("What more applications would buy")
        pdf.image(curve_png(plan["curve"], len(plan.get("programs", []))), w=170)
    pdf.heading("Where the programs are")
    pdf.image(map_png(points), w=170)


def _program_list(pdf: PlanReport, plan: dict[str, Any]) -> None:
    pdf.add_page()
    pdf.heading("The list, in order (the first k programs are the best list of size k)")
    for rank, p in enumerate(plan.get("programs", []), start=1):
        pdf.set_font(FONT, "B", 10)
        place = ", ".join(str(x) for x in (p.get("city"), p.get("state")) if x)
        pdf.multi_cell(0, 5, f"{rank}. {p.get('name') or p.get('program_id')} ({place})",
                       new_x="LMARGIN", new_y="NEXT")
        interval = p.get("p_interview_interval") or [None, None]
        pdf.line_text(f"{p.get('program_id')} · {p.get('specialty', '')} · tier "
                      f"{p.get('tier', '?')} · P(interview) {_pct(p.get('p_interview'))} "
                      f"({_pct(interval[0])}–{_pct(interval[1])}) · gain "
                      f"{_pct(p.get('marginal_p_match'))} · signal {p.get('signal') or 'none'}"
                      f" · {p.get('verdict', '')}", 9)
        for reason in p.get("reasons", []):
            pdf.set_x(20)
            pdf.set_font(FONT, "", 8)
            pdf.multi_cell(0, 4, f"– {reason}", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)


def _excluded(pdf: PlanReport, plan: dict[str, Any]) -> None:
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for item in plan.get("excluded", []):
        groups[str(item.get("rule"))].append(item)
    if not groups:
        return
    pdf.heading("Programs left out, by rule")
    for rule, items in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        pdf.set_font(FONT, "B", 10)
        pdf.multi_cell(0, 5, f"{rule}: {len(items)} programs", new_x="LMARGIN", new_y="NEXT")
        for item in items[:EXCLUDED_SHOWN_PER_RULE]:
            pdf.line_text(f"{item.get('program_id')}: {item.get('reason', '')}", 8)
        if len(items) > EXCLUDED_SHOWN_PER_RULE:
            pdf.line_text(f"… and {len(items) - EXCLUDED_SHOWN_PER_RULE} more (see the CSV/XLSX)",
                          8)


def _what_if_and_sources(pdf: PlanReport, plan: dict[str, Any],
                         sources: list[tuple[str, str]]) -> None:
    if plan.get("what_if"):
        pdf.heading("What if")
        for w in plan["what_if"]:
            pdf.line_text(f"{w.get('change')}: P(match) {_pct(w.get('p_match'))}, "
                          f"ERAS fees ${float(w.get('cost_usd') or 0):,.0f}")
    pdf.heading("Sources and data dates")
    for source, as_of in sources:
        pdf.line_text(f"{source} (as of {as_of or 'undated'})", 8)
    pdf.line_text("Chances are model probabilities with their intervals, calibrated against "
                  "published NRMP outcomes; facts marked estimated are a model's guess.", 8)


def plan_pdf(plan: dict[str, Any], points: list[tuple[float, float]] | None = None,
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
