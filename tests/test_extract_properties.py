"""Property tests of the whole extractor: random text with random quote marks never breaks it, and
every span it returns indexes the text as given."""

from __future__ import annotations

import pytest
from conftest import fuzz_settings
from hypothesis import HealthCheck, given
from hypothesis import strategies as st

from quotes.extract import extract_articles
from quotes.records import Article

MARKS = [*"“”\"'‘’«»„「」", "''", "``", "\n", "\n\n", " said ", " Ann Lee ", ", ", ". ", ": ", " — "]
WORDS = ["We", "will", "win", "the", "vote", "he", "said", "Mayor", "Ann", "Lee", "told", "reporters", "in"]

text_with_marks = st.lists(
    st.one_of(st.sampled_from(MARKS), st.sampled_from(WORDS), st.text(max_size=6)), max_size=60
).map(" ".join)


@pytest.mark.fuzz
@fuzz_settings(60, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(text_with_marks, min_size=1, max_size=3))
def test_extraction_never_raises_and_spans_index_the_text(texts):
    articles = [Article(id=str(n), text=text) for n, text in enumerate(texts) if text.strip()]
    for result in extract_articles(articles):
        assert result.error is None
        text = result.article.text
        for q in result.quotations:
            assert 0 <= q.start < q.end <= len(text)
            assert text[q.start : q.end] == q.text
            if q.speaker_start is not None:
                assert 0 <= q.speaker_start < q.speaker_end <= len(text)
                assert text[q.speaker_start : q.speaker_end] == q.speaker_mention
            assert q.kind in ("direct", "partial")
            assert q.speaker_type in ("person", "organization", "anonymous", "group", "unknown")
