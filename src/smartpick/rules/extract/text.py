"""Sentence units, number words and strict/preferred cues for requirement extraction.

Program pages are lists, FAQ pairs and prose. The extractor reads them one *sentence* at a time;
each sentence knows its character span in the original text, whether it is a question, the
question it answers (FAQ context), whether it opens its line (list items), and whether it
sits under a heading that softens everything below it ("Preferred criteria").
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache

_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "single": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "eighteen": 18, "twenty": 20, "twenty-four": 24, "thirty-six": 36,
}
NUMBER = r"(?:\d+(?:\.\d+)?|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + r")"

SOFT_CUE = re.compile(
    r"\b(prefer\w*|preference|strongly (?:encourag\w*|recommend\w*|advis\w*)|encourag\w*|"
    r"desir\w*|ideally|generally|typical\w*|look(?:s|ed)? for|seek\w*|would help|"
    r"recommended|we recommend|favou?r\w*|highly regarded|looked upon|advantage\w*|"
    r"not required but|helpful|historically|bonus|unlikely|strengthen\w*|competitive|"
    r"(?:given|receive|have) priority|priority (?:is|will be) given|a plus|an asset|"
    r"beneficial|usually|advisable|suggest\w*|give consideration)\b",
    re.I,
)
STRICT_CUE = re.compile(
    r"\b(must|required?|requires|requirements?|mandatory|need to|needs to|will not be "
    r"considered|not be considered|not eligible|ineligible|eligib\w+)\b",
    re.I,
)
_NOT_SOFT = re.compile(r"\b(not|no) (preferred|encouraged|recommended)\b", re.I)
_ABBREVIATION = re.compile(r"(?:\b(?:U\.S|e\.g|i\.e|eg|ie|Dr|vs|approx|No|St|Jr)\.|\b[A-Z]\.)$")
_ABBREVIATION_REACH = 8  # characters: the longest abbreviation above is "approx."
_LIST_NUMBER = re.compile(r"\s*(?:\d+|[A-Za-z])\.")
MAX_QUESTION = 400  # an FAQ question longer than this is read only by its last characters
_SENTENCE_END = re.compile(r"[.!?](?=\s+[\"(A-Z0-9])")
_SOFT_HEADING = re.compile(
    r"\b(prefer\w*|encourag\w*|desir\w*|recommended|ideal|no formal criteria|"
    r"qualities)\b",
    re.I,
)
_HEADING_NOUN = re.compile(
    r"\b(criteria|qualifications?|attributes|qualities|characteristics|considerations|"
    r"guidelines|no formal criteria)\b",
    re.I,
)
_STRICT_HEADING = re.compile(r"\b(require\w*|mandatory|must)\b", re.I)
# words of a line ending in ":" that introduce a list of preferences
_SOFT_LEAD = re.compile(
    r"\b(?:prefer\w*|encourag\w*|desir\w*|recommend\w*|ideal\w*|typical\w*|usually|"
    r"generally|competitive|successful (?:applicants|candidates)|look(?:s|ing)? for|seek\w*|"
    r"favou?r\w*|strong (?:applicants|candidates))\b",
    re.I,
)


@dataclass(frozen=True)
class Sentence:
    """One sentence of a program text, with its span and reading context."""

    start: int
    end: int
    text: str
    line_start: bool = False  # the sentence opens its line (a list item or heading)
    is_question: bool = False
    context: str = ""  # the FAQ question this sentence answers, if any
    soft_scope: bool = False  # under a heading that states preferences, not rules

    @property
    def topic(self) -> str:
        """The sentence together with the question it answers, for topic tests."""
        return f"{self.context} {self.text}" if self.context else self.text


_ANSWER = re.compile(r"\s*(?:A[.:]\s*)?(yes|no)\b", re.I)


def faq_answer(sentence: Sentence) -> str | None:
    """``"yes"`` or ``"no"`` when ``sentence`` opens the answer to an FAQ question with that
    word ("Do you require USCE?" / "Yes, at least 3 months."), else None."""
    if not sentence.context or not sentence.line_start:
        return None
    answer = _ANSWER.match(sentence.text)
    return answer.group(1).lower() if answer else None


def parse_number(word: str) -> float | None:
    """``"three"`` -> 3.0, ``"4"`` -> 4.0; None for anything else."""
    word = word.strip().lower()
    if word in _NUMBER_WORDS:
        return float(_NUMBER_WORDS[word])
    try:
        return float(word)
    except ValueError:
        return None


def is_soft(sentence: Sentence, span: str | None = None) -> bool:
    """True when the words state a preference rather than a rule.

    ``span`` narrows the test to part of the sentence (a clause); the heading scope of the
    sentence applies unless the words themselves carry a strict cue.
    """
    words = sentence.text if span is None else span
    if SOFT_CUE.search(words) and not _NOT_SOFT.search(words):
        return True
    return sentence.soft_scope and not STRICT_CUE.search(words)


def split_sentences(text: str) -> list[Sentence]:
    """Split ``text`` into sentences with character offsets and FAQ/heading context.

    A line ending in "?" is a question (all its sentences); the line after it is its answer.
    """
    sentences: list[Sentence] = []
    offset, question, soft = 0, "", False
    for line in text.split("\n"):
        asks = line.rstrip().endswith("?")
        soft = _scope_after(line, soft)
        in_scope = soft and not _opens_scope(line)
        for index, (start, end) in enumerate(_line_spans(line)):
            sentences.append(Sentence(
                offset + start, offset + end, line[start:end], index == 0, asks,
                "" if asks else question, in_scope,
            ))
        question = line.strip()[-MAX_QUESTION:] if asks else (
            "" if line.strip() else question)
        offset += len(line) + 1
    return sentences


def _line_spans(line: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    cursor = 0
    for match in _SENTENCE_END.finditer(line):
        tail = max(cursor, match.end() - _ABBREVIATION_REACH)
        if _ABBREVIATION.search(line, tail, match.end()) or _LIST_NUMBER.fullmatch(
            line, cursor, match.end()
        ):
            continue
        spans.append((cursor, match.end()))
        cursor = match.end()
    spans.append((cursor, len(line)))
    return [_trim(line, a, b) for a, b in spans if line[a:b].strip()]


def _trim(line: str, start: int, end: int) -> tuple[int, int]:
    while start < end and line[start].isspace():
        start += 1
    while end > start and line[end - 1].isspace():
        end -= 1
    return start, end


def _opens_scope(line: str) -> bool:
    return _is_heading(line) and _soft_heading(line)


def _soft_heading(line: str) -> bool:
    """A heading that announces preferences ("Preferred qualifications:", "Desirable
    Attributes"), not a list item that states one ("1st attempt pass preferred")."""
    stripped = line.strip()
    if stripped.endswith(":") and _SOFT_LEAD.search(stripped) and not _STRICT_HEADING.search(
        stripped
    ):
        return True  # "Competitive applicants typically have:", "We look for:"
    if not _SOFT_HEADING.search(line):
        return False
    if stripped.endswith(":") or _HEADING_NOUN.search(stripped):
        return True
    words = [w for w in re.findall(r"[A-Za-z][\w'-]*", stripped) if len(w) > 3]
    return bool(words) and all(w[0].isupper() for w in words)


def _scope_after(line: str, soft: bool) -> bool:
    """Whether the soft (preferences) scope is on after reading this line."""
    if _is_heading(line):
        if _soft_heading(line):
            return True
        if _STRICT_HEADING.search(line):
            return False
        if len(line.split()) <= 6 and _new_section(line):
            return False
        return soft
    return soft or bool(re.search(r"\bno formal criteria\b", line, re.I))


def _new_section(line: str) -> bool:
    """A short line that opens a new section ("Visa Sponsorship", "Letters:"), not an item of
    the list above it: list markers were often stripped from program pages, so an item like
    "Graduation within 3 years" looks like a heading but names a number or is not in title
    case."""
    stripped = line.strip()
    if re.match(r"(\d+[.)]|-)", stripped) or re.search(r"\d", stripped):
        return False
    if stripped.endswith(":"):
        return True
    words = [w for w in re.findall(r"[A-Za-z][\w'-]*", stripped) if len(w) > 3]
    return bool(words) and all(w[0].isupper() for w in words)


def _is_heading(line: str) -> bool:
    stripped = line.strip()
    if stripped.endswith(":"):
        return True
    return not re.search(r"[.?!;,)]$", stripped) and len(stripped.split()) <= 10 and not re.search(
        r"\d{3}", stripped
    )


# Each alternative starts at a fixed character or a word boundary, and a whitespace run is
# entered only at its first character: no pattern here backtracks over a run of spaces.
_CLAUSE_BREAK = re.compile(
    r";|(?<!(?-i:[A-Z]))\.\s|,?(?<!\s)\s+but\s+|\bhowever\b|,\s+(?:although|though|while)\b",
    re.I,
)


_CONCESSIVE_OPENING = re.compile(
    r"\s*(?:although|though|while|even though|despite|whereas)\b[^,;]*,", re.I
)


@lru_cache(maxsize=256)
def _clause_breaks(text: str) -> tuple[list[int], list[int]]:
    """Start and end offsets of the clause breaks of ``text``, each list sorted: computed
    once per sentence, so that finding the clause of each number costs a binary search."""
    breaks = [(m.start(), m.end()) for m in _CLAUSE_BREAK.finditer(text)]
    opening = _CONCESSIVE_OPENING.match(text)
    if opening:
        breaks.append((opening.end() - 1, opening.end()))
    return sorted(a for a, _ in breaks), sorted(b for _, b in breaks)


def clause_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Offsets of the clause of ``text`` holding ``text[start:end]`` (cut at ``;``, "but",
    "however", "although")."""
    starts, ends = _clause_breaks(text)
    before = bisect_right(ends, start)
    after = bisect_left(starts, end)
    left = ends[before - 1] if before else 0
    right = starts[after] if after < len(starts) else len(text)
    return left, right


def clause_around(text: str, start: int, end: int, reach: int = 400) -> str:
    """The clause of ``text`` holding ``text[start:end]``, at most ``reach`` characters to
    either side."""
    left, right = clause_bounds(text, start, end)
    return text[max(left, start - reach) : min(right, end + reach)]


_SPACE_RUN = re.compile(r"[^\S\n]+")


@dataclass(frozen=True)
class Collapsed:
    """A text with each run of spaces and tabs (within a line) shortened to one space, and
    the way back to offsets of the original text."""

    text: str
    _at: tuple[int, ...] = ()  # offsets in ``text`` right after a shortened run
    _removed: tuple[int, ...] = ()  # characters removed before each of these offsets

    @classmethod
    def of(cls, original: str) -> Collapsed:
        pieces: list[str] = []
        at: list[int] = []
        removed: list[int] = []
        cursor = total = 0
        for run in _SPACE_RUN.finditer(original):
            if run.group(0) == " ":
                continue
            pieces += [original[cursor : run.start()], " "]
            total += len(run.group(0)) - 1
            cursor = run.end()
            at.append(run.end() - total)
            removed.append(total)
        pieces.append(original[cursor:])
        return cls("".join(pieces), tuple(at), tuple(removed))

    def original_offset(self, offset: int) -> int:
        """The offset in the original text of the character at ``offset`` of ``text``."""
        index = bisect_right(self._at, offset) - 1
        return offset + (self._removed[index] if index >= 0 else 0)
