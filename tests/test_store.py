"""The store and `quotes ingest` / `quotes stats`: idempotence, corpus-wide speakers, migrations, crashes."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from quotes.cli import main
from quotes.names import canonical_names
from quotes.store import MIGRATIONS, SCHEMA_VERSION, Store, canonical_names_by_group

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
GOLD = ROOT / "tests" / "data" / "seeds_gold.jsonl"
QUOTES_SCRIPT = Path(sys.executable).with_name("quotes")


def run(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def dump(db: Path) -> dict[str, list[tuple]]:
    """Every row of every table, without the store's own row ids."""
    with sqlite3.connect(db) as connection:
        articles = connection.execute(
            "SELECT name, outlet, original_outlet, title, date, url, text, content_hash "
            "FROM articles ORDER BY name"
        ).fetchall()
        quotations = connection.execute(
            "SELECT a.name, q.* FROM quotations q JOIN articles a ON a.id = q.article_id "
            "ORDER BY a.name, position"
        ).fetchall()
        speakers = connection.execute("SELECT * FROM speakers ORDER BY type, name").fetchall()
        people = connection.execute(
            "SELECT a.name, p.name FROM people p JOIN articles a ON a.id = p.article_id ORDER BY 1, 2"
        ).fetchall()
    return {
        "articles": articles,
        "quotations": [row[:1] + row[2:] for row in quotations],  # drop the article id
        "speakers": speakers,
        "people": people,
    }


def stored_quotations(db: Path) -> list[dict]:
    with Store(db) as store:
        return sorted(
            (q.as_json() for quotations in store.quotations().values() for q in quotations),
            key=lambda q: (q["article"], q["start"]),
        )


@pytest.fixture(scope="module")
def seeds_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("store") / "quotes.db"
    result = run("ingest", SEEDS, "--db", db)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""  # no progress bar, nor its blank line, in a pipe
    return db


def test_ingest_stores_what_extract_outputs(seeds_db, tmp_path):
    extracted = run("extract", SEEDS)
    rows = [json.loads(line) for line in extracted.output.splitlines()]
    assert stored_quotations(seeds_db) == sorted(rows, key=lambda q: (q["article"], q["start"]))


def test_ingesting_the_same_articles_again_changes_nothing(seeds_db, tmp_path):
    db = tmp_path / "quotes.db"
    shutil.copy(seeds_db, db)
    before = dump(db)
    result = run("ingest", SEEDS, "--db", db)
    assert result.exit_code == 0
    assert "0 article(s) stored with 0 quotation(s); 5 already stored" in result.output
    assert dump(db) == before


def test_canonical_speakers_are_computed_over_the_whole_store_not_one_ingest(seeds_db, tmp_path):
    """Seed 002 names only "Matt Miller"; once seeds 003 and 004 ("Matthew Miller") are stored, its
    quotations must carry the corpus-wide name, as if all had been ingested at once."""
    db = tmp_path / "quotes.db"
    assert run("ingest", SEEDS / "002_6129a9f508479f3d.txt", "--db", db).exit_code == 0
    assert "Matt Miller" in {q["speaker"] for q in stored_quotations(db)}
    for seed in sorted(SEEDS.glob("*.txt")):
        assert run("ingest", seed, "--db", db).exit_code == 0
    assert stored_quotations(db) == stored_quotations(seeds_db)
    assert dump(db)["speakers"] == dump(seeds_db)["speakers"]
    assert "Matt Miller" not in {q["speaker"] for q in stored_quotations(db)}


def test_stats_counts_the_seed_corpus(seeds_db):
    gold = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines()]
    gold_quotations = [q for article in gold for q in article["quotes"]]
    result = run("stats", "--db", seeds_db, "--json")
    assert result.exit_code == 0
    summary = json.loads(result.output)
    assert summary["schema"] == SCHEMA_VERSION
    assert summary["articles"] == len(gold)
    assert sum(summary["quotations"].values()) == len(gold_quotations)
    kinds = {kind: sum(q["kind"] == kind for q in gold_quotations) for kind in ("direct", "partial")}
    assert summary["quotations"] == {kind: n for kind, n in kinds.items() if n}
    assert sum(summary["framing"].values()) == len(gold_quotations)
    assert summary["outlets"] == {"unknown": 2, "AMN": 1, "VOA News": 1, "Worldys News": 1}
    person_names = {q["speaker"] for q in gold_quotations if q["speaker_type"] == "person"}
    assert summary["speakers"]["person"] == len(person_names)
    text = run("stats", "--db", seeds_db).output
    assert f"articles       {len(gold)}" in text


@pytest.mark.parametrize(
    ("inputs", "exit_code", "stored"),
    [
        (["missing.txt"], 2, 0),
        (["missing.txt", "good.txt"], 1, 1),
        (["empty.txt", "good.txt"], 1, 1),
    ],
)
def test_bad_inputs_are_reported_counted_and_remembered(tmp_path, inputs, exit_code, stored):
    (tmp_path / "good.txt").write_text("“The bridge opens in May,” said Mayor Ann Lee.\n", encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    db = tmp_path / "quotes.db"
    result = run("ingest", *(tmp_path / name for name in inputs), "--db", db)
    assert result.exit_code == exit_code
    summary = json.loads(run("stats", "--db", db, "--json").output)
    assert summary["articles"] == stored
    assert summary["failures"] == len(inputs) - stored


def test_the_db_comes_from_the_environment_when_not_given(tmp_path, monkeypatch):
    monkeypatch.setenv("QUOTES_DB", str(tmp_path / "env.db"))
    article = tmp_path / "a.txt"
    article.write_text("“We will win,” said Jane Doe.\n", encoding="utf-8")
    assert run("ingest", article).exit_code == 0
    assert json.loads(run("stats", "--json").output)["articles"] == 1


# Words that make names merge in every way canonical_names knows: surnames alone, nicknames
# (Matt/Matthew, Bill/William), initials, a shared first word (Wang Yi, Wang Wenbin), middle names.
_NAME_WORDS = [
    "Matt",
    "Matthew",
    "M.",
    "Bill",
    "William",
    "Wang",
    "Yi",
    "Wenbin",
    "Miller",
    "Lee",
    "Ann",
    "Jr.",
]
_NAMES = st.lists(st.sampled_from(_NAME_WORDS), min_size=1, max_size=3, unique=True).map(" ".join)
_KINDS = st.sampled_from(["person", "person", "organization", "anonymous"])


@settings(max_examples=300, deadline=None)
@given(
    speakers=st.dictionaries(st.tuples(_KINDS, _NAMES), st.integers(1, 3), max_size=12),
    people=st.dictionaries(_NAMES, st.integers(1, 3), max_size=12),
)
def test_canonical_names_by_group_are_the_canonical_names_of_the_whole(speakers, people):
    speakers, people = Counter(speakers), Counter(people)
    assert canonical_names_by_group(speakers, people) == canonical_names(
        speakers.elements(), people.elements()
    )


# -- schema ----------------------------------------------------------------------------------------


def test_a_version_1_store_is_migrated_on_open_and_keeps_its_rows(tmp_path):
    db = tmp_path / "v1.db"
    with sqlite3.connect(db) as connection:
        for statement in MIGRATIONS[0]:
            connection.execute(statement)
        connection.execute(
            "INSERT INTO articles (name, outlet, text, content_hash) "
            "VALUES ('old.txt', 'Wire', 'Old text.', 'h')"
        )
        connection.execute("PRAGMA user_version = 1")
    with Store(db) as store:
        assert store.version == SCHEMA_VERSION
        assert [a.id for a in store.articles().values()] == ["old.txt"]
        assert store.stats()["failures"] == 0  # the table version 2 added
        assert store.db.execute("PRAGMA journal_mode").fetchone() == ("wal",)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not a database at all, just text" * 100, "not a usable quotes store"),
        (None, f"is newer than this quotes ({SCHEMA_VERSION})"),  # a store from a later version
    ],
)
def test_a_file_that_is_not_a_store_we_can_read_is_refused_on_one_line(tmp_path, content, message):
    db = tmp_path / "quotes.db"
    if content is None:
        with sqlite3.connect(db) as connection:
            connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    else:
        db.write_bytes(content)
    result = run("stats", "--db", db)
    assert result.exit_code == 2
    assert message in result.output


# -- crashes ----------------------------------------------------------------------------------------


def _corpus(directory: Path, copies: int) -> int:
    """Copies of the seeds, each with one changed line at the end, so each is a new article."""
    directory.mkdir()
    shutil.copy(SEEDS / "manifest.json", directory / "manifest.json")
    for copy in range(copies):
        for seed in sorted(SEEDS.glob("*.txt")):
            text = seed.read_text(encoding="utf-8") + f"\n\nEditor's note: copy {copy}.\n"
            (directory / f"{copy}_{seed.name}").write_text(text, encoding="utf-8")
    return copies * 5


def _stored_count(db: Path) -> int:
    try:
        with sqlite3.connect(db, timeout=5) as connection:
            return connection.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.OperationalError:  # not created yet
        return 0


@pytest.fixture(scope="module")
def copies_corpus(tmp_path_factory) -> tuple[Path, int, dict]:
    """A corpus of several small batches, and the rows of an uninterrupted ingest of it."""
    root = tmp_path_factory.mktemp("copies")
    total = _corpus(root / "corpus", copies=3)
    assert run("ingest", root / "corpus", "--db", root / "whole.db").exit_code == 0
    return root / "corpus", total, dump(root / "whole.db")


@pytest.mark.parametrize(
    ("stop", "exit_code", "message"),
    [
        (signal.SIGKILL, -signal.SIGKILL, ""),  # a crash: nothing runs after the signal
        (signal.SIGINT, 130, "interrupted; "),  # Ctrl-C: the open batch is rolled back, and said so
    ],
)
def test_an_ingest_stopped_after_a_batch_resumes_without_losing_or_repeating_articles(
    tmp_path, copies_corpus, stop, exit_code, message
):
    corpus, total, whole = copies_corpus
    stopped = tmp_path / "stopped.db"
    # a child inherits an ignored SIGINT (as in a shell's background job): make it take Ctrl-C
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        process = subprocess.Popen(
            [QUOTES_SCRIPT, "ingest", corpus, "--db", stopped, "--batch-size", "2"],
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
    finally:
        signal.signal(signal.SIGINT, previous)
    deadline = time.monotonic() + 300
    while _stored_count(stopped) < 2 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(stop)
    _, stderr = process.communicate()
    assert process.returncode == exit_code, stderr
    assert message in stderr
    assert 2 <= _stored_count(stopped) < total  # stopped after the first batch, before the last

    assert run("ingest", corpus, "--db", stopped, "--batch-size", "2").exit_code == 0
    names = [row[0] for row in dump(stopped)["articles"]]
    assert len(names) == len(set(names)) == total
    assert dump(stopped) == whole


# -- report from the store ---------------------------------------------------------------------------


def test_the_report_from_the_store_is_the_report_from_the_articles(seeds_db):
    stored = run("report", "--db", seeds_db, "--no-charts")
    assert stored.exit_code == 0
    assert stored.output == run("report", SEEDS, "--no-charts").output


@pytest.mark.parametrize(
    "arguments", [[], [SEEDS, "--db", "{db}"], ["--db", "{db}", "--each-folder", "-o", "r.md"]]
)
def test_report_takes_inputs_or_a_store(seeds_db, arguments):
    result = run("report", *(str(a).format(db=seeds_db) for a in arguments))
    assert result.exit_code == 2
