"""Jinja filters that show values the same way on every page."""

from __future__ import annotations

import json
import re
from typing import Any

from jinja2 import Environment
from markupsafe import Markup, escape

from smartpick.catalog.states import STATE_NAMES
from smartpick.report.words import field_label, rule_label


def show(value: Any) -> str:
    """A fact's value in words; unknown is said, never left blank."""
    if value is None:
        return "unknown"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.1f}".removesuffix(".0")
    return str(value)


def pct(value: Any, digits: int = 0) -> str:
    if value is None:
        return "–"
    return f"{100 * float(value):.{digits}f}%"


def chance(value: Any) -> str:
    """A chance in percent, with a decimal under 10% (``0.2%``, not ``0%``)."""
    if value is None:
        return "–"
    p = float(value)
    if p < 0.001:
        return "under 0.1%"
    return f"{100 * p:.1f}%" if p < 0.1 else f"{100 * p:.0f}%"


def usd(value: Any) -> str:
    return "–" if value is None else f"${float(value):,.0f}"


def points(value: Any, signed: bool = True) -> str:
    """A change of chance in percentage points: ``0.2195`` -> ``+22 points`` (``22 points``
    unsigned, inside a sentence such as "would add 22 points")."""
    if value is None:
        return "–"
    number = 100 * float(value)
    sign = "+" if signed else ""
    shown = f"{number:{sign}.1f}" if abs(number) < 1 else f"{number:{sign}.0f}"
    unit = "point" if shown.lstrip("+-") in ("1", "1.0") else "points"
    return f"{shown.replace('-', '−')} {unit}"


def plural(count: Any, word: str, many: str | None = None) -> str:
    """``1 program``, ``2 programs`` (``many`` for an irregular plural)."""
    n = int(count or 0)
    return f"{n:,} {word if n == 1 else (many or word + 's')}"


def from_json(text: Any) -> Any:
    try:
        return json.loads(str(text))
    except (ValueError, RecursionError):
        return {}


def yes_no_unknown(value: Any) -> str:
    if value is None:
        return "unknown"
    return "yes" if value in (True, "true", "yes", 1) else "no"


WHAT_IF_WORDS = {"usce:+3m-hands-on": "had 3 more months of hands-on US clinical experience",
                 "step3:pass": "passed Step 3",
                 "budget:+1000": "spent $1,000 more on program fees",
                 "step2ck:+10": "scored 10 points more on Step 2 CK",
                 'add-specialty:"Family Medicine"': "also applied to Family Medicine, as a "
                                                    "backup"}
_REASONS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), text) for pattern, text in (
        (r"\s*\[(reported|derived|estimated|extracted|unknown)[^\]]*\]", ""),
        (r"^rules: (\d+) of (\d+) checked are met; unknown: (.*)$",
         r"you meet \1 of the \2 rules checked; not known for this program: \3 "
         "(check the program's page)"),
        (r"^rules: (\d+) of (\d+) checked are met$", r"you meet \1 of the \2 rules checked"),
        (r"^rules that apply: (\d+) met, (\d+) missed, (\d+) not stated by the program; "
         r"unknown: (.*)$",
         r"rules: you meet \1 and miss \2; the program does not state \3 "
         r"(check the program's page): \4"),
        (r"P\(interview\)", "the chance of an interview"),
        (r"P\(match\)", "the chance of matching"),
        (r"\bYOG\b", "years since graduation"),
    ))


def reason_words(text: Any) -> str:
    """A planner's reason without notation: no P(.), no provenance brackets."""
    result = str(text)
    for pattern, words in _REASONS:
        result = pattern.sub(words, result)
    return result


def what_if_words(change: str) -> str:
    """``usce:+3m-hands-on`` -> ``had 3 more months of hands-on US clinical experience``."""
    return WHAT_IF_WORDS.get(change, change.replace(":", ": ").replace("-", " "))


_SOURCE_URL = re.compile(r"^(.*?)\s*<(https?://[^<>\s]+)>\s*$")


def source_link(source: Any) -> Markup:
    """``"AMA FREIDA ... <https://...>"`` as the source's name linked to its page."""
    if not source:
        return Markup("–")
    if str(source).startswith(("http://", "https://")) and " " not in str(source):
        return Markup('<a href="{}" rel="noopener noreferrer">{}</a>').format(source, source)
    found = _SOURCE_URL.match(str(source))
    if not found:
        return escape(str(source))
    name, url = found.groups()
    return Markup('<a href="{}" rel="noopener noreferrer">{}</a>').format(url, name or url)


def sentence(text: Any) -> str:
    """The first letter capitalised, the rest (ECFMG, KB) left as written."""
    text = str(text)
    return text[:1].upper() + text[1:]


def fee_notes(notes: list[Any]) -> list[str]:
    """The plan's once-a-season fee notes, without the planner's "(in the budget, ...)"."""
    return [re.sub(r"^once-a-season fee \([^)]*\):\s*", "", str(n)) for n in notes
            if str(n).startswith("once-a-season fee")]


class _Words(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return what_if_words(key)


def install(env: Environment) -> None:
    env.filters.update(show=show, pct=pct, chance=chance, usd=usd, points=points, plural=plural,
                       from_json=from_json,
                       field_label=field_label, rule_label=rule_label,
                       yes_no_unknown=yes_no_unknown, reason_words=reason_words,
                       source_link=source_link, fee_notes=fee_notes,
                       sentence=sentence)
    env.globals["state_names"] = STATE_NAMES
    env.globals["what_if_words"] = _Words()
    env.globals["map_view_box"] = "-66 4 1032 612"
