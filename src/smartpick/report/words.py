"""Plain words for readers: field paths, validation messages and rule names as a reader
whose first language is not English can follow them.

The web pages and the command line's plan table use them; the JSON API keeps the
contract's names (``exams.step2ck``, ``usce[0].end``).
"""

from __future__ import annotations

import re

FIELD_LABELS = {
    "applicant_type": "Who you are",
    "graduation_year": "Year you graduated (or will graduate) from medical school",
    "visa": "Visa you need",
    "exams": "Exams",
    "exams.step1": "Step 1",
    "exams.step2ck": "Step 2 CK score",
    "exams.step3": "Step 3",
    "exams.failed_attempts": "Failed exam attempts",
    "exams.failed_attempts_by_exam": "Failed attempts per exam",
    "ecfmg_certified": "ECFMG certified",
    "ecfmg_expected": "Date you expect your ECFMG certificate",
    "usce": "US clinical experience",
    "letters_total": "Letters of recommendation",
    "research": "Research",
    "research.publications": "Publications",
    "research.abstracts": "Abstracts",
    "research.presentations": "Presentations",
    "targets": "Target specialties",
    "preferences.states": "Preferred states",
    "preferences.avoid_states": "States to avoid",
    "preferences.program_types": "Program types you prefer",
    "budget_usd": "Budget for the season's fees",
    "target_p_match": "Target chance of matching",
    "file": "Profile file",
    "(profile)": "Your profile",
    "(body)": "Your request",
}
USCE_LABELS = {"kind": "kind", "specialty": "specialty", "setting": "setting",
               "state": "state", "start": "start date", "end": "end date",
               "us_letter": "US letter", "goals": "goals", "cases": "cases",
               "feedback": "feedback"}
TARGET_LABELS = {"specialty": "specialty", "role": "role"}
RULE_LABELS = {
    "visa": "The program does not offer the visa you need",
    "yog": "You graduated longer ago than the program accepts",
    "yog_max_years": "You graduated longer ago than the program accepts",
    "yog_min_year": "You graduated before the earliest year the program accepts",
    "step1_min": "Step 1 score below the program's minimum",
    "step2ck_min": "Step 2 CK score below the program's minimum",
    "step3_required": "The program requires Step 3",
    "max_attempts": "More failed exam attempts than the program accepts",
    "attempts": "More failed exam attempts than the program accepts",
    "usce_required": "The program requires US clinical experience",
    "usce_min_months": "Less US clinical experience than the program requires",
    "usce_hands_on_only": "The program counts only hands-on US experience",
    "usce_recency_months": "Your US clinical experience is older than the program accepts",
    "ecfmg_required_by": "ECFMG certificate not expected in time",
    "lor_min": "Fewer letters of recommendation than the program asks",
    "lor_us_required": "The program requires a letter from the US",
    "avoid_states": "In a state you chose to avoid",
    "no_positions": "The program offers no positions this season",
    "not_accepting": "The program is not accepting applications",
    "program_type": "Not a program type you chose",
}
_ROW = re.compile(r"^(usce|targets)\[(\d+)\](?:\.(\w+))?(.*)$")
_MESSAGES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), text) for pattern, text in (
        (r"^required field is missing$", "please fill this in"),
        (r"^Field required$", "please fill this in"),
        (r"^Input should be a valid integer.*", "enter a whole number, such as 2021"),
        (r"^Input should be a valid number.*", "enter a number, such as 1500"),
        (r"^Input should be a valid date.*", "enter a date (year-month-day)"),
        (r"^Input should be a valid boolean.*", "tick the box or leave it empty"),
        (r"^Input should be greater than or equal to (\S+)$", r"must be \1 or more"),
        (r"^Input should be less than or equal to (\S+)$", r"must be \1 or less"),
        (r"^Input should be greater than (\S+)$", r"must be more than \1"),
        (r"^Input should be less than (\S+)$", r"must be less than \1"),
        (r"^unknown field.*", "not a field SmartPick knows"),
        (r"^Input should be a valid list.*", "choose one or more"),
        (r"^String should have at most (\d+) characters?$", r"at most \1 characters"),
    ))


def field_label(field: str) -> str:
    """``usce[0].end`` -> ``Rotation 1, end date``; ``exams.step2ck`` -> ``Step 2 CK score``."""
    if field in FIELD_LABELS:
        return FIELD_LABELS[field]
    row = _ROW.match(field)
    if row:
        kind, index, part, _rest = row.groups()
        number = int(index) + 1
        if kind == "usce":
            return f"Rotation {number}" + (f", {USCE_LABELS.get(part, part)}" if part else "")
        return f"Specialty {number}" + (f", {TARGET_LABELS.get(part, part)}" if part else "")
    head = field.split(".")[0].split("[")[0]
    if head in FIELD_LABELS and head != field:
        return FIELD_LABELS[head]
    return field.replace("_", " ").replace(".", ", ")


def plain_message(message: str) -> str:
    """A validation message without the validator's jargon."""
    for pattern, text in _MESSAGES:
        if pattern.match(message):
            return pattern.sub(text, message)
    return message.replace("'non_us_img'", "'Non-US IMG'").replace("j1_or_h1b", "J-1 or H-1B")


def rule_label(rule: str) -> str:
    """A rule key of the planner (``yog``) in words."""
    return RULE_LABELS.get(rule, rule.replace("_", " ").capitalize())
