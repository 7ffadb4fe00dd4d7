"""Find quotation spans in raw text from its quotation marks alone, without ever raising.

Real articles mix curly and straight marks, lose a closing mark, run a quotation over several
paragraphs, and nest apostrophes and single quotes inside double ones. Each paragraph is decoded
on its own (so one stray mark costs at most its paragraph) by a small Viterbi search that gives every
double mark the role open, close or stray, scoring each role by the mark's glyph and its neighbours.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

# Double marks by family: a quotation opened by one family is closed by the same family, and marks
# of other families inside it are content. `''` and ``` `` ``` are the ASCII typewriter convention.
_FAMILY = {
    "“": "latin",
    "”": "latin",
    '"': "latin",
    "„": "latin",
    "‟": "latin",
    "＂": "latin",
    "''": "latin",
    "``": "latin",
    "«": "guillemet",
    "»": "guillemet",
    "「": "corner",
    "」": "corner",
    "『": "white-corner",
    "』": "white-corner",
}
_OPEN_GLYPHS = {"“", "„", "‟", "``", "«", "「", "『"}
_CLOSE_GLYPHS = {"”", "»", "」", "』"}
# Of three apostrophes the last two close the quotation (the first closes a quote inside it).
_DOUBLE_MARK = re.compile(r"''(?!')|``|\"|[“”„‟＂«»「」『』]")
# A straight mark after a short number and before a word is an inch mark (`a 12" pizza`); after a sum
# (`"about $200,000" from`) it closes a quotation. After feet (`6'2"`, `6’2”,”`) any double mark is.
_INCHES_BEFORE = re.compile(r"(?:^|[^\d,.$])\d{1,3}(?:\.\d+)?$")
_WORD_AFTER = re.compile(r"\s+[a-z]")
_FEET_BEFORE = re.compile(r"\d['’]\d{1,2}$")
_SINGLE_MARK = re.compile(r"(?<!')'(?!')|[‘’‹›]")

_OPEN_BEFORE = set("([{<—–-:/\u00a0") | set(_FAMILY) | {"‘", "'"}
_CLOSE_AFTER = set(".,;:!?)]}>—–-/…\u00a0") | set(_FAMILY) | {"’", "'"}

# Markup left in scraped text (`<tweet author="@x">`): its attribute quotes are not prose.
_MARKUP_TAG = re.compile(r"</?[A-Za-z][\w:-]*(?:\s[^<>]{0,500})?/?>")

_STRAY_COST = 3.0
_UNCLOSED_COST = 2.0  # below a stray: a lone opener at the end most often lost its closing mark


@dataclass(frozen=True)
class QuoteSpan:
    """One quoted stretch of one paragraph, marks included.

    `close_mark` is None when the quotation runs on into the next paragraph (`continues`);
    `continued` marks the part that carries on a quotation opened in the paragraph before.
    """

    start: int
    end: int
    open_mark: str
    close_mark: str | None
    continued: bool = False

    @property
    def continues(self) -> bool:
        return self.close_mark is None

    @property
    def content_start(self) -> int:
        return self.start + len(self.open_mark)

    @property
    def content_end(self) -> int:
        return self.end - len(self.close_mark or "")


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph, surrounding whitespace trimmed.

    A paragraph is a line, or a block of lines when the text is hard-wrapped (most lines that are
    followed by another one break mid-sentence at a similar width).
    """
    lines = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
    if _is_hard_wrapped(text, lines):
        blocks = [(m.start(), m.end()) for m in re.finditer(r"\S(?:.|\n(?![ \t]*\n))*", text)]
    else:
        blocks = lines
    spans = []
    for start, end in blocks:
        chunk = text[start:end]
        stripped = chunk.strip()
        if stripped:
            lead = len(chunk) - len(chunk.lstrip())
            spans.append((start + lead, start + lead + len(stripped)))
    return spans


def _is_hard_wrapped(text: str, lines: list[tuple[int, int]]) -> bool:
    inner = [(s, e) for (s, e), (ns, _) in pairwise(lines) if "\n" not in text[e + 1 : ns]]
    if len(inner) < 2:
        return False
    lengths = sorted(e - s for s, e in inner)
    mid_sentence = sum(1 for s, e in inner if text[e - 1] not in '.!?:"”’)') / len(inner)
    return lengths[len(lengths) // 2] >= 40 and lengths[int(len(lengths) * 0.9)] <= 100 and mid_sentence > 0.5


def find_quotations(text: str) -> list[QuoteSpan]:
    """Every quoted stretch in `text`, in order; nested quotes stay inside their outer span."""
    paragraphs = paragraph_spans(text)
    markup = [m.span() for m in _MARKUP_TAG.finditer(text)] if "<" in text else []
    spans: list[QuoteSpan] = []
    continued_family: str | None = None
    for index, (start, end) in enumerate(paragraphs):
        next_opener = (
            _leading_opener_family(text, paragraphs[index + 1]) if index + 1 < len(paragraphs) else None
        )
        found, open_family = _decode_paragraph(text, start, end, continued_family, next_opener, markup)
        spans.extend(found)
        continued_family = open_family
    return spans


def _is_inch_mark(text: str, start: int, end: int) -> bool:
    """Whether the double mark at text[start:end] measures inches rather than quoting."""
    if text[start:end] in ('"', "”") and _FEET_BEFORE.search(text, max(0, start - 5), start):
        return True
    return (
        text[start:end] == '"'
        and _INCHES_BEFORE.search(text, max(0, start - 20), start) is not None
        and _WORD_AFTER.match(text, end) is not None
    )


def _leading_opener_family(text: str, paragraph: tuple[int, int]) -> str | None:
    match = _DOUBLE_MARK.match(text, paragraph[0])
    if match and match.group() not in _CLOSE_GLYPHS:
        return _FAMILY[match.group()]
    return None


def _context_costs(text: str, start: int, end: int, mark: str, lo: int, hi: int) -> tuple[float, float]:
    """Cost of reading the mark at text[start:end] as an opening and as a closing mark."""
    before = text[start - 1] if start > lo else " "
    after = text[end] if end < hi else " "
    space_before, space_after = before.isspace(), after.isspace()
    open_like = (space_before or before in _OPEN_BEFORE) and not space_after
    close_like = (space_after or after in _CLOSE_AFTER) and not space_before
    open_cost = 0.0 if open_like else (4.0 if close_like else 1.5)
    close_cost = 0.0 if close_like else (4.0 if open_like else 1.5)
    if mark in _CLOSE_GLYPHS:
        open_cost += 1.5
    elif mark in _OPEN_GLYPHS:
        close_cost += 1.5
    if before.isalnum() and after.isalnum():  # an inch mark or a typo inside a word
        open_cost += 1.0
        close_cost += 1.0
    return open_cost, close_cost


def _decode_paragraph(
    text: str,
    lo: int,
    hi: int,
    continued_family: str | None,
    next_opener: str | None,
    markup: list[tuple[int, int]],
) -> tuple[list[QuoteSpan], str | None]:
    """Best role for each double mark of one paragraph; returns its spans and the family left open."""
    marks = [
        (m.start(), m.end(), m.group())
        for m in _DOUBLE_MARK.finditer(text, lo, hi)
        if not any(s <= m.start() < e for s, e in markup) and not _is_inch_mark(text, m.start(), m.end())
    ]
    # Viterbi over states: None (outside) or the family of the open quotation.
    # Each path: (cost, list of (mark index, role)).
    paths: dict[str | None, tuple[float, list[tuple[int, str]]]] = {None: (0.0, [])}
    continuing = continued_family is not None and bool(marks) and marks[0][0] == lo
    for index, (start, end, mark) in enumerate(marks):
        family = _FAMILY[mark]
        open_cost, close_cost = _context_costs(text, start, end, mark, lo, hi)
        if index == 0 and continuing and family == continued_family:
            open_cost = 0.0
        candidates: dict[str | None, tuple[float, list[tuple[int, str]]]] = {}
        for state, (cost, path) in paths.items():
            if state is None:
                _offer(candidates, family, cost + open_cost, [*path, (index, "open")])
                _offer(candidates, None, cost + _STRAY_COST, path)
            elif state == family:
                _offer(candidates, None, cost + close_cost, [*path, (index, "close")])
                _offer(candidates, state, cost + _STRAY_COST, path)
            else:  # a mark of another family inside a quotation is part of its text
                _offer(candidates, state, cost, path)
        paths = candidates
    finals = {
        state: cost + (0.0 if state is None or state == next_opener else _UNCLOSED_COST)
        for state, (cost, _) in paths.items()
    }
    best_state = min(finals, key=lambda s: (finals[s], s is not None))
    spans: list[QuoteSpan] = []
    open_at: tuple[int, int, str] | None = None
    for index, role in paths[best_state][1]:
        start, end, mark = marks[index]
        if role == "open":
            open_at = (start, end, mark)
        elif open_at is not None:
            spans.append(QuoteSpan(open_at[0], end, open_at[2], mark, continuing and not spans))
            open_at = None
    if open_at is not None:
        spans.append(QuoteSpan(open_at[0], hi, open_at[2], None, continuing and not spans))
    singles = _single_quoted(text, lo, hi, spans)
    if singles:  # British style: double marks inside single ones belong to the outer quotation
        spans = [d for d in spans if not any(q.start < d.start and d.end <= q.end for q in singles)]
    spans = sorted(spans + singles, key=lambda s: s.start)
    return spans, best_state


def _offer(candidates: dict, state: str | None, cost: float, path: list[tuple[int, str]]) -> None:
    """Keep the cheaper of two paths reaching the same state."""
    if state not in candidates or cost < candidates[state][0]:
        candidates[state] = (cost, path)


def _single_quoted(text: str, lo: int, hi: int, doubles: list[QuoteSpan]) -> list[QuoteSpan]:
    """Quotations in single marks (‘…’ or '…') outside double-quoted spans.

    An opener follows a space or punctuation and precedes a letter; a closer follows a non-space and
    precedes no letter, so apostrophes (China’s, don't, the ’90s) are never taken for marks.
    """
    spans: list[QuoteSpan] = []
    open_at: tuple[int, str] | None = None
    for match in _SINGLE_MARK.finditer(text, lo, hi):
        pos, mark = match.start(), match.group()
        if any(d.start <= pos < d.end for d in doubles):
            continue
        before = text[pos - 1] if pos > lo else " "
        after = text[pos + 1] if pos + 1 < hi else " "
        if open_at is None:
            if mark in "‘'‹" and (before.isspace() or before in _OPEN_BEFORE) and after.isalpha():
                open_at = (pos, mark)
        elif (
            mark in "’'›"
            and not before.isspace()
            and not after.isalnum()
            and (open_at[1] == "‹") == (mark == "›")
        ):
            if pos - open_at[0] > 2:  # `rock 'n' roll` holds no quotation
                spans.append(QuoteSpan(open_at[0], pos + 1, open_at[1], mark))
            open_at = None
        elif mark in "‘‹" and before.isspace():
            open_at = (pos, mark)  # the earlier opener was stray
    return spans
