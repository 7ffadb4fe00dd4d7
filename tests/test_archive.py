"""Parquet in and out: article rows read a row group at a time, partitions written whole or not at
all, skipped when already written, and the canonical speakers reduced over every partition."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from conftest import invoke
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quotes.archive import TABLES, Archive, partition_key
from quotes.articles import read_articles
from quotes.cli import main
from quotes.engines import batched
from quotes.names import canonicalize
from quotes.records import Article, ArticleResult, ReadFailure


def write_parquet(path: Path, rows: list[dict], row_group_size: int = 2) -> Path:
    pq.write_table(pa.Table.from_pylist(rows), path, row_group_size=row_group_size)
    return path


def test_parquet_rows_are_read_as_article_objects_in_order(tmp_path):
    rows = [
        {"id": f"a{n}", "text": f"Story {n}.", "outlet": "Daily", "date": datetime.date(2024, 5, n + 1)}
        for n in range(5)
    ]
    path = write_parquet(tmp_path / "archive.parquet", rows)
    got = list(read_articles([str(path)]))
    assert [(a.id, a.text, a.outlet, a.date) for a in got] == [
        (f"a{n}", f"Story {n}.", "Daily", f"2024-05-0{n + 1}") for n in range(5)
    ]


def test_a_bad_parquet_row_is_reported_and_the_rest_read(tmp_path):
    rows = [{"id": "ok", "text": "Fine."}, {"id": "empty", "text": None}, {"id": None, "text": "No id."}]
    path = write_parquet(tmp_path / "rows.parquet", rows)
    got = list(read_articles([str(path)]))
    assert isinstance(got[1], ReadFailure) and got[1].source == f"{path}#2"
    assert [(a.id, a.text) for a in got if isinstance(a, Article)] == [
        ("ok", "Fine."),
        (f"{path}#3", "No id."),
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"not parquet at all", "not a readable Parquet file"), (None, "empty file: no articles")],
)
def test_an_unreadable_or_empty_parquet_file_is_one_failure(tmp_path, content, message):
    path = tmp_path / "bad.parquet"
    if content is None:
        pq.write_table(pa.table({"id": pa.array([], pa.string()), "text": pa.array([], pa.string())}), path)
    else:
        path.write_bytes(content)
    [failure] = list(read_articles([str(path)]))
    assert isinstance(failure, ReadFailure) and message in failure.message


def result(article_id: str, make_quotation, *speakers: str, people: tuple[str, ...] = ()) -> ArticleResult:
    article = Article(id=article_id, text=f"The text of {article_id}.", outlet="Daily")
    quotations = [
        make_quotation(article=article_id, start=n, speaker=name, framing_scores={"neutral": 1.0})
        for n, name in enumerate(speakers)
    ]
    return ArticleResult(article, quotations, people=list(people))


def test_speakers_are_reduced_over_all_partitions_as_one_process_would(tmp_path, make_quotation):
    batches = [
        [result("a", make_quotation, "Biden", people=("Joe Biden",)), result("b", make_quotation, "Blinken")],
        [result("c", make_quotation, "Antony Blinken", "Joe Biden")],
    ]
    archive = Archive(tmp_path)
    for batch in batches:
        archive.write(batch)
    archive.write_speakers()
    every = [r for batch in batches for r in batch]
    expected = canonicalize([q for r in every for q in r.quotations], [p for r in every for p in r.people])
    assert [q.speaker for q in archive.quotations()] == [q.speaker for q in expected]
    assert {q.speaker for q in expected} == {"Joe Biden", "Antony Blinken"}


def test_a_partition_holds_every_table_and_the_failed_article_in_errors(tmp_path, make_quotation):
    failed = ArticleResult(Article(id="bad", text="x", source="in.jsonl#2"), [], error="ValueError: boom")
    archive = Archive(tmp_path)
    archive.write([result("good", make_quotation, "Jane Doe"), failed])
    [partition] = archive.partitions()
    assert sorted(p.name for p in partition.iterdir()) == sorted(f"{name}.parquet" for name in TABLES)
    assert archive.table("articles").column("article").to_pylist() == ["good", "bad"]
    assert archive.table("errors").to_pylist() == [
        {"article": "bad", "source": "in.jsonl#2", "error": "ValueError: boom"}
    ]


def test_a_rerun_skips_written_partitions_and_ignores_a_killed_runs_leftovers(tmp_path, make_quotation):
    articles = [Article(id=f"a{n}", text=f"Text {n}.") for n in range(5)]
    archive = Archive(tmp_path)
    first = next(batched(articles, 2))
    archive.write([ArticleResult(a, []) for a in first])
    (tmp_path / ".partial-leftover").mkdir()  # what a run killed while writing leaves
    todo = list(Archive(tmp_path).unwritten(batched(articles, 2)))
    assert todo == list(batched(articles, 2))[1:]
    assert [p.name for p in archive.partitions()] == [partition_key(first)]


@pytest.mark.parametrize(
    ("one", "other", "same"),
    [
        ([Article(id="a", text="x")], [Article(id="a", text="x")], True),
        ([Article(id="a", text="x")], [Article(id="a", text="y")], False),
        ([Article(id="a", text="x")], [Article(id="b", text="x")], False),
        ([Article(id="a", text="bc")], [Article(id="ab", text="c")], False),
        ([Article(id="a", text="x"), Article(id="b", text="y")], [Article(id="b", text="y")], False),
    ],
)
def test_the_partition_name_is_the_content_hash_of_its_articles(one, other, same):
    assert (partition_key(one) == partition_key(other)) is same


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--engine", "processes", "--scheduler", "tcp://127.0.0.1:8786"], "--scheduler needs --engine dask"),
        (["--engine", "spark"], "'spark' is not one of 'local', 'processes', 'dask'"),
    ],
)
def test_engine_options_that_cannot_work_are_usage_errors(tmp_path, options, message):
    run = CliRunner().invoke(main, ["ingest", "seeds", "--out", str(tmp_path / "out"), *options])
    assert run.exit_code == 2 and message in run.output
    assert not (tmp_path / "out").exists()


texts = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(
        st.tuples(texts, st.one_of(st.none(), texts), st.sampled_from(["person", "organization", "group"])),
        min_size=1,
        max_size=6,
    )
)
def test_any_quotation_comes_back_from_parquet_as_it_went_in(tmp_path_factory, make_quotation, rows):
    scores = {"conciliatory": 0.1, "adversarial": 0.2, "neutral": 0.7}
    results = [
        ArticleResult(
            Article(id=f"a{n}", text=text),
            [
                make_quotation(
                    text, article=f"a{n}", speaker=speaker, speaker_type=kind, framing_scores=scores
                )
            ],
        )
        for n, (text, speaker, kind) in enumerate(rows)
    ]
    archive = Archive(tmp_path_factory.mktemp("archive"))
    archive.write(results)
    archive.write_speakers()
    expected = canonicalize([q for r in results for q in r.quotations])
    assert [q.as_json() for q in archive.quotations()] == [q.as_json() for q in expected]


SEEDS = Path(__file__).resolve().parents[1] / "seeds"
CNN_SEED = "003_acf96132f0f084c7.txt"


@pytest.fixture(scope="module")
def seeds_stored_both_ways(tmp_path_factory) -> tuple[Path, Path]:
    """The seeds but the CNN one, ingested into a SQLite store and into a Parquet archive."""
    root = tmp_path_factory.mktemp("both-ways")
    corpus = root / "corpus"
    corpus.mkdir()
    for path in SEEDS.iterdir():
        if path.name != CNN_SEED:
            (corpus / path.name).write_bytes(path.read_bytes())
    db, out = root / "quotes.db", root / "archive"
    for where in (["--db", db], ["--out", out]):
        run = invoke("ingest", corpus, "--engine", "local", *where)
        assert run.exit_code == 0, run.output
    return db, out


def test_an_archive_reports_as_the_store_does(seeds_stored_both_ways):
    db, out = seeds_stored_both_ways
    from_store, from_archive = (invoke("report", "--db", where) for where in (db, out))
    assert from_archive.exit_code == 0, from_archive.output
    assert "## Who gets a voice where" in from_archive.stdout
    assert from_archive.stdout == from_store.stdout


def test_an_archive_audits_as_the_store_does(seeds_stored_both_ways):
    db, out = seeds_stored_both_ways
    runs = [invoke("audit", SEEDS / CNN_SEED, "--db", where, "--format", "json") for where in (db, out)]
    assert [run.exit_code for run in runs] == [0, 0], runs[1].output
    from_store, from_archive = (json.loads(run.stdout) for run in runs)
    assert from_archive == from_store
    assert len(from_archive["related"]) == 4 and from_archive["counts"]["omitted-speaker"]


def broken_archive(path: Path) -> None:
    (path / ("0" * 32)).mkdir(parents=True)
    for name in ("0" * 32 + "/articles.parquet", "speakers.parquet"):
        (path / name).write_bytes(b"not parquet")


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (Path.mkdir, "not a quotes archive (no speakers.parquet"),
        (broken_archive, "cannot read the archive"),
    ],
    ids=["empty-folder", "broken-files"],
)
def test_a_folder_that_is_not_an_archive_is_refused_in_one_line(tmp_path, make, message):
    make(tmp_path / "archive")
    for command in (
        ["report", "--db", tmp_path / "archive"],
        ["audit", SEEDS / CNN_SEED, "--db", tmp_path / "archive"],
    ):
        run = invoke(*command)
        assert run.exit_code == 2 and message in run.stderr, run.stderr
        assert len(run.stderr.splitlines()) == 1
