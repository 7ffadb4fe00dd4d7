"""The Dask engine gives the rows one process gives, and survives a worker killed mid-run."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SHARED_DATA

from quotes.archive import Archive
from quotes.articles import read_articles
from quotes.cli import main
from quotes.engines import Engine, batched
from quotes.extract import extract_articles
from quotes.names import canonicalize
from quotes.records import Article

distributed = pytest.importorskip("dask.distributed")

pytestmark = pytest.mark.slow

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
ALLSIDES = SHARED_DATA / "events" / "allsides"
ALLSIDES_EVENTS = 2  # a tiny sample: the events' articles are parsed twice (Dask, then one process)


def inputs() -> list[str]:
    events = sorted(ALLSIDES.iterdir())[:ALLSIDES_EVENTS] if ALLSIDES.is_dir() else []
    return [str(SEEDS), *map(str, events)]


def single_process(articles: list[Article]) -> list[dict]:
    results = list(extract_articles(articles))
    quotations = canonicalize(
        [q for r in results for q in r.quotations], [p for r in results for p in r.people]
    )
    return sorted((q.as_json() for q in quotations), key=lambda row: (row["article"], row["start"]))


@pytest.fixture(scope="module")
def cluster():
    """Two single-threaded worker processes, as `--engine dask --jobs 2` starts them."""
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as c,
        distributed.Client(c) as client,
    ):
        yield c, client


def test_two_dask_workers_write_the_rows_of_one_process_and_a_rerun_skips_them(cluster, tmp_path, nlp):
    address = cluster[0].scheduler_address
    command = ["ingest", *inputs(), "--engine", "dask", "--scheduler", address, "--out", str(tmp_path)]
    run = CliRunner().invoke(main, [*command, "--batch-size", "2"])
    assert run.exit_code == 0, run.output
    articles = [a for a in read_articles(inputs()) if isinstance(a, Article)]
    archive = Archive(tmp_path)
    assert [q.as_json() for q in archive.quotations()] == single_process(articles)
    assert sorted(archive.table("articles").column("article").to_pylist()) == sorted(a.id for a in articles)
    again = CliRunner().invoke(main, [*command, "--batch-size", "2"])
    assert again.exit_code == 0 and "0 article(s) written with 0 quotation(s)" in again.output
    assert f"{len(articles)} already written" in again.output


def test_a_worker_killed_mid_run_loses_no_article_and_repeats_none(cluster, nlp):
    local_cluster, client = cluster
    articles = [a for a in read_articles([str(SEEDS)]) if isinstance(a, Article)]
    engine = Engine("dask", scheduler=local_cluster.scheduler_address)
    done, killed = [], None
    for results in engine.map(batched(articles, 1)):
        if not done:  # a worker still busy with another batch dies
            busy = max(client.processing().items(), key=lambda item: len(item[1]))[0]
            killed = client.run(os.getpid, workers=[busy])[busy]
            os.kill(killed, signal.SIGKILL)
        done.extend(results)
    assert killed not in client.run(os.getpid).values()
    assert sorted(r.article.id for r in done) == sorted(a.id for a in articles)
    assert not any(r.error for r in done)
    got = canonicalize([q for r in done for q in r.quotations], [p for r in done for p in r.people])
    assert sorted(
        (q.as_json() for q in got), key=lambda row: (row["article"], row["start"])
    ) == single_process(articles)
