"""Sanity checks for the hand-annotated gold file tests/data/seeds_gold.jsonl (no spaCy needed)."""

from __future__ import annotations

import json
from itertools import pairwise
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
GOLD = ROOT / "tests" / "data" / "seeds_gold.jsonl"

KINDS = {"direct", "partial"}
SPEAKER_TYPES = {"person", "organization", "anonymous", "group", "unknown"}
QUOTE_KEYS = {
    "start",
    "end",
    "text",
    "kind",
    "speaker",
    "speaker_type",
    "speaker_mention",
    "speaker_start",
    "speaker_end",
    "speaker_role",
    "cue",
}
OPENING_MARKS = "“‘"
CLOSING_MARKS = "”’"


def _load() -> list[dict]:
    with GOLD.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


GOLD_ARTICLES = _load()


def _text(article: dict) -> str:
    return (ROOT / article["file"]).read_text(encoding="utf-8")


def test_every_seed_article_is_annotated_once():
    seed_names = sorted(p.name for p in SEEDS.glob("*.txt"))
    gold_ids = [a["id"] for a in GOLD_ARTICLES]
    assert sorted(gold_ids) == seed_names
    assert len(set(gold_ids)) == len(gold_ids)
    for a in GOLD_ARTICLES:
        assert set(a) == {"id", "file", "quotes"}
        assert a["file"] == f"seeds/{a['id']}"
        assert a["quotes"], f"{a['id']} has no quotations"


@pytest.mark.parametrize("article", GOLD_ARTICLES, ids=lambda a: a["id"])
def test_records_are_valid(article):
    text = _text(article)
    assert "\r" not in text
    for q in article["quotes"]:
        assert set(q) == QUOTE_KEYS, q
        assert isinstance(q["start"], int) and isinstance(q["end"], int)
        assert 0 <= q["start"] < q["end"] <= len(text)
        assert text[q["start"] : q["end"]] == q["text"]
        assert q["text"][0] in OPENING_MARKS, q["text"]
        assert q["kind"] in KINDS
        assert q["speaker_type"] in SPEAKER_TYPES

        if q["speaker_mention"] is None:
            assert q["speaker_start"] is None and q["speaker_end"] is None
        else:
            s, e = q["speaker_start"], q["speaker_end"]
            assert isinstance(s, int) and isinstance(e, int)
            assert 0 <= s < e <= len(text)
            assert text[s:e] == q["speaker_mention"]
            # the mention is outside the quotation it attributes
            assert e <= q["start"] or s >= q["end"]

        if q["speaker"] is None:
            assert q["speaker_type"] == "unknown"
            assert q["speaker_mention"] is None and q["speaker_role"] is None
        else:
            assert q["speaker_type"] != "unknown"
            assert q["speaker"].strip() == q["speaker"] and q["speaker"]
        for key in ("speaker_role", "cue"):
            assert q[key] is None or (isinstance(q[key], str) and q[key].strip() == q[key] and q[key])


@pytest.mark.parametrize("article", GOLD_ARTICLES, ids=lambda a: a["id"])
def test_quotes_sorted_and_non_overlapping(article):
    quotes = article["quotes"]
    for a, b in pairwise(quotes):
        assert a["start"] < b["start"]
        assert a["end"] <= b["start"], (a["text"], b["text"])


@pytest.mark.parametrize("article", GOLD_ARTICLES, ids=lambda a: a["id"])
def test_every_double_opening_mark_starts_a_record(article):
    # Every curly double opening mark in the seeds opens a gold quotation or a later fragment of one
    # (none was excluded).
    text = _text(article)
    for i, ch in enumerate(text):
        if ch == "“":
            assert any(q["start"] <= i < q["end"] for q in article["quotes"]), text[max(0, i - 30) : i + 30]


def test_quotes_end_with_a_closing_mark_except_the_truncated_one():
    unclosed = [
        (a["id"], q["text"]) for a in GOLD_ARTICLES for q in a["quotes"] if q["text"][-1] not in CLOSING_MARKS
    ]
    # 003 is cut off mid-quotation; that record runs to the end of its paragraph.
    assert unclosed == [
        ("003_acf96132f0f084c7.txt", "“created conditions that undermine the purpose of the trip")
    ]
