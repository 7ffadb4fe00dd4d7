"""The extraction engine: huge articles are parsed in pieces, several processes give the same rows."""

from __future__ import annotations

from quotes.extract import extract_articles
from quotes.pipeline import MAX_CHUNK_CHARS
from quotes.records import Article

PARAGRAPH = "“We will finish the bridge by spring,” said Mayor Ann Lee of Springfield. The council agreed."


def test_an_article_longer_than_one_parse_is_cut_at_paragraphs_and_keeps_every_quotation():
    count = MAX_CHUNK_CHARS // len(PARAGRAPH) * 2 + 7
    text = "\n\n".join(PARAGRAPH for _ in range(count))
    [result] = list(extract_articles([Article(id="long", text=text)]))
    assert result.error is None
    assert len(result.quotations) == count
    for q in result.quotations:
        assert text[q.start : q.end] == q.text
        assert q.speaker == "Ann Lee"
        assert text[q.speaker_start : q.speaker_end] == q.speaker_mention


def test_two_processes_give_the_same_rows_as_one():
    articles = [
        Article(
            id=f"a{n}", text=f"Intro {n}.\n\n“Quote number {n} is here,” said Senator Jo Park.\n\n{PARAGRAPH}"
        )
        for n in range(40)
    ]
    one = [q.as_json() for r in extract_articles(articles) for q in r.quotations]
    two = [q.as_json() for r in extract_articles(articles, jobs=2, batch_size=8) for q in r.quotations]
    assert one == two
    assert len(one) == 80
