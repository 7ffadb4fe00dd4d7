"""The core: from Articles to Quotation records, in one process or several.

`extract_articles` parses articles in batches with the one loaded spaCy pipeline, finds and
attributes their quotations, and resolves each speaker inside its article; `canonicalize` then gives
each speaker one name across the whole corpus. The per-article work has no state beyond the loaded
pipeline, so `jobs > 1` maps the very same function, `extract_batch`, over batches in worker
processes, and `quotes.engines` maps it on a Dask cluster.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from functools import partial

from spacy.language import Language
from spacy.tokens import Doc

from quotes.attribution import Attribution, attribute
from quotes.engines import BATCH_SIZE, batched
from quotes.marks import QuoteSpan, find_quotations, paragraph_spans
from quotes.pipeline import chunk_spans, load_pipeline, parser_text, sentence_of
from quotes.records import AUTO_MODEL, MAX_QUOTE_CHARS, Article, ArticleResult, Framing, Quotation
from quotes.speakers import ArticlePeople, Speaker, resolve
from quotes.statements import Framer, classify_here
from quotes.statements import record as framing_record

# How much each rule's attributions are trusted (measured on PolNeAR train, rounded).
RULE_CONFIDENCE = {
    "after": 0.95,
    "ancestor": 0.9,
    "before": 0.8,
    "colon": 0.8,
    "lead-in": 0.75,
    "dash": 0.8,
    "byline": 0.6,
    "continues": 0.9,
    "previous-sentence": 0.75,
    "clause": 0.7,
    "previous-paragraph": 0.8,
    "reported-before": 0.7,
    "words-of": 0.65,
    None: 0.5,
}


@dataclass
class _Plan:
    """An article cut into pieces the parser can take, with its quotation spans."""

    article: Article
    paragraphs: list[tuple[int, int]]
    quotes: list[QuoteSpan]
    pieces: list[tuple[int, int]]
    warnings: list[str]


def extract_articles(
    articles: Iterable[Article],
    *,
    model: str = AUTO_MODEL,
    jobs: int = 1,
    batch_size: int = BATCH_SIZE,
    max_quote_chars: int = MAX_QUOTE_CHARS,
    framer: Framer = classify_here,
) -> Iterator[ArticleResult]:
    """Results for `articles`, in input order; `jobs` > 1 parses in that many processes; `framer`
    classifies the quotations' framing records (by default with the model loaded here)."""
    for results in extract_batches(
        batched(articles, batch_size), model=model, jobs=jobs, max_quote_chars=max_quote_chars, framer=framer
    ):
        yield from results


def extract_batches(
    batches: Iterable[list[Article]],
    *,
    model: str = AUTO_MODEL,
    jobs: int = 1,
    max_quote_chars: int = MAX_QUOTE_CHARS,
    framer: Framer = classify_here,
) -> Iterator[list[ArticleResult]]:
    """`extract_batch` over each batch, in input order: here, or in a pool of `jobs` forked processes."""
    work = partial(extract_batch, model=model, max_quote_chars=max_quote_chars, framer=framer)
    if jobs <= 1:
        yield from map(work, batches)
        return
    load_pipeline(model)  # once in the parent, so forked workers share both models instead of
    framer([])  # loading them again
    context = multiprocessing.get_context("fork")
    with context.Pool(jobs, initializer=load_pipeline, initargs=(model,)) as pool:
        yield from pool.imap(work, batches)


def extract_batch(
    batch: list[Article],
    model: str = AUTO_MODEL,
    max_quote_chars: int = MAX_QUOTE_CHARS,
    framer: Framer = classify_here,
) -> list[ArticleResult]:
    """One result per article of `batch`, in order: the unit of work every engine maps.

    The pipeline and the framing model are loaded once per process and then reused, so a worker
    (forked, or on a cluster) pays for them on its first batch only. A quotation longer than
    `max_quote_chars` is left out and named in its result's `warnings`."""
    return list(_extract_batch(load_pipeline(model), batch, max_quote_chars, framer))


def _extract_batch(
    nlp: Language, batch: list[Article], max_quote_chars: int, framer: Framer
) -> Iterator[ArticleResult]:
    plans = [_plan(article, max_quote_chars) for article in batch]
    texts = [
        (parser_text(plan.article.text[start:end], _shift(plan.paragraphs, start, end)), (n, start))
        for n, plan in enumerate(plans)
        for start, end in plan.pieces
    ]
    docs: dict[int, list[tuple[int, Doc]]] = {n: [] for n in range(len(plans))}
    for doc, (n, start) in nlp.pipe(texts, as_tuples=True, batch_size=BATCH_SIZE):
        docs[n].append((start, doc))
    results, records = [], []
    for n, plan in enumerate(plans):
        try:
            quotations, framing_records, people = _quotations(plan, docs[n])
            results.append(ArticleResult(plan.article, quotations, people=people, warnings=plan.warnings))
            records.extend(framing_records)
        except Exception as error:  # one bad article is reported, never stops the batch
            results.append(ArticleResult(plan.article, [], f"{type(error).__name__}: {error}"))
    framings = iter(framer(records))
    for result in results:
        result.quotations = [_framed(q, next(framings)) for q in result.quotations]
        yield result


def _framed(quotation: Quotation, framing: Framing) -> Quotation:
    return replace(quotation, framing=framing.label, framing_scores=framing.scores)


def _plan(article: Article, max_quote_chars: int) -> _Plan:
    text = article.text
    paragraphs = paragraph_spans(text)
    quotes, warnings = [], []
    for quote in find_quotations(text):
        if (length := quote.end - quote.start) <= max_quote_chars:
            quotes.append(quote)
        else:
            warnings.append(
                f"the quotation at characters {quote.start:,}-{quote.end:,} is {length:,} characters long, "
                f"over --max-quote-chars {max_quote_chars:,}; left out"
            )
    open_ends = {q.end for q in quotes if q.continues}
    cuts = [
        end
        for _, end in paragraphs
        if end not in open_ends and not any(q.start < end < q.end for q in quotes)
    ]
    return _Plan(article, paragraphs, quotes, chunk_spans(text, cuts), warnings)


def _shift(spans: list[tuple[int, int]], start: int, end: int) -> list[tuple[int, int]]:
    return [(max(s, start) - start, min(e, end) - start) for s, e in spans if s < end and e > start]


def _quotations(plan: _Plan, docs: list[tuple[int, Doc]]) -> tuple[list[Quotation], list[dict], list[str]]:
    """The article's quotation records, the framing model's input for each, and the people it names."""
    article, records, framing_records, names = plan.article, [], [], []
    for start, doc in docs:
        end = start + len(doc.text)
        quotes = [q for q in plan.quotes if start <= q.start < end]
        paragraphs = [p for p in plan.paragraphs if start <= p[0] < end]
        people = ArticlePeople(doc)
        names.extend(people.people)
        recent: list[tuple[int, Speaker]] = []
        for attribution in attribute(doc, quotes, paragraphs, offset=start):
            speaker = resolve(people, attribution.mention, recent)
            if attribution.mention is not None and speaker.name:
                recent.append((attribution.mention.root.i, speaker))
            if attribution.speech:
                records.append(_record(article, attribution, speaker, start))
                framing_records.append(_framing_record(article.text, doc, attribution, start))
    return records, framing_records, names


def _framing_record(text: str, doc: Doc, attribution: Attribution, offset: int) -> dict:
    """What the framing model reads: the quoted words (from this parse), the cue, and for a
    partial quotation the sentence around it."""
    quote = attribution.quote
    words = doc.char_span(quote.content_start - offset, quote.content_end - offset, alignment_mode="contract")
    tokens = words if words is not None else doc[0:0]
    sentence = doc.char_span(quote.start - offset, quote.end - offset, alignment_mode="expand")
    context = (
        sentence_of(sentence[0]).text.strip()
        if sentence is not None and attribution.kind == "partial"
        else None
    )
    cue = attribution.cue.text if attribution.cue is not None else None
    return framing_record(text[quote.content_start : quote.content_end], tokens, cue, context)


def _record(article: Article, attribution: Attribution, speaker: Speaker, offset: int) -> Quotation:
    quote, mention, cue = attribution.quote, attribution.mention, attribution.cue
    return Quotation(
        article=article.id,
        outlet=article.outlet,
        start=quote.start,
        end=quote.end,
        text=article.text[quote.start : quote.end],
        kind=attribution.kind,
        speaker=speaker.name,
        speaker_type=speaker.type,
        speaker_mention=article.text[mention.start_char + offset : mention.end_char + offset]
        if mention
        else None,
        speaker_start=mention.start_char + offset if mention else None,
        speaker_end=mention.end_char + offset if mention else None,
        speaker_role=speaker.role,
        cue=article.text[cue.start_char + offset : cue.end_char + offset] if cue else None,
        confidence=RULE_CONFIDENCE.get(attribution.how, 0.5),
    )
