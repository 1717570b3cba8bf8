"""The calibration report's plots (PNG, deterministic: fixed sizes, no timestamps)."""

from __future__ import annotations

from pathlib import Path

import matplotlib
import matplotlib.ticker

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
from numpy.typing import NDArray

from smartpick.model.calibration.cohort import Quartiles
from smartpick.model.calibration.effects import Effect
from smartpick.model.calibration.evaluation import Evaluation
from smartpick.model.calibration.figures import specialty_fit
from smartpick.model.calibration.fit_match import p_match_given
from smartpick.model.calibration.reliability import RecordPrediction
from smartpick.model.params import ModelParams

PNG_META = {"Software": None}


def _save(fig: plt.Figure, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=100, metadata=PNG_META)
    plt.close(fig)


def match_rates(ev: Evaluation, params: ModelParams, path: Path) -> None:
    fig, ax = plt.subplots(figsize=(7, 6.5))
    for c in ev.cohorts:
        pub = ev.published[c.specialty].match_rate
        held = params.specialty(c.specialty).source != "fitted"
        ax.scatter(pub * 100, c.rate * 100, color="tab:orange" if held else "tab:blue",
                   marker="s" if held else "o", zorder=3)
        ax.annotate(c.specialty, (pub * 100, c.rate * 100), fontsize=7,
                    xytext=(3, 3), textcoords="offset points")
    line = np.array([10, 75])
    ax.plot(line, line, color="grey", lw=1)
    ax.fill_between(line, line - 3, line + 3, color="grey", alpha=0.15, label="±3 points")
    ax.scatter([], [], color="tab:blue", label="fitted")
    ax.scatter([], [], color="tab:orange", marker="s", label="held out (predicted)")
    ax.set(xlabel="published match rate, % (Charting Outcomes 2026)",
           ylabel="deployed model's match rate, %",
           title="Non-US IMG match rate by specialty (interviews predicted by the model)")
    ax.legend(loc="upper left")
    _save(fig, path)


def _grid(n: int) -> tuple[plt.Figure, np.ndarray]:
    cols = 4
    rows = int(np.ceil(n / cols))
    fig, axes = plt.subplots(rows, cols, figsize=(12, 2.6 * rows), squeeze=False)
    for ax in axes.ravel()[n:]:
        ax.axis("off")
    return fig, axes.ravel()


def p_match_vs_ranks(ev: Evaluation, params: ModelParams, path: Path) -> None:
    _p_match_panels(ev, params, path, "ranks", np.arange(1, 21, dtype=float),
                    "P(match) vs contiguous ranks (at the median Step 2 CK)")


def p_match_vs_step2(ev: Evaluation, params: ModelParams, path: Path) -> None:
    _p_match_panels(ev, params, path, "step2", np.arange(210.0, 281.0, 2.0),
                    "P(match) vs Step 2 CK (at the median number of ranks)")


def _p_match_panels(ev: Evaluation, params: ModelParams, path: Path, measure: str,
                    xs: NDArray[np.float64], title: str) -> None:
    """One panel per specialty: P(match) along ``measure`` (ranks or step2), the other measure
    held at its published pooled median, with the published matched/unmatched medians."""
    fig, axes = _grid(len(ev.cohorts))
    for ax, c in zip(axes, ev.cohorts, strict=False):
        pub = ev.published[c.specialty]
        along, other = (pub.ranks, pub.step2) if measure == "ranks" else (pub.step2, pub.ranks)
        held = np.full_like(xs, _pooled_median(other))
        ks, s2 = (xs, held) if measure == "ranks" else (held, xs)
        pm = p_match_given(ks, s2, specialty_fit(params, c.specialty), params.coef["sigma_m"],
                           ev.contexts[c.specialty])
        ax.plot(xs, pm, color="tab:blue")
        ax.axvline(along["matched"].median, color="tab:green", ls="-", lw=1)
        ax.axvline(along["not_matched"].median, color="tab:red", ls="--", lw=1)
        ax.set_title(_title(c.specialty, params), fontsize=8)
        ax.set_ylim(0, 1)
        ax.tick_params(labelsize=7)
    fig.suptitle(f"{title}; green / red = published median of matched / unmatched", fontsize=9)
    fig.tight_layout()
    _save(fig, path)


def _title(specialty: str, params: ModelParams) -> str:
    held = params.specialty(specialty).source != "fitted"
    return f"{specialty} (held out)" if held else specialty


def _pooled_median(groups: dict[str, Quartiles]) -> float:
    m, u = groups["matched"], groups["not_matched"]
    return float(round((m.n * m.median + u.n * u.median) / (m.n + u.n)))


def reliability(ev: Evaluation, path: Path) -> None:
    fig, ax = plt.subplots(figsize=(6.5, 6))
    for preds, label, color in ((ev.records_fit, "fit records", "tab:blue"),
                                (ev.records_held, "held-out records", "tab:orange")):
        x, y = _binned(preds)
        ax.plot(x * 100, y * 100, marker="o", color=color, label=label)
        ax.scatter([p.expected / p.applications * 100 for p in preds],
                   [p.interviews / p.applications * 100 for p in preds],
                   s=8, alpha=0.25, color=color)
    ax.plot([0, 80], [0, 80], color="grey", lw=1)
    ax.set(xscale="symlog", yscale="symlog", xlabel="predicted interviews per application, %",
           ylabel="reported interviews per application, %",
           title="Interview rate: predicted vs reported (IM records; lines: 5 bins)")
    ax.legend()
    _save(fig, path)


def _binned(preds: list[RecordPrediction], bins: int = 5) -> tuple[np.ndarray, np.ndarray]:
    order = sorted(preds, key=lambda p: p.expected / p.applications)
    chunks = np.array_split(np.arange(len(order)), bins)
    x = [sum(order[i].expected for i in c) / sum(order[i].applications for i in c)
         for c in chunks if len(c)]
    y = [sum(order[i].interviews for i in c) / sum(order[i].applications for i in c)
         for c in chunks if len(c)]
    return np.array(x), np.array(y)


def effects(items: list[Effect], path: Path) -> None:
    fig, ax = plt.subplots(figsize=(10, 3.8))
    ys = np.arange(len(items))
    for y, e in zip(ys, items, strict=True):
        point, lo, hi = e.interview_or
        color = "tab:blue" if e.basis.startswith("fitted") else "tab:grey"
        ax.errorbar(point, y, xerr=[[point - lo], [hi - point]], fmt="o", color=color)
    ax.axvline(1.0, color="black", lw=0.8)
    ax.set_xscale("log")
    ticks = [0.1, 0.2, 0.5, 1, 2, 5, 10]
    ax.set_xticks(ticks, [f"{t:g}" for t in ticks])
    ax.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
    ax.set_yticks(ys, [e.name for e in items], fontsize=8)
    ax.set_xlabel("interview odds ratio (80% interval)")
    fig.suptitle("Effect sizes for the reference non-US IMG (blue: fitted, grey: assumed)",
                 fontsize=10)
    fig.tight_layout()
    _save(fig, path)
