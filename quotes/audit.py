"""Audit one article against the stored coverage of its story.

An editor with a new article wants to see, in seconds, what it quotes and how that compares with what
other outlets quoted on the same story. This module finds that coverage in the store (articles dated
near it whose words are close to its words) and turns the comparison into findings; the comparison
itself (the same statement across articles, copied passages) is `quotes.align`'s, so an audit and the
report always agree on what "the same statement" means.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

import numpy as np
from scipy.sparse import csr_matrix
from tabulate import tabulate

from quotes.align import DiffRun, align_quotations, copied_quotations, find_copies, format_diff, outlet_of
from quotes.names import canonicalize
from quotes.output import markdown_cell, shorten
from quotes.records import AUTO_MODEL, MAX_QUOTE_CHARS, Article, Quotation, QuotesError
from quotes.statements import framing_in_background
from quotes.store import Store, term_counts

__all__ = [
    "FINDING_KINDS",
    "Audit",
    "Finding",
    "Related",
    "audit",
    "audit_article",
    "render_audit",
    "similar_articles",
]

# Stored articles count as the same story when dated within WINDOW_DAYS of the article (or either has
# no date) and their TF-IDF cosine with it reaches SIMILARITY. On AllSides events (benchmarks/store.py,
# 500 articles) 0.2 finds 86 % of an article's event, with 0.5 article of other events per article
# (precision 0.73; over all pairs of the corpus, 0.15 would let in ten other articles per article and
# 0.3 miss half the event); tests/test_audit.py checks that the seeds, five reports of one visit, all
# reach it and stories written for the tests do not.
WINDOW_DAYS = 3
SIMILARITY = 0.2
# In a store this small the document frequencies say more about the story than about the language
# (five reports of one visit all use its words), so words are weighed by their counts alone.
MIN_IDF_ARTICLES = 100
# Reliance on anonymous sources: at least this many quotations, and this share of the article's.
MIN_ANONYMOUS = 2
ANONYMOUS_SHARE = 0.3
NAMED_TYPES = ("person", "organization")  # speakers an article can be said to leave out

FINDING_KINDS = {
    "wording": "its wording of a statement differs from another article's",
    "attribution": "it credits a statement to a different speaker than another article does",
    "omitted-speaker": "a speaker other articles on the story quote is not quoted in it",
    "exclusive": "a statement no other article on the story carries",
    "unattributed": "a quotation credited to nobody",
    "anonymous": f"anonymous sources give at least {ANONYMOUS_SHARE:.0%} of its quotations",
    "one-sided": "its framed quotations all lean one way while the story's other coverage leans the other",
}


@dataclass(frozen=True)
class Related:
    """A stored article on the same story, with its similarity to the audited one."""

    article: Article
    similarity: float
    copy: bool = False  # it reproduces the audited article's text, or the audited article reproduces it


@dataclass(frozen=True)
class Finding:
    """Something an editor should look at, with the quotations that show it."""

    kind: str  # a key of FINDING_KINDS
    detail: str
    quotations: tuple[Quotation, ...] = ()  # the audited article's
    others: tuple[Quotation, ...] = ()  # other articles' quotations it is compared with
    speaker: str | None = None
    diff: str | None = None  # wording: [-this article's words-] {+the other's+}


@dataclass(frozen=True)
class Audit:
    article: Article
    quotations: list[Quotation]
    related: list[Related]
    findings: list[Finding] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # what extraction left out of the article

    def counts(self) -> dict[str, int]:
        found = Counter(f.kind for f in self.findings)
        return {kind: found[kind] for kind in FINDING_KINDS}


def audit_article(
    store: Store, article: Article, *, model: str = AUTO_MODEL, max_quote_chars: int = MAX_QUOTE_CHARS
) -> Audit:
    """Audit `article` against the store; an article the store holds is read back, not re-parsed,
    and is never compared with itself."""
    stored_id = store.find(article.text)
    if stored_id is not None:
        article = store.articles([stored_id])[stored_id]
        quotations, people = store.quotations([stored_id]).get(stored_id, []), store.people([stored_id])
        warnings = []
    else:
        with framing_in_background() as framer:
            from quotes.extract import extract_articles  # spaCy loads only for a new article

            [result] = extract_articles(
                [article], model=model, max_quote_chars=max_quote_chars, framer=framer
            )
        if result.error:
            raise QuotesError(f"{article.id}: could not be processed: {result.error}")
        quotations, people, warnings = result.quotations, result.people, result.warnings
    similar = similar_articles(store, article, exclude=stored_id)
    ids = [article_id for article_id, _ in similar]
    articles = store.articles(ids)
    others = [q for qs in store.quotations(ids).values() for q in qs]
    # one name per speaker over the article and its coverage (the store's names are canonical already)
    named = canonicalize([*quotations, *others], [*people, *store.people(ids)])
    related = [Related(articles[article_id], similarity) for article_id, similarity in similar]
    found = audit(article, named[: len(quotations)], related, named[len(quotations) :])
    return replace(found, warnings=warnings)


def similar_articles(store: Store, article: Article, exclude: int | None) -> list[tuple[int, float]]:
    """(id, similarity) of the stored articles on the article's story, most similar first."""
    ids, counts = store.term_counts()
    if not ids:
        return []
    own = counts[ids.index(exclude)] if exclude in ids else term_counts([article.text])
    idf = _idf(counts, own) if len(ids) >= MIN_IDF_ARTICLES else None
    similarities = (_tfidf(counts, idf) @ _tfidf(own, idf).T).toarray()[:, 0]
    in_window = set(store.article_ids(*_window(article.date)))
    found = [
        (article_id, round(float(similarity), 4))
        for article_id, similarity in zip(ids, similarities, strict=True)
        if similarity >= SIMILARITY and article_id in in_window and article_id != exclude
    ]
    return sorted(found, key=lambda pair: (-pair[1], pair[0]))


def _idf(counts: csr_matrix, own: csr_matrix) -> np.ndarray:
    """Smoothed inverse document frequency over the stored articles and the audited one."""
    documents = np.bincount(counts.indices, minlength=counts.shape[1])
    documents[own.indices] += 1
    return np.log((1 + counts.shape[0] + 1) / (1 + documents)) + 1


def _tfidf(counts: csr_matrix, idf: np.ndarray | None) -> csr_matrix:
    """Rows of 1 + log(count), times `idf`, scaled to unit length, so that a product of two rows is
    their cosine similarity. (This is scikit-learn's TfidfTransformer(sublinear_tf=True) written
    out: importing scikit-learn would cost an audit of a stored article a second of start-up.)"""
    rows = counts.astype(np.float64)
    rows.data = np.log(rows.data) + 1
    if idf is not None:
        rows.data *= idf[rows.indices]
    lengths = np.sqrt(np.asarray(rows.multiply(rows).sum(axis=1))[:, 0])
    lengths[lengths == 0] = 1
    return csr_matrix(rows.multiply(1 / lengths[:, None]))


def _window(iso: str | None) -> tuple[str | None, str | None]:
    try:
        day = date.fromisoformat((iso or "")[:10])
    except ValueError:
        return None, None
    return (day - timedelta(days=WINDOW_DAYS)).isoformat(), (day + timedelta(days=WINDOW_DAYS)).isoformat()


def audit(
    article: Article, quotations: list[Quotation], related: list[Related], others: list[Quotation]
) -> Audit:
    """The findings for `article` and its `quotations` against `related` articles and their
    quotations `others` (speakers named alike on both sides). Passages copied between the article
    and another are left out of the comparison: a copy is not an independent choice."""
    copies = [
        c
        for c in find_copies([article, *(r.article for r in related)])
        if article.id in (c.article, c.source)
    ]
    copied_ids = {c.article for c in copies if c.whole} | {c.source for c in copies if c.whole}
    related = [Related(r.article, r.similarity, r.article.id in copied_ids) for r in related]
    copied = {id(q) for q in copied_quotations([*quotations, *others], copies)}
    own = [q for q in quotations if id(q) not in copied]
    theirs = [q for q in others if id(q) not in copied]
    findings = _compared(own, theirs) if theirs else []
    findings += _flags(quotations, theirs)
    order = list(FINDING_KINDS)
    findings.sort(
        key=lambda f: (order.index(f.kind), f.quotations[0].start if f.quotations else -1, f.speaker or "")
    )
    return Audit(article, quotations, related, findings)


def _compared(own: list[Quotation], theirs: list[Quotation]) -> list[Finding]:
    """Wording, attribution, exclusive and omitted-speaker findings."""
    mine = {id(q) for q in own}
    findings = []
    for statement in align_quotations([*own, *theirs]):
        ours = [w for w in statement.wordings if id(w.quotation) in mine]
        others = [w for w in statement.wordings if id(w.quotation) not in mine]
        if not ours:
            continue
        if not others:
            findings += [
                Finding("exclusive", "no other article on the story carries it", (w.quotation,)) for w in ours
            ]
            continue
        reference = statement.wordings[0]
        if id(reference.quotation) in mine:
            variants = [w for w in others if not w.exact]
            findings += [
                Finding(
                    "wording",
                    f"{_source(w.quotation)} words it differently",
                    (reference.quotation,),
                    (w.quotation,),
                    diff=format_diff(w.diff),
                )
                for w in variants
            ]
        else:
            findings += [
                Finding(
                    "wording",
                    f"{_source(reference.quotation)} words it differently",
                    (w.quotation,),
                    (reference.quotation,),
                    diff=format_diff(_flipped(w.diff)),
                )
                for w in ours
                if not w.exact
            ]
        for wording in ours:
            q = wording.quotation
            differ = tuple(w.quotation for w in others if w.quotation.speaker not in (None, q.speaker))
            if differ:
                credited = "; ".join(sorted({f"{_source(o)}: {_attribution(o)}" for o in differ}))
                findings.append(
                    Finding("attribution", f"here {_attribution(q)}; {credited}", (q,), differ, q.speaker)
                )
    quoted = {q.speaker for q in own}
    left_out: dict[str, list[Quotation]] = {}
    for q in theirs:
        if q.speaker_type in NAMED_TYPES and q.speaker not in quoted:
            left_out.setdefault(q.speaker, []).append(q)
    for speaker, quotations in left_out.items():
        sources = sorted({_source(q) for q in quotations})
        findings.append(
            Finding(
                "omitted-speaker",
                f"quoted {len(quotations)} time(s) by {', '.join(sources)}",
                others=tuple(quotations),
                speaker=speaker,
            )
        )
    return findings


def _flags(quotations: list[Quotation], theirs: list[Quotation]) -> list[Finding]:
    """Unattributed quotations, reliance on anonymous sources, one-sided framing."""
    findings = [
        Finding("unattributed", "no speaker is named or implied", (q,)) for q in quotations if not q.speaker
    ]
    anonymous = tuple(q for q in quotations if q.speaker_type == "anonymous")
    if len(anonymous) >= MIN_ANONYMOUS and len(anonymous) >= ANONYMOUS_SHARE * len(quotations):
        findings.append(
            Finding(
                "anonymous",
                f"{len(anonymous)} of {len(quotations)} quotations from anonymous sources",
                anonymous,
            )
        )
    framed = tuple(q for q in quotations if q.framing != "neutral")
    leanings = {q.framing for q in framed}
    if len(framed) >= 2 and len(leanings) == 1:
        [leaning] = leanings
        opposite = tuple(q for q in theirs if q.framing not in ("neutral", leaning))
        if opposite:
            findings.append(
                Finding(
                    "one-sided",
                    f"all {len(framed)} framed quotations are {leaning}; the story's other coverage "
                    f"has {len(opposite)} {opposite[0].framing} one(s)",
                    framed,
                    opposite,
                )
            )
    return findings


def _flipped(diff: Iterable[DiffRun]) -> list[DiffRun]:
    swap = {"deleted": "inserted", "inserted": "deleted", "equal": "equal"}
    return [DiffRun(swap[run.op], run.words) for run in diff]


def _source(quotation: Quotation) -> str:
    return outlet_of(quotation)


def _attribution(quotation: Quotation) -> str:
    if quotation.speaker is None:
        return "nobody"
    return quotation.speaker + (f" ({quotation.speaker_role})" if quotation.speaker_role else "")


# --------------------------------------------------------------------------------------------------
# Output

FORMATS = ("text", "md", "json")


def render_audit(result: Audit, fmt: str) -> str:
    """The audit as a terminal table ("text"), Markdown ("md") or one JSON object ("json")."""
    if fmt == "json":
        return json.dumps(_as_json(result), ensure_ascii=False, indent=2) + "\n"
    markdown = fmt == "md"
    cell = markdown_cell if markdown else _plain
    table_format = "github" if markdown else "simple"

    def table(headers: list[str], rows: list[list[str]]) -> str:
        if not rows:
            return "(none)\n"
        return tabulate(rows, headers=headers, tablefmt=table_format, disable_numparse=True) + "\n"

    def heading(text: str) -> str:
        return f"\n## {text}\n\n" if markdown else f"\n{text}\n{'=' * len(text)}\n"

    article = result.article
    via = f", via {article.original_outlet}" if article.original_outlet not in (None, article.outlet) else ""
    counts = ", ".join(f"{kind} {n}" for kind, n in result.counts().items() if n) or "none"
    head = (
        f"{'# ' if markdown else ''}Audit of {cell(article.id)}\n\n"
        f"{cell(article.outlet + via)}; {article.date or 'undated'}; {cell(article.title or '(no title)')}\n"
        f"{len(result.quotations)} quotations; {len(result.related)} stored article(s) on the story; "
        f"findings: {counts}\n"
    )
    quotations = table(
        ["speaker", "role", "type", "kind", "cue", "framing", "p", "quotation"],
        [
            [
                cell(q.speaker or "—"),
                cell(shorten(q.speaker_role or "", 30)),
                q.speaker_type,
                q.kind,
                cell(q.cue or ""),
                q.framing,
                f"{q.framing_scores.get(q.framing, 0):.2f}",
                cell(shorten(q.text, 70)),
            ]
            for q in result.quotations
        ],
    )
    related = table(
        ["similarity", "outlet", "date", "article", "title", "copy"],
        [
            [
                f"{r.similarity:.2f}",
                cell(r.article.outlet),
                r.article.date or "—",
                cell(r.article.id),
                cell(shorten(r.article.title or "", 50)),
                "copy" if r.copy else "",
            ]
            for r in result.related
        ],
    )
    findings = table(
        ["finding", "this article", "other articles", "detail"],
        [
            [
                f.kind,
                cell(f.speaker if f.kind == "omitted-speaker" else _quoted(f.quotations, own=True)),
                cell(_quoted(f.others)),
                cell(f.diff or f.detail),
            ]
            for f in result.findings
        ],
    )
    return (
        head
        + heading("Quotations")
        + quotations
        + heading(f"Stored articles on the same story (±{WINDOW_DAYS} days, similarity ≥ {SIMILARITY})")
        + related
        + heading("Findings")
        + findings
    )


def _quoted(quotations: tuple[Quotation, ...], own: bool = False) -> str:
    """The first quotation as `outlet: speaker: words` (no outlet for the audited article's own)."""
    if not quotations:
        return ""
    first = quotations[0]
    more = f" (+{len(quotations) - 1} more)" if len(quotations) > 1 else ""
    source = "" if own else f"{_source(first)}: "
    return f"{source}{first.speaker or '—'}: {shorten(first.text, 50)}{more}"


def _plain(value: str) -> str:
    return " ".join(str(value).split())


def _as_json(result: Audit) -> dict:
    article = result.article
    return {
        "article": {
            "id": article.id,
            "outlet": article.outlet,
            "original_outlet": article.original_outlet,
            "title": article.title,
            "date": article.date,
            "url": article.url,
        },
        "quotations": [q.as_json() for q in result.quotations],
        "related": [
            {
                "id": r.article.id,
                "outlet": r.article.outlet,
                "title": r.article.title,
                "date": r.article.date,
                "similarity": r.similarity,
                "copy": r.copy,
            }
            for r in result.related
        ],
        "findings": [
            {
                "kind": f.kind,
                "detail": f.detail,
                "speaker": f.speaker,
                "diff": f.diff,
                "quotations": [q.as_json() for q in f.quotations],
                "others": [q.as_json() for q in f.others],
            }
            for f in result.findings
        ],
        "counts": result.counts(),
    }
