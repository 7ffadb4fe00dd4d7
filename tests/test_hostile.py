"""Every subcommand over the hostile-input corpus (tests/hostile/generate.py): never a traceback, a
one-line error naming each input that must fail, and correct output for the rest."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import assert_no_traceback, invoke, jsonl_rows, stderr_lines, write_jsonl

from quotes.articles import read_articles
from quotes.records import Article

sys.path.insert(0, str(Path(__file__).parent / "hostile"))
from generate import CASES, ZERO_WIDTH_AND_BIDI

pytestmark = pytest.mark.slow

EXIT_CODES = {"ok": 0, "warned": 0, "partial": 1, "refused": 2}


@pytest.fixture(scope="session")
def hostile(tmp_path_factory) -> Path:
    from generate import generate

    folder = tmp_path_factory.mktemp("hostile")
    generate(folder)
    return folder


def articles_in(path: Path) -> dict[str, Article]:
    return {item.id: item for item in read_articles([str(path)]) if isinstance(item, Article)}


def assert_left_out_named(result, path: Path) -> None:
    """Each over-long quotation gets one line naming its article and the option that raises the limit."""
    lines = stderr_lines(result)
    assert lines and all(line.startswith(f"quotes: {path}") for line in lines), lines
    assert all("over --max-quote-chars 10,000; left out" in line for line in lines), lines


def assert_failures_named(result, path: Path) -> None:
    """Each failed input gets one line naming it; the last line sums up."""
    lines = stderr_lines(result)
    *failures, summary = lines
    assert summary.startswith("quotes: ") and "failed" in summary, lines
    assert failures and all(line.startswith(f"quotes: {path}") for line in failures), lines


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_extract_survives(hostile, case) -> None:
    path = hostile / case.name
    result = invoke("extract", path, "--format", "jsonl")
    assert_no_traceback(result)
    assert result.exit_code == EXIT_CODES[case.expect], result.stderr
    if case.expect == "ok":
        assert result.stderr == ""
    elif case.expect == "warned":
        assert_left_out_named(result, path)
    else:
        assert_failures_named(result, path)
    articles = articles_in(path)
    for row in jsonl_rows(result.stdout):
        assert articles[row["article"]].text[row["start"] : row["end"]] == row["text"]
    if case.expect != "refused":
        assert {row["article"] for row in jsonl_rows(result.stdout)} <= set(articles)


@pytest.mark.parametrize("fmt", ["table", "md"])
def test_tables_show_hostile_text_inertly(hostile, fmt) -> None:
    """Control and bidi characters never reach the terminal raw; Markdown cells never break."""
    result = invoke(
        "extract", hostile / "zero_width_bidi.txt", hostile / "table_breakers.txt", "--format", fmt
    )
    assert_no_traceback(result)
    assert result.exit_code == 0
    assert not set(result.stdout) & set(ZERO_WIDTH_AND_BIDI[5:])  # the overrides and isolates
    if fmt == "md":
        rows = [line for line in result.stdout.splitlines() if line.startswith("|")]
        assert len({line.count("|") - line.count("\\|") for line in rows}) == 1
        assert "<script>" not in result.stdout


def test_extract_whole_corpus_keeps_the_good_articles(hostile) -> None:
    result = invoke("extract", hostile)
    assert_no_traceback(result)
    assert result.exit_code == 1
    good = {row["article"] for row in jsonl_rows(result.stdout)}
    for case in CASES:
        if case.expect in ("ok", "warned") and case.name != "right_to_left.txt":
            assert any(article.startswith(str(hostile / case.name)) for article in good), case.name


@pytest.mark.parametrize("command", ["extract", "report", "ingest", "audit"])
def test_overlong_quotation_is_left_out_and_reported(hostile, tmp_path, command) -> None:
    """A runaway quotation is named on stderr and left out; the article's other quotations remain."""
    path = hostile / "runaway_quote.txt"
    db = tmp_path / "quotes.db"
    args = {
        "extract": ["extract", path],
        "report": ["report", path],
        "ingest": ["ingest", "--db", db, path],
        "audit": ["audit", path, "--corpus", hostile / "crlf.txt", "--format", "json"],
    }[command]
    result = invoke(*args)
    assert_no_traceback(result)
    assert result.exit_code == 0, result.stderr
    (line,) = stderr_lines(result)
    assert line == (
        f"quotes: {path}: the quotation at characters 62-10,864 is 10,802 characters long, "
        "over --max-quote-chars 10,000; left out"
    )
    if command == "extract":
        assert [row["text"] for row in jsonl_rows(result.stdout)] == [
            '"We will not accept this deal,"',
            '"It is a bad deal for workers."',
        ]


def test_quotation_limit_can_be_raised(hostile) -> None:
    result = invoke("extract", hostile / "runaway_quote.txt", "--max-quote-chars", 20_000)
    assert result.exit_code == 0 and result.stderr == ""
    rows = jsonl_rows(result.stdout)
    assert [len(row["text"]) for row in rows] == [10_802, 31, 31]
    assert rows[0]["speaker"] == "Jane Doe"


def test_size_limit_error_names_its_option(hostile) -> None:
    result = invoke("extract", hostile / "huge.txt", "--max-bytes", 1000)
    assert result.exit_code == 2
    assert "--max-bytes" in result.stderr


@pytest.mark.parametrize(
    "statement",
    [
        "",
        "   \n\t",
        "\x00\x01\x1b[31m",
        f"We{ZERO_WIDTH_AND_BIDI} will not accept this",
        "لن نقبل هذا الاتفاق",
        '"' * 10_000,
        "“‘«„" * 300 + "we agree" + "”’»“" * 300,
        "x" * 200_000,
    ],
    ids=["empty", "whitespace", "controls", "bidi", "rtl", "marks", "nested", "long"],
)
def test_frame_labels_any_statement(statement) -> None:
    result = invoke("frame", "--format", "jsonl", "--max-chars", 1_000_000, statement)
    assert_no_traceback(result)
    assert result.exit_code == 0
    (row,) = jsonl_rows(result.stdout)
    assert row["label"] in row["scores"]
    if not any(character.isalnum() for character in statement):
        assert row["label"] == "neutral"


def test_frame_refuses_overlong_statements_and_labels_the_rest() -> None:
    result = invoke("frame", "--format", "jsonl", "We agree.", "x" * 10_001, "We object.")
    assert result.exit_code == 1
    assert [row["id"] for row in jsonl_rows(result.stdout)] == [0, 2]
    assert (
        stderr_lines(result)[0] == "quotes: statement 2: 10,001 characters, over --max-chars 10,000; skipped"
    )


def test_frame_text_output_escapes_controls() -> None:
    result = invoke("frame", "\x1b[2Jcleared\u202e")
    assert result.exit_code == 0
    assert "\x1b" not in result.stdout and "\u202e" not in result.stdout
    assert "\\u001b[2Jcleared\\u202e" in result.stdout


def test_frame_input_reports_bad_lines_and_labels_the_rest(hostile) -> None:
    """Lines without a string text are reported by line number; the others are labelled, ids as given."""
    path = hostile / "broken.jsonl"
    result = invoke("frame", "--input", path, "--format", "jsonl")
    assert_no_traceback(result)
    assert result.exit_code == 1
    assert [row["id"] for row in jsonl_rows(result.stdout)] == [
        "good-1",
        ["a", "list"],
        "dict-outlet",
        "good-2",
    ]
    assert_failures_named(result, path)
    assert [line.split(":")[2] for line in stderr_lines(result)[:-1]] == ["2", "3", "6", "8"]


@pytest.mark.parametrize(
    "content",
    [b"\xff\xfe\x00garbage", b"not json\n", b'{"text": "ok"}\n{"text": 5}\n', b"[1, 2]\n"],
    ids=["binary", "not-json", "wrong-type", "not-object"],
)
def test_evaluate_refuses_broken_gold_with_one_line(tmp_path, content) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_bytes(content)
    pred = write_jsonl(tmp_path / "pred.jsonl", [])
    result = invoke("evaluate", gold, "--pred", pred)
    assert_no_traceback(result)
    assert result.exit_code == 2
    (line,) = stderr_lines(result)
    assert line.startswith(f"quotes: {gold}")


@pytest.fixture(scope="module")
def hostile_store(hostile, tmp_path_factory) -> tuple[Path, object]:
    """The hostile corpus ingested into a fresh store (the good articles in it, the rest reported)."""
    db = tmp_path_factory.mktemp("hostile-store") / "quotes.db"
    return db, invoke("ingest", "--db", db, hostile)


def test_ingest_stores_the_good_articles_and_names_the_rest(hostile, hostile_store) -> None:
    db, result = hostile_store
    assert_no_traceback(result)
    assert result.exit_code == 1
    assert_failures_named(result, hostile)
    again = invoke("ingest", "--db", db, hostile)
    assert_no_traceback(again)
    assert again.exit_code == 1
    stats = invoke("stats", "--db", db)
    assert_no_traceback(stats)
    assert stats.exit_code == 0


def test_report_renders_hostile_quotations_as_text(hostile, tmp_path) -> None:
    out = tmp_path / "hostile.md"
    result = invoke("report", hostile, "-o", out)
    assert_no_traceback(result)
    assert result.exit_code == 1
    assert_failures_named(result, hostile)
    report = out.read_text(encoding="utf-8")
    assert "<script>" not in report and "Pipes \\| and \\`ticks\\`" in report
    for table in report.split("\n\n"):
        rows = [line for line in table.splitlines() if line.startswith("|")]
        assert len({line.count("|") - line.count("\\|") for line in rows}) <= 1, table


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_audit_survives(hostile, hostile_store, case) -> None:
    db, _ = hostile_store
    path = hostile / case.name
    result = invoke("audit", path, "--db", db, "--format", "json")
    assert_no_traceback(result)
    if case.expect in ("refused", "partial"):  # unreadable, or several articles (audit takes one)
        assert result.exit_code == 2
        assert all(line.startswith(f"quotes: {path}") for line in stderr_lines(result)), result.stderr
    else:
        assert result.exit_code in (0, 1), result.stderr
        assert json.loads(result.stdout)


KILLED_MID_WRITE = """
import os, signal, sys
from quotes import cli
os.fsync = lambda fd: os.kill(os.getpid(), signal.SIGKILL)  # every byte written, not yet renamed
sys.argv = ["quotes", *sys.argv[1:]]
cli.main()
"""


def test_report_killed_mid_write_leaves_the_previous_report(tmp_path) -> None:
    out = tmp_path / "seeds.md"
    out.write_text("the previous report\n", encoding="utf-8")
    seeds = Path(__file__).parents[1] / "seeds"
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_MID_WRITE, "report", seeds, "-o", out, "--no-charts"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert out.read_text(encoding="utf-8") == "the previous report\n"
    assert [path.name for path in tmp_path.iterdir() if not path.name.startswith(".")] == ["seeds.md"]


NO_NETWORK = """
import socket, sys
def refuse(*args, **kwargs):
    raise SystemExit("network use attempted")
socket.socket.connect = socket.socket.connect_ex = socket.create_connection = refuse
socket.getaddrinfo = refuse
from quotes import cli
sys.argv = ["quotes", *sys.argv[1:]]
cli.main()
"""


@pytest.mark.parametrize(
    "command",
    [["extract", "{seeds}"], ["frame", "We reject it."], ["report", "{seeds}", "-o", "{out}/r.md"]],
    ids=["extract", "frame", "report"],
)
def test_no_command_reaches_the_network(tmp_path, command) -> None:
    seeds = Path(__file__).parents[1] / "seeds"
    args = [part.format(seeds=seeds, out=tmp_path) for part in command]
    run = subprocess.run(
        [sys.executable, "-c", NO_NETWORK, *args], capture_output=True, text=True, timeout=600
    )
    assert run.returncode == 0, run.stderr
    assert "network use attempted" not in run.stderr


def test_article_metadata_never_names_an_output_path(tmp_path) -> None:
    """Per-folder reports are named after the user's folders; ids, outlets and titles that look like
    paths stay text inside the report."""
    event = tmp_path / "in" / "event"
    event.mkdir(parents=True)
    hostile_names = {"id": "../../../escaped", "outlet": "../../escaped", "title": "/tmp/escaped"}
    write_jsonl(event / "a.jsonl", [{**hostile_names, "text": '"We will win," said Ann Lee.'}])
    out = tmp_path / "out" / "all.md"
    result = invoke("report", tmp_path / "in", "--each-folder", "-o", out)
    assert result.exit_code == 0, result.stderr
    written = sorted(path.relative_to(tmp_path).as_posix() for path in tmp_path.rglob("*"))
    assert [path for path in written if not path.startswith("in")] == [
        "out",
        "out/all",
        "out/all-framing.svg",
        "out/all-speakers.svg",
        "out/all.md",
        "out/all/event-framing.svg",
        "out/all/event-speakers.svg",
        "out/all/event.md",
    ]
