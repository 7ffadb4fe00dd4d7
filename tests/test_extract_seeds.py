"""The extractor reproduces the hand-made gold of the five seed articles (tests/data/seeds_gold.jsonl)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from quotes.articles import read_articles
from quotes.extract import extract_articles
from quotes.names import canonicalize
from quotes.records import Article, Quotation

ROOT = Path(__file__).resolve().parents[1]
GOLD = {
    row["id"]: row for row in map(json.loads, (ROOT / "tests/data/seeds_gold.jsonl").read_text().splitlines())
}


@pytest.fixture(scope="module")
def extracted() -> dict[str, list[Quotation]]:
    articles = [a for a in read_articles([str(ROOT / "seeds")]) if isinstance(a, Article)]
    results = list(extract_articles(articles))
    assert all(r.error is None for r in results)
    quotations = canonicalize(
        [q for r in results for q in r.quotations], [n for r in results for n in r.people]
    )
    by_article: dict[str, list[Quotation]] = {}
    for quotation in quotations:
        by_article.setdefault(Path(quotation.article).name, []).append(quotation)
    return by_article


def _gold_rows() -> list[tuple[str, dict]]:
    return [(article, quote) for article, row in GOLD.items() for quote in row["quotes"]]


@pytest.mark.parametrize(
    ("article", "gold"), _gold_rows(), ids=lambda v: v if isinstance(v, str) else v["text"][:40]
)
def test_every_gold_quotation_is_found_with_its_speaker(extracted, article, gold):
    found = [q for q in extracted.get(article, []) if (q.start, q.end) == (gold["start"], gold["end"])]
    assert found, f"not extracted: {gold['text']}"
    quotation = found[0]
    assert (quotation.speaker, quotation.speaker_type) == (gold["speaker"], gold["speaker_type"])


@pytest.mark.parametrize("article", sorted(GOLD))
def test_nothing_beyond_the_gold_is_extracted(extracted, article):
    gold_spans = {(q["start"], q["end"]) for q in GOLD[article]["quotes"]}
    extra = [q.text for q in extracted.get(article, []) if (q.start, q.end) not in gold_spans]
    assert extra == []


def test_kinds_agree_with_the_gold(extracted):
    pairs = [
        (gold["kind"], q.kind)
        for article, gold in _gold_rows()
        for q in extracted.get(article, [])
        if (q.start, q.end) == (gold["start"], gold["end"])
    ]
    agreeing = sum(g == p for g, p in pairs)
    assert agreeing >= 0.9 * len(pairs)


def test_offsets_and_mentions_index_the_article_text(extracted):
    for article, quotations in extracted.items():
        text = (ROOT / "seeds" / article).read_text(encoding="utf-8")
        for q in quotations:
            assert text[q.start : q.end] == q.text
            if q.speaker_mention is not None:
                assert text[q.speaker_start : q.speaker_end] == q.speaker_mention
