"""Score predicted quotations against a gold file, with the rules of the PolNeAR dev data README.

* Gold set: quotations whose kind is in `kinds` (default direct and mixed).
* A prediction matches a gold quotation one-to-one, greedily by coverage: overlap / len(gold) >= 0.5
  for direct gold, overlap / min(len(gold), len(pred)) >= 0.5 for mixed (or partial) gold.
* An unmatched prediction that overlaps a gold quotation of another kind (indirect) is ignored.
* Speaker right: the predicted name and the gold speaker (or mention) share a contiguous run of
  words or the same last word, titles and articles aside; or the predicted mention span overlaps
  the gold speaker span.
* End-to-end: a true positive is a matched quotation with the right speaker.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass

_TITLE_WORDS = frozenset(
    ["the", "a", "an", "mr", "mrs", "ms", "dr", "of", "and", "sen", "rep", "gov", "president"]
)
DEFAULT_KINDS = frozenset({"direct", "mixed", "partial"})


@dataclass(frozen=True)
class Scores:
    n_gold: int
    n_pred: int
    n_ignored: int
    precision: float
    recall: float
    f1: float
    speaker_accuracy: float
    e2e_precision: float
    e2e_recall: float
    e2e_f1: float

    def as_json(self) -> dict:
        return {k: round(v, 4) if isinstance(v, float) else v for k, v in asdict(self).items()}

    def summary(self) -> str:
        return (
            f"quote P/R/F1 {self.precision:.3f}/{self.recall:.3f}/{self.f1:.3f}  "
            f"speaker {self.speaker_accuracy:.3f}  "
            f"e2e P/R/F1 {self.e2e_precision:.3f}/{self.e2e_recall:.3f}/{self.e2e_f1:.3f}  "
            f"(gold {self.n_gold}, predicted {self.n_pred}, ignored {self.n_ignored})"
        )


def words(name: str | None) -> list[str]:
    name = (name or "").lower().replace("\u2019", "'")
    name = re.sub(r"'s\b", "", name)
    return re.findall(r"[a-z0-9]+(?:[-'][a-z0-9]+)*", name)


def same_speaker(predicted: str | None, gold: str | None) -> bool:
    """Whether two speaker strings name the same speaker by the scoring rule above."""
    p, g = words(predicted), words(gold)
    if not p or not g:
        return False
    short, long_ = (p, g) if len(p) <= len(g) else (g, p)
    n = len(short)
    if any(w not in _TITLE_WORDS for w in short) and any(
        long_[i : i + n] == short for i in range(len(long_) - n + 1)
    ):
        return True
    return p[-1] == g[-1] and len(p[-1]) > 1 and p[-1] not in _TITLE_WORDS


def _overlap(a0: int, a1: int, b0: int, b1: int) -> int:
    return max(0, min(a1, b1) - max(a0, b0))


def score(
    gold_articles: Iterable[Mapping],
    predictions: Mapping[str, list[Mapping]],
    kinds: frozenset[str] = DEFAULT_KINDS,
) -> Scores:
    """Scores for `predictions` (article id → predicted quotation dicts) against gold articles."""
    n_gold = n_pred = n_ignored = matched = speaker_right = 0
    for article in gold_articles:
        gold = [q for q in article["quotes"] if q["kind"] in kinds]
        other = [q for q in article["quotes"] if q["kind"] not in kinds]
        preds = [p for p in predictions.get(str(article["id"]), []) if p.get("start") is not None]
        pairs = []
        for gi, g in enumerate(gold):
            for pi, p in enumerate(preds):
                common = _overlap(g["start"], g["end"], p["start"], p["end"])
                if not common:
                    continue
                length = (
                    g["end"] - g["start"]
                    if g["kind"] == "direct"
                    else min(g["end"] - g["start"], p["end"] - p["start"])
                )
                if common / max(length, 1) >= 0.5:
                    pairs.append((common / max(length, 1), gi, pi))
        used_gold, used_pred = set(), set()
        for _, gi, pi in sorted(pairs, reverse=True):
            if gi in used_gold or pi in used_pred:
                continue
            used_gold.add(gi)
            used_pred.add(pi)
            matched += 1
            speaker_right += _speaker_right(preds[pi], gold[gi])
        for pi, p in enumerate(preds):
            if pi not in used_pred and any(
                _overlap(o["start"], o["end"], p["start"], p["end"]) for o in other
            ):
                n_ignored += 1
            else:
                n_pred += 1
        n_gold += len(gold)
    return _scores(n_gold, n_pred, n_ignored, matched, speaker_right)


def _speaker_right(pred: Mapping, gold: Mapping) -> bool:
    name = pred.get("speaker") or ""
    if same_speaker(name, gold.get("speaker")) or same_speaker(name, gold.get("speaker_mention")):
        return True
    if pred.get("speaker_start") is None or gold.get("speaker_start") is None:
        return False
    return (
        _overlap(gold["speaker_start"], gold["speaker_end"], pred["speaker_start"], pred["speaker_end"]) > 0
    )


def _scores(n_gold: int, n_pred: int, n_ignored: int, matched: int, right: int) -> Scores:
    def f1(p: float, r: float) -> float:
        return 2 * p * r / (p + r) if p + r else 0.0

    precision, recall = (matched / n_pred if n_pred else 0.0), (matched / n_gold if n_gold else 0.0)
    e2e_p, e2e_r = (right / n_pred if n_pred else 0.0), (right / n_gold if n_gold else 0.0)
    return Scores(
        n_gold,
        n_pred,
        n_ignored,
        precision,
        recall,
        f1(precision, recall),
        right / matched if matched else 0.0,
        e2e_p,
        e2e_r,
        f1(e2e_p, e2e_r),
    )
