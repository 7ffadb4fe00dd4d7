"""Accuracy of `quotes` against PolNeAR gold, next to the textacy baseline, with the official scorer.

Why: the project's accuracy bars (quote F1 >= 0.92, end-to-end F1 >= 0.88 on direct + mixed quotes)
are measured here, on the same gold and rules as the data README's baseline. Both systems are scored
with `quotes.evaluate.score`, and their predictions are also run through the official
`score_quotes.py`, so a drift between the two scorers fails the run instead of going unnoticed.

    .venv/bin/python benchmarks/accuracy.py [--split dev|train] [--jobs N] [--model NAME] [--strict]

Reads ../shared/data (or $QUOTES_SHARED_DATA); exits 0 with "skipped: ..." when it is absent.
Writes benchmarks/out/accuracy_<split>.json and the predictions as JSONL beside it.
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import spacy
import textacy
from common import OUT, git_state, shared_data, shown
from tabulate import tabulate
from textacy_baseline import paragraph_mode

from quotes.evaluate import Scores, score
from quotes.extract import extract_articles
from quotes.names import canonicalize
from quotes.pipeline import available_model, load_pipeline
from quotes.records import AUTO_MODEL, Article

KINDS = frozenset({"direct", "mixed"})
BARS = {"quote F1": 0.92, "e2e F1": 0.88}
_BAR_VALUES: dict[str, Callable[[Scores], float]] = {
    "quote F1": lambda scores: scores.f1,
    "e2e F1": lambda scores: scores.e2e_f1,
}
T = TypeVar("T")
TOLERANCE = 0.001  # how far the official scorer may differ from quotes.evaluate before the run fails
# Figures compared with the official scorer: (its JSON key, our Scores attribute).
CROSS_CHECKED = (
    ("quote_P", "precision"),
    ("quote_R", "recall"),
    ("quote_F1", "f1"),
    ("speaker_acc", "speaker_accuracy"),
    ("e2e_F1", "e2e_f1"),
)


def quotes_predictions(gold: list[dict], model: str, jobs: int) -> tuple[dict[str, list[dict]], list[str]]:
    """Predictions of `quotes` per article id (speaker names canonicalized), and per-article errors."""
    articles = [Article(id=str(line["id"]), text=line["text"]) for line in gold]
    quotations, errors = [], []
    for result in extract_articles(articles, model=model, jobs=jobs):
        if result.error:
            errors.append(f"{result.article.id}: {result.error}")
        quotations.extend(result.quotations)
    predictions: dict[str, list[dict]] = defaultdict(list)
    for quotation in canonicalize(quotations):
        predictions[quotation.article].append(quotation.as_json())
    return dict(predictions), errors


def textacy_predictions(gold: list[dict], model: str) -> tuple[dict[str, list[dict]], int, int]:
    """Predictions of the textacy baseline per article id, and (paragraphs it raised on, paragraphs)."""
    predictions, errors, units = {}, 0, 0
    nlp = load_pipeline(model)
    for line, result in zip(gold, paragraph_mode(nlp, (line["text"] for line in gold)), strict=True):
        predictions[str(line["id"])] = [{"article": str(line["id"]), **p} for p in result.predictions]
        errors += result.errors
        units += result.units
    return predictions, errors, units


def write_predictions(path: Path, predictions: dict[str, list[dict]]) -> None:
    """One quotation a line, with "article", as the official scorer reads them."""
    with path.open("w", encoding="utf-8") as stream:
        for article, quotes in predictions.items():
            for quote in quotes:
                stream.write(json.dumps({**quote, "article": article}, ensure_ascii=False) + "\n")


def official(scorer: Path, gold: Path, predictions: Path) -> tuple[str, dict]:
    """The official scorer's --summary line and its full JSON figures for the same files."""
    command = [sys.executable, str(scorer), str(gold), str(predictions), "--kinds", ",".join(sorted(KINDS))]
    summary = subprocess.run([*command, "--summary"], capture_output=True, text=True, check=True)
    figures = subprocess.run(command, capture_output=True, text=True, check=True)
    return summary.stdout.strip(), json.loads(figures.stdout)


def cross_check(name: str, ours: Scores, theirs: dict) -> list[str]:
    """Every figure on which the two scorers disagree by more than TOLERANCE."""
    return [
        f"{name}: {key} official {theirs[key]:.4f} vs ours {getattr(ours, attribute):.4f}"
        for key, attribute in CROSS_CHECKED
        if abs(theirs[key] - getattr(ours, attribute)) > TOLERANCE
    ]


def timed(work: Callable[[], T]) -> tuple[float, T]:
    """Wall seconds of `work()` and its result."""
    started = time.perf_counter()
    result = work()
    return time.perf_counter() - started, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", choices=("dev", "train"), default="dev")
    parser.add_argument("--model", default=AUTO_MODEL, help="spaCy pipeline (default: as `quotes` picks)")
    parser.add_argument("--jobs", type=int, default=1, help="processes for `quotes` (default 1)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when `quotes` misses a bar")
    args = parser.parse_args()

    data = shared_data()
    gold_path = data / "quotes" / f"polnear_{args.split}.jsonl"
    if not gold_path.is_file():
        print(f"skipped: {shown(gold_path)} not found (set QUOTES_SHARED_DATA to its data folder)")
        return 0
    scorer = data / "score_quotes.py"
    gold = [json.loads(line) for line in gold_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    model = available_model(args.model)
    started = time.perf_counter()
    load_seconds, _ = timed(lambda: load_pipeline(model))  # not counted in either system's seconds

    quotes_seconds, (ours, errors) = timed(lambda: quotes_predictions(gold, model, args.jobs))
    textacy_seconds, (baseline, raised, paragraphs) = timed(lambda: textacy_predictions(gold, model))
    systems = {
        "quotes": (ours, quotes_seconds),
        "textacy paragraphs": (baseline, textacy_seconds),
    }

    OUT.mkdir(parents=True, exist_ok=True)
    rows, report, mismatches = [], {}, []
    for name, (predictions, seconds) in systems.items():
        scores = score(gold, predictions, KINDS)
        slug = name.split()[0]
        prediction_path = OUT / f"accuracy_{args.split}_{slug}.jsonl"
        write_predictions(prediction_path, predictions)
        entry: dict = {"scores": scores.as_json(), "seconds": round(seconds, 2)}
        entry["predictions"] = shown(prediction_path)
        if scorer.is_file():
            line, figures = official(scorer, gold_path, prediction_path)
            print(f"official scorer, {name}: {line}")
            entry["official_summary"], entry["official"] = line, figures
            mismatches += cross_check(name, scores, figures)
        passes = {bar: value(scores) >= BARS[bar] for bar, value in _BAR_VALUES.items()}
        entry["bars"] = passes
        report[name] = entry
        rows.append(
            [name]
            + [f"{v:.3f}" for v in (scores.precision, scores.recall, scores.f1, scores.speaker_accuracy)]
            + [f"{scores.e2e_f1:.3f}", scores.n_gold, scores.n_pred, f"{seconds:.1f}"]
            + ["pass" if passes[bar] else "FAIL" for bar in BARS]
        )
    if not scorer.is_file():
        print(f"note: {shown(scorer)} not found; the official cross-check was not run")

    headers = ["system", "quote P", "quote R", "quote F1", "speaker acc", "e2e F1", "gold", "pred", "seconds"]
    headers += [f"{bar} ≥ {threshold}" for bar, threshold in BARS.items()]
    print()
    print(f"PolNeAR {args.split} ({len(gold)} articles), kinds {'+'.join(sorted(KINDS))}, pipeline {model}")
    print(tabulate(rows, headers=headers, disable_numparse=True))
    print(
        f"quotes: {len(errors)} article errors; textacy raised on {raised} of {paragraphs} paragraphs "
        f"(odd number of quotation marks); pipeline load {load_seconds:.1f} s; "
        f"wall {time.perf_counter() - started:.1f} s"
    )
    for error in errors:
        print(f"  error {error}")

    result = {
        "benchmark": "accuracy",
        "split": args.split,
        "gold": shown(gold_path),
        "articles": len(gold),
        "kinds": sorted(KINDS),
        "bars": BARS,
        "model": model,
        "jobs": args.jobs,
        "versions": {
            "python": platform.python_version(),
            "spacy": spacy.__version__,
            "textacy": textacy.__version__,
        },
        "commit": git_state(),
        "load_seconds": round(load_seconds, 2),
        "wall_seconds": round(time.perf_counter() - started, 2),
        "quotes_errors": errors,
        "textacy_paragraphs": paragraphs,
        "textacy_paragraphs_raised": raised,
        "systems": report,
        "cross_check_mismatches": mismatches,
    }
    out = OUT / f"accuracy_{args.split}.json"
    out.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {shown(out)}")

    if mismatches:
        print("ERROR: the official scorer disagrees with quotes.evaluate.score:", file=sys.stderr)
        for mismatch in mismatches:
            print(f"  {mismatch}", file=sys.stderr)
        return 1
    if args.strict and not all(report["quotes"]["bars"].values()):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
