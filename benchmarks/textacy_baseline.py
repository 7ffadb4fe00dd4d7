"""textacy's `direct_quotations` as a baseline, with predictions in the scorer's format.

The PolNeAR data README states its baseline as textacy 0.13 `direct_quotations` run paragraph by
paragraph with the same spaCy pipeline; this module is that baseline, shared by the accuracy benchmark
(paragraph mode) and the speed benchmark (whole-document mode, as a user would call it), so both
measure the very same thing. textacy raises ValueError on an odd number of quotation marks; such a
unit yields nothing and is counted rather than stopping the run.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc, Span, Token
from textacy.extract.triples import direct_quotations

PARAGRAPH_BATCH_SIZE = 64
# Characters a gold span may start or end with that textacy's content span could leave out.
QUOTE_MARKS = frozenset("\"'“”‘’«»„‟‹›`")
_PARAGRAPH = re.compile(r"(?:[^\n]|\n(?![ \t]*\n))+")  # runs of text with no blank line


@dataclass
class BaselineResult:
    """Predictions for one article, and how many of its parsed units textacy refused."""

    predictions: list[dict] = field(default_factory=list)
    units: int = 0
    errors: int = 0


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph, split on blank lines as the README's baseline figures are.

    Splitting on every newline instead finds a few more quotations (dev quote F1 0.826, not 0.819), so
    this split is what reproduces the published baseline.
    """
    spans = []
    for match in _PARAGRAPH.finditer(text):
        part = match.group()
        stripped = part.strip()
        if stripped:
            start = match.start() + part.index(stripped)
            spans.append((start, start + len(stripped)))
    return spans


def to_prediction(speaker: list[Token], content: Span, text: str, offset: int) -> dict:
    """A scorer prediction with str offsets into the whole article `text`.

    textacy's content span runs from the opening to the closing quotation-mark token, so it already
    includes the marks; an adjacent mark it left out (a mark glued to a word token) is added, since the
    gold spans include them.
    """
    start, end = content.start_char + offset, content.end_char + offset
    if start > 0 and text[start] not in QUOTE_MARKS and text[start - 1] in QUOTE_MARKS:
        start -= 1
    if end < len(text) and text[end - 1] not in QUOTE_MARKS and text[end] in QUOTE_MARKS:
        end += 1
    tokens = sorted(speaker, key=lambda token: token.i)
    return {
        "start": start,
        "end": end,
        "speaker": " ".join(token.text for token in tokens),
        "speaker_start": tokens[0].idx + offset if tokens else None,
        "speaker_end": tokens[-1].idx + len(tokens[-1]) + offset if tokens else None,
    }


def _doc_predictions(doc: Doc, text: str, offset: int) -> tuple[list[dict], bool]:
    """Predictions from one parsed unit, and whether textacy raised on it."""
    try:
        return [to_prediction(t.speaker, t.content, text, offset) for t in direct_quotations(doc)], False
    except ValueError:  # an odd number of quotation marks
        return [], True


def paragraph_mode(nlp: Language, texts: Iterable[str]) -> Iterator[BaselineResult]:
    """One result per article text, each paragraph parsed on its own (the README's baseline)."""
    for text in texts:
        result = BaselineResult()
        spans = paragraph_spans(text)
        for doc, (start, _) in nlp.pipe(
            ((text[s:e], (s, e)) for s, e in spans), as_tuples=True, batch_size=PARAGRAPH_BATCH_SIZE
        ):
            predictions, failed = _doc_predictions(doc, text, start)
            result.predictions.extend(predictions)
            result.units += 1
            result.errors += failed
        yield result


def document_mode(nlp: Language, texts: Iterable[str], batch_size: int) -> Iterator[BaselineResult]:
    """One result per article text, each parsed whole, as a user would call textacy on an article."""
    for doc, text in nlp.pipe(((text, text) for text in texts), as_tuples=True, batch_size=batch_size):
        predictions, failed = _doc_predictions(doc, text, 0)
        yield BaselineResult(predictions, 1, int(failed))
