"""The Markdown report: how each outlet quoted the same speakers.

`build_corpus` gathers what every section reads (articles, quotations, copied passages, statements
aligned across outlets); `render_report` turns it into Markdown tables with tabulate. Quotations in
copied passages are shown under Syndication and left out of every comparison, since a copy is not an
outlet's own choice. Every cell goes through `markdown_cell` and every list is sorted on stable keys,
so the same input gives the same bytes.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import quote as quote_url

from tabulate import tabulate

from quotes.align import (
    PASSAGE_WORDS,
    Copy,
    Statement,
    align_quotations,
    copied_quotations,
    count_words,
    find_copies,
    format_diff,
    outlet_of,
)
from quotes.names import canonicalize
from quotes.output import markdown_cell, shorten
from quotes.records import FRAMING_LABELS, UNKNOWN_OUTLET, Article, ArticleResult, Quotation

__all__ = ["Corpus", "build_corpus", "corpus_from_results", "render_report"]

DEFAULT_TITLE = "How each outlet quotes the same speakers"
UNATTRIBUTED = "(unattributed)"
MAX_SPEAKERS = 25  # rows of the speaker tables, and speakers in "Per speaker"
MAX_STATEMENTS = 40  # statements shown under "The same statement across outlets"
MAX_LISTED = 30  # quotations listed for one outlet (exclusive ones, one speaker's)
MAX_QUOTE_CHARS = 240  # longer quotations are shortened in lists (never in aligned statements)
_COPY_RULE = f"passages with {PASSAGE_WORDS} words or more of its own, outside quotations"
CHART_TITLES = {"framing": "Framing mix by outlet", "speakers": "Speaker share by outlet"}


@dataclass(frozen=True)
class Corpus:
    """Everything the report reads, in stable order."""

    articles: list[Article]  # by id
    quotations: list[Quotation]  # by (article, start)
    copies: list[Copy]
    independent: list[Quotation]  # the quotations outside copied passages
    statements: list[Statement]  # the independent quotations aligned across outlets
    outlets: list[str]  # outlet_of() labels, by name, unknown ones last

    def speakers(self) -> list[str]:
        """Speakers of the independent quotations by prominence: words quoted, then quotations."""
        words: Counter[str] = Counter()
        counts: Counter[str] = Counter()
        for q in self.independent:
            words[speaker_of(q)] += count_words(q.text)
            counts[speaker_of(q)] += 1
        return sorted(counts, key=lambda s: (-words[s], -counts[s], s))

    def by_speaker_and_outlet(self) -> dict[tuple[str, str], list[Quotation]]:
        table: dict[tuple[str, str], list[Quotation]] = defaultdict(list)
        for q in self.independent:
            table[speaker_of(q), outlet_of(q)].append(q)
        return table

    def framing_by_outlet(self) -> dict[str, Counter[str]]:
        table: dict[str, Counter[str]] = {outlet: Counter() for outlet in self.outlets}
        for q in self.independent:
            table[outlet_of(q)][q.framing] += 1
        return table


def speaker_of(quotation: Quotation) -> str:
    return quotation.speaker or UNATTRIBUTED


def build_corpus(articles: Iterable[Article], quotations: Iterable[Quotation]) -> Corpus:
    """The corpus of `articles` and their `quotations` (speakers already canonical)."""
    articles = sorted(articles, key=lambda a: a.id)
    quotations = sorted(quotations, key=lambda q: (q.article, q.start, q.end))
    copies = find_copies(articles, quotations)
    copied = {id(q) for q in copied_quotations(quotations, copies)}
    independent = [q for q in quotations if id(q) not in copied]
    outlets = sorted(
        {outlet_of(a) for a in articles}, key=lambda o: (o.startswith(f"{UNKNOWN_OUTLET} ("), o.casefold(), o)
    )
    return Corpus(articles, quotations, copies, independent, align_quotations(independent), outlets)


def corpus_from_results(results: Iterable[ArticleResult]) -> Corpus:
    """The corpus of extraction results, speakers given one name across all of them."""
    results = [r for r in results if r.error is None]
    quotations = canonicalize(
        [q for r in results for q in r.quotations], [name for r in results for name in r.people]
    )
    return build_corpus((r.article for r in results), quotations)


def render_report(corpus: Corpus, title: str = DEFAULT_TITLE, charts: Mapping[str, str] | None = None) -> str:
    """The report in Markdown; `charts` maps "framing"/"speakers" to image paths relative to it."""
    charts = charts or {}
    sections = [
        f"# {markdown_cell(title)}\n",
        _overview(corpus),
        _voices(corpus, charts.get("speakers")),
        _framing(corpus, charts.get("framing")),
        _same_statements(corpus),
        _exclusive(corpus),
        _verbs(corpus),
        _syndication(corpus),
        _per_speaker(corpus),
    ]
    return "\n".join(sections)


# --------------------------------------------------------------------------------------------------
# Sections


def _overview(corpus: Corpus) -> str:
    by_outlet: dict[str, list[Article]] = defaultdict(list)
    for article in corpus.articles:
        by_outlet[outlet_of(article)].append(article)
    quoted: dict[str, list[Quotation]] = defaultdict(list)
    for q in corpus.quotations:
        quoted[outlet_of(q)].append(q)
    copied = Counter(outlet_of(q) for q in corpus.quotations) - Counter(
        outlet_of(q) for q in corpus.independent
    )
    rows = [
        _overview_row(markdown_cell(outlet), by_outlet[outlet], quoted[outlet], copied[outlet])
        for outlet in corpus.outlets
    ]
    rows.append(
        _overview_row(
            "**all**", corpus.articles, corpus.quotations, len(corpus.quotations) - len(corpus.independent)
        )
    )
    headers = [
        "outlet",
        "original outlet",
        "articles",
        "words",
        "quotations",
        "attributed",
        "anonymous",
        "partial",
    ]
    return (
        "## Overview\n\n"
        f"{len(corpus.articles)} articles from {len(corpus.outlets)} outlets, {len(corpus.quotations)} "
        "quotations. Shares are of each outlet's quotations; an article of unknown outlet counts as an "
        "outlet of its own. Copied quotations (see Syndication) are left out of every comparison below.\n\n"
        + _table([*headers, "copied"], rows)
    )


def _overview_row(label: str, articles: list[Article], quotations: list[Quotation], copied: int) -> list[str]:
    originals = sorted({a.original_outlet for a in articles if a.original_outlet not in (None, a.outlet)})
    total = len(quotations)
    return [
        label,
        markdown_cell(", ".join(originals)) if originals else "—",
        str(len(articles)),
        f"{sum(count_words(a.text) for a in articles):,}",
        str(total),
        _share(sum(q.speaker is not None for q in quotations), total),
        _share(sum(q.speaker_type == "anonymous" for q in quotations), total),
        _share(sum(q.kind == "partial" for q in quotations), total),
        str(copied),
    ]


def _voices(corpus: Corpus, chart: str | None) -> str:
    table = corpus.by_speaker_and_outlet()
    speakers = corpus.speakers()
    rows, gaps = [], []
    for speaker in speakers[:MAX_SPEAKERS]:
        cells = {o: table.get((speaker, o), []) for o in corpus.outlets}
        present = [o for o in corpus.outlets if cells[o]]
        quotations = [q for o in present for q in cells[o]]
        rows.append(
            [
                markdown_cell(speaker),
                _speaker_type(quotations),
                f"{len(present)} of {len(corpus.outlets)}",
                _count(quotations),
                *(_count(cells[o]) if cells[o] else "—" for o in corpus.outlets),
            ]
        )
        absent = [o for o in corpus.outlets if not cells[o]]
        if speaker != UNATTRIBUTED and len(present) > 1 and absent:
            gaps.append(
                f"* **{markdown_cell(speaker)}**: quoted by {_names(present)}; not by {_names(absent)}."
            )
    text = (
        "## Who gets a voice where\n\n"
        "Quotations (words quoted) of each speaker by each outlet, speakers by words quoted; — marks an "
        "outlet that does not quote the speaker.\n\n"
        + _table(["speaker", "type", "outlets", "all", *map(markdown_cell, corpus.outlets)], rows)
        + _more(len(speakers) - MAX_SPEAKERS, "speakers with fewer words quoted")
    )
    if gaps:
        text += "\nQuoted by some outlets and not by others:\n\n" + "\n".join(gaps) + "\n"
    return text + _chart("speakers", chart)


def _framing(corpus: Corpus, chart: str | None) -> str:
    by_outlet = corpus.framing_by_outlet()
    rows = [[markdown_cell(o), *_framing_cells(by_outlet[o])] for o in corpus.outlets]
    table = corpus.by_speaker_and_outlet()
    speaker_rows = []
    for speaker in _named(corpus.speakers())[:MAX_SPEAKERS]:
        for outlet in corpus.outlets:
            if quotations := table.get((speaker, outlet)):
                speaker_rows.append(
                    [
                        markdown_cell(speaker),
                        markdown_cell(outlet),
                        *_framing_cells(Counter(q.framing for q in quotations)),
                    ]
                )
    return (
        "## Framing by outlet and by speaker\n\n"
        "Each quotation's framing as the model labels it (`quotes frame`); the leaning is the most "
        'frequent label, "mixed" when two tie.\n\n'
        "### By outlet\n\n"
        + _table(["outlet", *FRAMING_LABELS, "quotations", "leaning"], rows)
        + _chart("framing", chart)
        + "\n### By speaker and outlet\n\n"
        + _table(["speaker", "outlet", *FRAMING_LABELS, "quotations", "leaning"], speaker_rows)
    )


def _framing_cells(counts: Counter[str]) -> list[str]:
    total = sum(counts.values())
    top = max(counts[label] for label in FRAMING_LABELS)
    leaders = [label for label in FRAMING_LABELS if counts[label] == top]
    return [
        *(
            f"{counts[label]} ({_share(counts[label], total)})" if counts[label] else "—"
            for label in FRAMING_LABELS
        ),
        str(total),
        "—" if not total else leaders[0] if len(leaders) == 1 else "mixed",
    ]


def _same_statements(corpus: Corpus) -> str:
    shared = sorted(
        (s for s in corpus.statements if len(s.outlets) > 1),
        key=lambda s: (-len(s.outlets), -len(s.wordings)),  # stable: ties keep the corpus order
    )
    parts = [
        "## The same statement across outlets\n\n"
        "Quotations of one statement carried by several outlets, matched whatever the wording and whoever "
        "it is attributed to. A variant shows how it differs from the fullest wording (first row): "
        "~~struck~~ words are the fullest wording's, **bold** ones this outlet's.\n"
    ]
    if not shared:
        parts.append("\nNo statement is carried by more than one outlet.\n")
    for number, statement in enumerate(shared[:MAX_STATEMENTS], 1):
        attributions = sorted({_attribution(w.quotation) for w in statement.wordings})
        rows = [
            [
                markdown_cell(outlet_of(w.quotation)),
                _attribution(w.quotation),
                markdown_cell(w.quotation.cue or "—"),
                w.extent + ("" if w.exact else ", variant"),
                markdown_cell(w.quotation.text)
                if w.exact
                else format_diff(w.diff, markdown_cell, "~~{}~~", "**{}**"),
                w.quotation.framing,
            ]
            for w in statement.wordings
        ]
        parts.append(
            f"\n### {number}. {markdown_cell(shorten(statement.reference.text, 100))}\n\n"
            f"Carried by {len(statement.outlets)} outlets; attributed to {'; '.join(attributions)}.\n\n"
            + _table(["outlet", "attributed to", "cue", "extent", "wording", "framing"], rows)
        )
    parts.append(_more(len(shared) - MAX_STATEMENTS, "statements carried by fewer outlets"))
    return "".join(parts)


def _exclusive(corpus: Corpus) -> str:
    by_outlet: dict[str, list[Quotation]] = defaultdict(list)
    for statement in corpus.statements:
        if len(statement.outlets) == 1:
            by_outlet[statement.outlets[0]].extend(w.quotation for w in statement.wordings)
    rows, left_out = [], []
    for outlet in corpus.outlets:
        quotations = sorted(by_outlet[outlet], key=lambda q: (q.article, q.start))
        rows.extend(
            [
                markdown_cell(outlet),
                markdown_cell(speaker_of(q)),
                markdown_cell(shorten(q.text, MAX_QUOTE_CHARS)),
                q.framing,
            ]
            for q in quotations[:MAX_LISTED]
        )
        if len(quotations) > MAX_LISTED:
            left_out.append(f"{len(quotations) - MAX_LISTED} more from {markdown_cell(outlet)}")
    text = "### Exclusive quotations\n\nStatements only one outlet chose to carry.\n\n" + _table(
        ["outlet", "speaker", "quotation", "framing"], rows
    )
    return text + _left_out(left_out)


def _verbs(corpus: Corpus) -> str:
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for q in corpus.independent:
        counts[" ".join(q.cue.lower().split()) if q.cue else "(none)"][outlet_of(q)] += 1
    verbs = sorted(counts, key=lambda v: (-sum(counts[v].values()), v))
    rows = [
        [
            markdown_cell(v),
            str(sum(counts[v].values())),
            *(str(counts[v][o]) if counts[v][o] else "—" for o in corpus.outlets),
        ]
        for v in verbs
    ]
    return (
        "## Reporting verbs by outlet\n\n"
        'The verb or phrase that introduces each quotation is the outlet\'s own word ("said" or '
        '"warned"); quotations by verb and outlet.\n\n'
        + _table(["verb", "all", *map(markdown_cell, corpus.outlets)], rows)
    )


def _syndication(corpus: Corpus) -> str:
    if not corpus.copies:
        return f"## Syndication\n\nNo article reproduces another outlet's text ({_COPY_RULE}).\n"
    articles = {a.id: a for a in corpus.articles}
    copied = Counter(q.article for q in corpus.quotations) - Counter(q.article for q in corpus.independent)
    rows = [
        [
            markdown_cell(copy.article),
            markdown_cell(outlet_of(articles[copy.article])),
            markdown_cell(copy.source),
            markdown_cell(outlet_of(articles[copy.source])),
            "whole article" if copy.whole else f"{len(copy.passages)} passage(s)",
            _share_of(copy.share),
            str(copied[copy.article]),
        ]
        for copy in corpus.copies
    ]
    return (
        "## Syndication\n\n"
        f"Articles that reproduce another outlet's text ({_COPY_RULE}). Their "
        "quotations inside the copied passages are set aside: they are not the copying outlet's choice.\n\n"
        + _table(
            ["copy", "outlet", "copy of", "outlet", "copied", "share of its words", "quotations set aside"],
            rows,
        )
    )


def _per_speaker(corpus: Corpus) -> str:
    table = corpus.by_speaker_and_outlet()
    parts = ["## Per speaker\n\nEach outlet's quotations of the speaker, outlet by outlet.\n"]
    for speaker in _named(corpus.speakers())[:MAX_SPEAKERS]:
        rows, left_out = [], []
        for outlet in corpus.outlets:
            quotations = table.get((speaker, outlet), [])
            rows.extend(
                [
                    markdown_cell(outlet),
                    q.framing,
                    q.kind,
                    markdown_cell(q.cue or "—"),
                    markdown_cell(shorten(q.text, MAX_QUOTE_CHARS)),
                ]
                for q in quotations[:MAX_LISTED]
            )
            if len(quotations) > MAX_LISTED:
                left_out.append(f"{len(quotations) - MAX_LISTED} more from {markdown_cell(outlet)}")
        parts.append(
            f"\n### {markdown_cell(speaker)}\n\n"
            + _table(["outlet", "framing", "kind", "cue", "quotation"], rows)
            + _left_out(left_out)
        )
    return "".join(parts)


# --------------------------------------------------------------------------------------------------
# Cells


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    return tabulate(rows, headers=headers, tablefmt="github", disable_numparse=True) + "\n"


def _share(part: int, total: int) -> str:
    return _share_of(part / total) if total else "—"


def _share_of(fraction: float) -> str:
    return f"{100 * fraction:.0f}%"


def _count(quotations: list[Quotation]) -> str:
    return f"{len(quotations)} ({sum(count_words(q.text) for q in quotations):,})"


def _names(outlets: list[str]) -> str:
    return ", ".join(map(markdown_cell, outlets))


def _named(speakers: list[str]) -> list[str]:
    return [s for s in speakers if s != UNATTRIBUTED]


def _speaker_type(quotations: list[Quotation]) -> str:
    types = Counter(q.speaker_type for q in quotations)
    return min(types, key=lambda t: (-types[t], t))


def _attribution(quotation: Quotation) -> str:
    """Whom the outlet credits: the speaker, and the role the article gives them."""
    if quotation.speaker is None:
        return UNATTRIBUTED
    role = f", {quotation.speaker_role}" if quotation.speaker_role else ""
    return markdown_cell(f"{quotation.speaker}{role} ({quotation.speaker_type})")


def _left_out(counts: list[str]) -> str:
    return f"\n…and {'; '.join(counts)}.\n" if counts else ""


def _more(count: int, what: str) -> str:
    return f"\n…and {count} more {what}.\n" if count > 0 else ""


def _chart(name: str, path: str | None) -> str:
    return f"\n![{CHART_TITLES[name]}]({quote_url(path)})\n" if path else ""
