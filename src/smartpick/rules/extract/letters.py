"""Letters of recommendation: how many, and whether one must come from a US physician.

A count ("three letters of recommendation", "3 LORs", "two physician references") states the
minimum when it is the first count on the page. When the page lists letters one by one
("One letter from the Chair", "Two additional letters"), the items are added up. The Dean's
letter (MSPE), optional letters and substitutes ("in lieu of") do not count.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from smartpick.rules.extract.result import Finding, finding
from smartpick.rules.extract.text import NUMBER, Sentence, clause_around, is_soft, parse_number

_COUNTED = re.compile(
    r"\b(" + NUMBER + r")(?:\s*\(\d\))?(?:\s*-\s*" + NUMBER + r")?\s+"
    r"(?:(additional|other|more|further)\s+)?(?:[\w-]+\s+){0,2}?"
    r"(?:letters?|LOR'?s?|references)\b",
    re.I,
)
_LETTER_COUNT_AFTER = re.compile(
    r"\b(?:letters?|LOR'?s?)(?: of recommendations?)?\s*\(\s*(" + NUMBER + r")\s+minimum\s*\)", re.I
)
_ANSWER_COUNT = re.compile(r"^\s*(?:at least\s+|a minimum of\s+)?(" + NUMBER + r")\b", re.I)
_LISTED_LETTER = re.compile(
    r"^\s*(?:[\w-]+\s+){0,3}(?:departmental|chair'?s?)\s+letter\b|"
    r"^\s*letter from (?!(?:the |your )?dean)",
    re.I,
)
# "one (of them) must be from a US physician" narrows the letters already counted
_CONSTRAINT = re.compile(
    r"(?:\s+of (?:which|them|these|those))?\s+"
    r"(?:must|should|shall|needs? to|has to|have to|is to|are to|will)\s+"
    r"(?:be\s+)?(?:from|come|originate|written|submitted|include|by|be from)\b",
    re.I,
)
_CONSTRAINT_BEFORE = re.compile(r"\b(?:of (?:these|which|them|those)|of the)\s*$", re.I)
_NOT_COUNTED = re.compile(r"\b(optional|up to|maximum|may submit)\b", re.I)
_DEAN = re.compile(r"\bdean'?s\s+letter\b|\bMSPE\b", re.I)
_SUBSTITUTE = re.compile(r"\b(in lieu|in replacement|instead of)\b", re.I)
_US = r"(?:(?-i:U\.\s?S\.?|US|USA)|United States|American)"
_US_LETTER = re.compile(
    rf"\b(?:from|by|originate from)\s+(?:a\s+|an\s+|the\s+)?{_US}(?![\w-])"
    r"(?!\s+(?:grads?|graduates?|medical|students?|schools?)\b)|"
    rf"\b{_US}\s+letters?\b|"
    rf"\b{_US}[- ]based\s+(?:[\w-]+\s+){{0,3}}?"
    r"(?:physicians?|faculty|attendings?|doctors?|internists?|clinicians?|supervisors?)\b|"
    rf"\bletters? of recommendation from [^.]{{0,40}}\bin the {_US}(?![\w-])|"
    r"\bletters?\b[^.;]{0,60}\b(?:by|from)\s+(?:a\s+|an\s+)?(?:[\w-]+\s+){0,2}?"
    r"(?:physicians?|faculty|attendings?|doctors?|internists?)\s+(?:practicing\s+)?(?:in|at)\s+"
    rf"(?:the\s+)?{_US}(?![\w-])",
    re.I,
)
_LETTER = re.compile(r"\bletters?\b|\bLOR'?s?\b|\breferences?\b", re.I)
_LETTER_WORD = re.compile(r"letter|LOR|reference", re.I)  # quick test before the counts
_US_OPTIONAL = re.compile(rf"{_US}[- ]based\b[^.]{{0,40}}\bnot required\b", re.I)


@dataclass(frozen=True)
class _Item:
    count: int
    additional: bool
    sentence: Sentence
    soft: bool
    listed: bool = False  # the count opens its line: one item of a list of letters


def find_letters(sentences: list[Sentence]) -> Iterator[Finding]:
    """Findings for ``lor_min`` and ``lor_us_required``."""
    yield from _minimum(sentences)
    for sentence in sentences:
        if sentence.is_question or not _LETTER.search(sentence.text):
            continue
        if _US_OPTIONAL.search(sentence.text):
            yield finding("lor_us_required", "no", sentence, False)
        elif _US_LETTER.search(sentence.text):
            yield finding("lor_us_required", "yes", sentence, is_soft(sentence))


def _minimum(sentences: list[Sentence]) -> Iterator[Finding]:
    """The first total stated (a strict one before a preferred one).

    A count of two or more is a total by itself; "two additional letters" adds the letters
    counted before it in the same sentence; a list whose lines each open with a count
    ("One letter from the Chair" / "Two letters from clinical mentors") is added up.
    """
    totals: list[_Item] = []
    block: list[_Item] = []
    for sentence in sentences:
        if sentence.is_question:
            continue
        found = _items(sentence)
        if not found:
            continue
        if all(i.listed for i in found) and sentence.line_start:
            block += found
            continue
        totals += _block_total(block)
        block = []
        totals += _sentence_totals(found)
    totals += _block_total(block)
    if totals:
        chosen = next((i for i in totals if not i.soft), totals[0])
        yield finding("lor_min", chosen.count, chosen.sentence, chosen.soft)


def _block_total(block: list[_Item]) -> list[_Item]:
    if len(block) >= 2 and (block[0].count == 1 or block[0].additional):
        return [_Item(sum(i.count for i in block), False, block[0].sentence,
                      all(i.soft for i in block))]
    return _sentence_totals(block)


def _sentence_totals(found: list[_Item]) -> list[_Item]:
    totals, before = [], 0
    for item in found:
        count = item.count + before if item.additional else item.count
        if count >= 2:
            totals.append(_Item(count, False, item.sentence, item.soft))
        before += item.count
    return totals


def _items(sentence: Sentence) -> list[_Item]:
    text = sentence.text
    if not _LETTER_WORD.search(text) and not (sentence.context and _LETTER.search(
        sentence.context
    )):
        return []
    if _SUBSTITUTE.search(text):
        return []
    found: list[_Item] = []
    if sentence.line_start and _LISTED_LETTER.search(text):
        found.append(_Item(1, False, sentence, is_soft(sentence), True))
    opening = len(text) - len(text.lstrip(" -*0123456789.)"))  # a list item's marker
    for match in _COUNTED.finditer(_strip_dean(text)):
        number = parse_number(match.group(1))
        if _CONSTRAINT.match(text, match.end()) or _CONSTRAINT_BEFORE.search(
            text[max(0, match.start() - 12) : match.start()]
        ):
            continue
        if number and not _NOT_COUNTED.search(text[max(0, match.start() - 12) : match.end()]):
            soft = is_soft(sentence, clause_around(text, match.start(), match.end(), 60))
            additional = bool(match.group(2))
            listed = sentence.line_start and match.start() <= opening
            found.append(_Item(int(number), additional, sentence, soft, listed))
    return found or _count_elsewhere(sentence)


def _count_elsewhere(sentence: Sentence) -> list[_Item]:
    """"Letters (four minimum)", or an FAQ answer "At least three." to a letters question."""
    match = _LETTER_COUNT_AFTER.search(sentence.text)
    if match is None and sentence.context and _LETTER.search(sentence.context):
        match = _ANSWER_COUNT.match(sentence.text)
    number = parse_number(match.group(1)) if match else None
    if not number or number < 2:
        return []
    return [_Item(int(number), False, sentence, is_soft(sentence))]


def _strip_dean(text: str) -> str:
    """Blank out "Dean's letter" so it is not counted as a letter of recommendation."""
    return re.sub(r"\b(?:a\s+)?dean'?s\s+letter\b", lambda m: " " * len(m.group(0)), text,
                  flags=re.I)
