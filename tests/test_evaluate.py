"""The scorer: the speaker-name rule, quotation matching, and agreement with the official scorer."""

from __future__ import annotations

import json
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SHARED_DATA, write_jsonl

from quotes.evaluate import DEFAULT_KINDS, same_speaker, score, words

OFFICIAL_SCORER = SHARED_DATA / "score_quotes.py"
POLNEAR_DEV = SHARED_DATA / "quotes" / "polnear_dev.jsonl"
needs_official = pytest.mark.skipif(not OFFICIAL_SCORER.exists(), reason="no ../shared/data/score_quotes.py")

# --------------------------------------------------------------------------------------------------
# same_speaker: a contiguous run of words or the same last word, titles and articles aside
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("predicted", "gold", "same"),
    [
        ("Antony Blinken", "Blinken", True),
        ("Blinken", "Antony Blinken", True),
        ("the official", "a senior official", True),
        ("Mr. Trump", "Donald Trump", True),
        ("Donald J. Trump", "Trump", True),
        ("Sen. Elizabeth Warren", "Warren", True),
        ("BLINKEN", "blinken", True),
        ("Beto O’Rourke", "O'Rourke", True),
        ("Jean-Yves Le Drian", "Le Drian", True),
        ("Trump’s campaign", "the Trump campaign", True),
        ("the Trump campaign", "Trump", True),  # a shared run of words is enough
        ("Bill Clinton", "Hillary Clinton", True),  # the same last word is enough
        ("he", "he", True),
        ("Wang Yi", "Wang Wenbin", False),
        ("he", "Trump", False),
        ("she", "he", False),
        ("President Obama", "the president", False),
        ("the", "the", False),  # titles and articles alone name no one
        ("Mr.", "Mr. Smith", False),
        ("the president", "the president", False),  # "president" is a title word in the official rule
        ("the president", "President Xi", False),
        (None, "Trump", False),
        ("Trump", None, False),
        ("", "", False),
        ("—", "Trump", False),
    ],
)
def test_same_speaker(predicted, gold, same):
    assert same_speaker(predicted, gold) is same


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Mr. Trump", ["mr", "trump"]),
        ("Trump's", ["trump"]),
        ("O’Rourke", ["o'rourke"]),
        ("Jean-Yves Le Drian", ["jean-yves", "le", "drian"]),
        ("the G-7's leaders", ["the", "g-7", "leaders"]),
        (None, []),
    ],
)
def test_words(name, expected):
    assert words(name) == expected


# --------------------------------------------------------------------------------------------------
# score: matching rules on hand-made gold and predictions
# --------------------------------------------------------------------------------------------------


def gold_quote(start, end, kind="direct", speaker="Jane Doe", speaker_start=None, speaker_end=None):
    quote = {"start": start, "end": end, "kind": kind, "speaker": speaker}
    if speaker_start is not None:
        quote |= {"speaker_start": speaker_start, "speaker_end": speaker_end}
    return quote


def pred(start, end, speaker="Jane Doe", speaker_start=None, speaker_end=None, article="a"):
    return {
        "article": article,
        "start": start,
        "end": end,
        "speaker": speaker,
        "speaker_start": speaker_start,
        "speaker_end": speaker_end,
    }


def scores_for(gold_quotes, predictions, kinds=DEFAULT_KINDS):
    gold = [{"id": "a", "text": "x" * 1000, "quotes": gold_quotes}]
    return score(gold, {"a": predictions}, kinds).as_json()


def counts(result):
    return {k: result[k] for k in ("n_gold", "n_pred", "n_ignored", "precision", "recall")}


@pytest.mark.parametrize(
    ("gold_quotes", "predictions", "n_gold", "n_pred", "n_ignored", "matched"),
    [
        # direct gold: overlap / len(gold) >= 0.5, however long the prediction
        ([gold_quote(0, 100)], [pred(0, 100)], 1, 1, 0, 1),
        ([gold_quote(0, 100)], [pred(0, 50)], 1, 1, 0, 1),
        ([gold_quote(0, 100)], [pred(0, 49)], 1, 1, 0, 0),
        ([gold_quote(0, 100)], [pred(50, 400)], 1, 1, 0, 1),
        ([gold_quote(0, 100)], [pred(40, 60)], 1, 1, 0, 0),
        ([gold_quote(0, 100)], [pred(100, 200)], 1, 1, 0, 0),
        # mixed (and partial) gold: overlap / min(len(gold), len(pred)) >= 0.5
        ([gold_quote(0, 100, "mixed")], [pred(40, 60)], 1, 1, 0, 1),
        ([gold_quote(0, 100, "partial")], [pred(40, 60)], 1, 1, 0, 1),
        ([gold_quote(0, 100, "mixed")], [pred(90, 110)], 1, 1, 0, 1),
        ([gold_quote(0, 100, "mixed")], [pred(91, 300)], 1, 1, 0, 0),
        # one-to-one: a prediction covering two gold quotations matches only one of them
        ([gold_quote(0, 10), gold_quote(10, 20)], [pred(0, 20)], 2, 1, 0, 1),
        # one-to-one: a second prediction of the same gold quotation is a false positive
        ([gold_quote(0, 100)], [pred(0, 60), pred(0, 90)], 1, 2, 0, 1),
        # an unmatched prediction over an indirect gold quotation is ignored, not counted wrong
        ([gold_quote(0, 100, "indirect")], [pred(10, 50)], 0, 0, 1, 0),
        ([gold_quote(0, 100, "indirect"), gold_quote(200, 250)], [pred(10, 50), pred(200, 250)], 1, 1, 1, 1),
        ([gold_quote(0, 100, "indirect")], [pred(300, 320)], 0, 1, 0, 0),
        # a prediction that matches is counted even when it also overlaps an indirect one
        ([gold_quote(0, 100, "indirect"), gold_quote(90, 130)], [pred(90, 130)], 1, 1, 0, 1),
        # nothing at all, and predictions without offsets
        ([], [], 0, 0, 0, 0),
        ([gold_quote(0, 100)], [pred(None, None)], 1, 0, 0, 0),
    ],
    ids=[
        "direct-exact",
        "direct-half",
        "direct-under-half",
        "direct-long-pred",
        "direct-short-pred",
        "direct-adjacent",
        "mixed-short-pred",
        "partial-short-pred",
        "mixed-half-of-pred",
        "mixed-under-half",
        "one-pred-two-gold",
        "two-preds-one-gold",
        "over-indirect",
        "over-indirect-and-direct",
        "beside-indirect",
        "matched-over-indirect",
        "empty",
        "no-offsets",
    ],
)
def test_quotation_matching(gold_quotes, predictions, n_gold, n_pred, n_ignored, matched):
    result = scores_for(gold_quotes, predictions)
    precision = round(matched / n_pred, 4) if n_pred else 0.0
    recall = round(matched / n_gold, 4) if n_gold else 0.0
    assert counts(result) == {
        "n_gold": n_gold,
        "n_pred": n_pred,
        "n_ignored": n_ignored,
        "precision": precision,
        "recall": recall,
    }


def test_greedy_matching_takes_the_best_coverage_first():
    # The 0.9-coverage prediction wins the gold quotation; its speaker is the one scored.
    result = scores_for([gold_quote(0, 100)], [pred(0, 60, "Jane Doe"), pred(0, 90, "John Smith")])
    assert (result["precision"], result["recall"], result["speaker_accuracy"]) == (0.5, 1.0, 0.0)


def test_gold_kinds_select_the_gold_set():
    quotes = [gold_quote(0, 100), gold_quote(200, 300, "mixed")]
    assert scores_for(quotes, [], frozenset({"direct"}))["n_gold"] == 1
    assert scores_for(quotes, [], frozenset({"direct", "mixed"}))["n_gold"] == 2
    # a prediction of a gold quotation outside the kinds counted is ignored
    result = scores_for(quotes, [pred(200, 300)], frozenset({"direct"}))
    assert (result["n_pred"], result["n_ignored"]) == (0, 1)


HE_AT_105 = gold_quote(0, 100, speaker="he", speaker_start=105, speaker_end=107)


@pytest.mark.parametrize(
    ("gold", "prediction", "right"),
    [
        (gold_quote(0, 100, speaker="Antony Blinken"), pred(0, 100, "Blinken"), True),
        (gold_quote(0, 100, speaker="Wang Yi"), pred(0, 100, "Wang Wenbin"), False),
        (gold_quote(0, 100, speaker="he"), pred(0, 100, "Donald Trump"), False),
        # the predicted mention span overlaps the gold speaker span
        (HE_AT_105, pred(0, 100, "Trump", 105, 107), True),
        (HE_AT_105, pred(0, 100, "Trump", 106, 120), True),
        (HE_AT_105, pred(0, 100, "Trump", 107, 112), False),
        (HE_AT_105, pred(0, 100, "Trump"), False),
        (gold_quote(0, 100, speaker="he"), pred(0, 100, "Trump", 105, 107), False),
        # the gold mention counts as well as the gold speaker
        (
            gold_quote(0, 100, speaker="Donald Trump") | {"speaker_mention": "the secretary"},
            pred(0, 100, "the secretary"),
            True,
        ),
        # no predicted speaker
        (gold_quote(0, 100, speaker="Jane Doe"), pred(0, 100, None), False),
    ],
)
def test_speaker_rule(gold, prediction, right):
    result = scores_for([gold], [prediction])
    expected = 1.0 if right else 0.0
    assert (result["speaker_accuracy"], result["e2e_precision"], result["e2e_recall"]) == (expected,) * 3


def test_end_to_end_counts_matched_quotations_with_the_right_speaker():
    gold = [gold_quote(0, 100, speaker="Jane Doe"), gold_quote(200, 300, speaker="John Smith")]
    predictions = [pred(0, 100, "Doe"), pred(200, 300, "Someone Else"), pred(500, 600, "Jane Doe")]
    result = scores_for(gold, predictions)
    assert result["precision"] == round(2 / 3, 4)
    assert result["recall"] == 1.0
    assert result["speaker_accuracy"] == 0.5
    assert (result["e2e_precision"], result["e2e_recall"]) == (round(1 / 3, 4), 0.5)
    assert result["e2e_f1"] == 0.4


def test_predictions_for_unknown_articles_are_not_counted():
    gold = [{"id": "a", "text": "", "quotes": [gold_quote(0, 100)]}]
    result = score(gold, {"a": [pred(0, 100)], "b": [pred(0, 100, article="b")]}).as_json()
    assert (result["n_pred"], result["precision"]) == (1, 1.0)


def test_summary_line():
    summary = score([{"id": "a", "quotes": [gold_quote(0, 100)]}], {"a": [pred(0, 100)]}).summary()
    assert summary == (
        "quote P/R/F1 1.000/1.000/1.000  speaker 1.000  e2e P/R/F1 1.000/1.000/1.000  "
        "(gold 1, predicted 1, ignored 0)"
    )


# --------------------------------------------------------------------------------------------------
# Agreement with the official scorer ../shared/data/score_quotes.py
# --------------------------------------------------------------------------------------------------

TEXT_A = (
    "“We will win,” said Jane Doe. He said the talks failed. "
    "“Not yet,” he added. Ann Lee called it “a farce.”"
)
TEXT_B = (
    "“Trade will grow,” the minister said. Officials said they were hopeful. “We disagree,” said Wang Yi."
)


def span(text: str, part: str) -> tuple[int, int]:
    """Where the word or words `part` first occur in `text`."""
    match = re.search(rf"(?<!\w){re.escape(part)}(?!\w)", text)
    assert match, part
    return match.span()


def hand_quote(text: str, quoted: str, kind: str, speaker: str) -> dict:
    (start, end), (speaker_start, speaker_end) = span(text, quoted), span(text, speaker)
    return {
        "start": start,
        "end": end,
        "text": quoted,
        "kind": kind,
        "speaker": speaker,
        "speaker_start": speaker_start,
        "speaker_end": speaker_end,
    }


HAND_GOLD = [
    {
        "id": "a",
        "text": TEXT_A,
        "quotes": [
            hand_quote(TEXT_A, "“We will win,”", "direct", "Jane Doe"),
            hand_quote(TEXT_A, "the talks failed", "indirect", "He"),
            hand_quote(TEXT_A, "“Not yet,”", "direct", "he"),
            hand_quote(TEXT_A, "called it “a farce.”", "mixed", "Ann Lee"),
        ],
    },
    {
        "id": "b",
        "text": TEXT_B,
        "quotes": [
            hand_quote(TEXT_B, "“Trade will grow,”", "direct", "the minister"),
            hand_quote(TEXT_B, "they were hopeful", "indirect", "Officials"),
            hand_quote(TEXT_B, "“We disagree,”", "direct", "Wang Yi"),
        ],
    },
]
HAND_PRED = [
    pred(*span(TEXT_A, "“We will win,”"), "Jane Doe", *span(TEXT_A, "Jane Doe"), article="a"),
    pred(*span(TEXT_A, "“We will win,”"), "Jane Doe", *span(TEXT_A, "Jane Doe"), article="a"),  # a duplicate
    pred(*span(TEXT_A, "talks"), "He", *span(TEXT_A, "He"), article="a"),  # inside the indirect one: ignored
    pred(*span(TEXT_A, "“Not yet,”"), "Jane Doe", *span(TEXT_A, "he"), article="a"),  # wrong name, right span
    pred(*span(TEXT_A, "“a farce.”"), "Ann Lee", article="a"),  # a fragment of the mixed quotation
    pred(0, 10, "Li Qiang", *span(TEXT_B, "the minister"), article="b"),  # more than half of the gold
    pred(*span(TEXT_B, "“We disagree,”"), "Wang Wenbin", article="b"),  # wrong speaker
    pred(*span(TEXT_B, "Officials said"), "Officials", article="b"),  # overlaps no gold: a false positive
    pred(*span(TEXT_B, "“We disagree,”"), "Wang Yi", article="zzz"),  # an article not in the gold
]

FIELD_NAMES = {  # quotes.evaluate name → score_quotes.py name
    "n_gold": "n_gold",
    "n_pred": "n_pred",
    "n_ignored": "n_pred_ignored",
    "precision": "quote_P",
    "recall": "quote_R",
    "f1": "quote_F1",
    "speaker_accuracy": "speaker_acc",
    "e2e_precision": "e2e_P",
    "e2e_recall": "e2e_R",
    "e2e_f1": "e2e_F1",
}


def test_hand_gold_is_consistent():
    for article in HAND_GOLD:
        for quote in article["quotes"]:
            assert 0 <= quote["start"] < quote["end"] <= len(article["text"])
            assert article["text"][quote["start"] : quote["end"]] == quote["text"]
            assert article["text"][quote["speaker_start"] : quote["speaker_end"]] == quote["speaker"]


def official_scores(gold: Path, predictions: Path, kinds: str = "direct,mixed") -> dict:
    completed = subprocess.run(
        [sys.executable, str(OFFICIAL_SCORER), str(gold), str(predictions), "--kinds", kinds],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return json.loads(completed.stdout)


def ours(gold_articles: list[dict], predictions: list[dict], kinds: str = "direct,mixed") -> dict:
    by_article: dict[str, list[dict]] = {}
    for row in predictions:
        by_article.setdefault(str(row["article"]), []).append(row)
    result = score(gold_articles, by_article, frozenset(kinds.split(","))).as_json()
    return {FIELD_NAMES[key]: value for key, value in result.items()}


def official_subset(result: dict) -> dict:
    return {key: result[key] for key in FIELD_NAMES.values()}


@needs_official
@pytest.mark.parametrize("kinds", ["direct,mixed", "direct", "mixed", "direct,mixed,indirect"])
def test_official_scorer_agrees_on_hand_made_files(tmp_path, kinds):
    gold = write_jsonl(tmp_path / "gold.jsonl", HAND_GOLD)
    predictions = write_jsonl(tmp_path / "pred.jsonl", HAND_PRED)
    expected = official_subset(official_scores(gold, predictions, kinds))
    assert ours(HAND_GOLD, HAND_PRED, kinds) == expected
    if kinds == "direct,mixed":
        # the files test what they should: 5 gold, 7 counted predictions, 1 ignored
        assert (expected["n_gold"], expected["n_pred"], expected["n_pred_ignored"]) == (5, 7, 1)


def perturbed_predictions(gold_articles: list[dict], seed: int = 7) -> list[dict]:
    """Predictions made from the gold: shifted, cut, merged, dropped, with wrong and right speakers."""
    rng = random.Random(seed)
    rows = []
    for article in gold_articles:
        for quote in article["quotes"]:
            if rng.random() < 0.15:
                continue
            start, end = quote["start"], quote["end"]
            length = end - start
            start += rng.randint(-length // 2, length // 2)
            end += rng.randint(-length // 2, length)
            speaker = quote.get("speaker") if rng.random() < 0.7 else rng.choice(["he", "Trump", None, "the"])
            start = max(0, start)
            row = {"article": article["id"], "start": start, "end": max(start + 1, end), "speaker": speaker}
            if quote.get("speaker_start") is not None and rng.random() < 0.5:
                row |= {
                    "speaker_start": quote["speaker_start"] + rng.randint(-3, 3),
                    "speaker_end": quote["speaker_end"] + rng.randint(-3, 3),
                }
            rows.append(row)
            if rng.random() < 0.1:
                rows.append(dict(row, start=row["start"] + 5))
    return rows


@needs_official
@pytest.mark.skipif(not POLNEAR_DEV.exists(), reason="no ../shared/data/quotes/polnear_dev.jsonl")
def test_official_scorer_agrees_on_perturbed_polnear_dev(tmp_path):
    with POLNEAR_DEV.open(encoding="utf-8") as handle:
        gold_articles = [json.loads(line) for line in handle if line.strip()][:30]
    predictions = perturbed_predictions(gold_articles)
    gold = write_jsonl(tmp_path / "gold.jsonl", gold_articles)
    pred_file = write_jsonl(tmp_path / "pred.jsonl", predictions)
    expected = official_subset(official_scores(gold, pred_file))
    assert 0 < expected["quote_P"] < 1 and 0 < expected["speaker_acc"] < 1
    assert ours(gold_articles, predictions) == expected
