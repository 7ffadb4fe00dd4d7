"""`quotes report`: the sections' content, escaping, syndication, the seeds report (golden and
deterministic, charts included) and the command line."""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_output import NASTY_TEXTS, unescaped_pipes

from quotes.cli import main
from quotes.records import Article, Quotation
from quotes.report import MAX_LISTED, build_corpus, render_report

ROOT = Path(__file__).resolve().parents[1]
# The golden seeds report. After a deliberate change to extraction, framing or the report, regenerate
# it with `make report && cp reports/seeds.md tests/data/seeds_report.md` and read the diff.
GOLDEN = ROOT / "tests/data/seeds_report.md"
SEEDS_TITLE = "Blinken in Beijing: how five outlets quoted the visit"  # as in the Makefile


def quotation(article: Article, text: str, speaker: str | None = "Jane Doe", **fields: object) -> Quotation:
    start = article.text.index(text)
    values: dict = {"speaker_type": "person" if speaker else "unknown", "cue": "said", "kind": "direct"}
    values.update(fields)
    return Quotation(
        article=article.id,
        outlet=article.outlet,
        start=start,
        end=start + len(text),
        text=text,
        speaker=speaker,
        **values,
    )


def tables(markdown: str) -> list[list[str]]:
    """The Markdown tables of a report, each as its lines."""
    blocks, current = [], []
    for line in markdown.splitlines():
        if line.startswith("|"):
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    return blocks + ([current] if current else [])


def section(markdown: str, heading: str) -> str:
    start = markdown.index(f"\n{heading}\n")
    end = markdown.find("\n## ", start + 1)
    return markdown[start : end if end > 0 else None]


# --------------------------------------------------------------------------------------------------
# Escaping: whatever the text, every table keeps its columns and nothing renders as HTML or code
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("nasty", NASTY_TEXTS)
def test_nasty_text_renders_as_text_in_every_table(nasty):
    shared = "and we will hold firm against reckless provocations"
    a = Article("a|1.txt", f"{nasty} “{nasty} {shared} today” she said.", outlet=f"Outlet {nasty}")
    b = Article("b.txt", f"“{shared} tonight” he said.", outlet="Outlet B")  # not a copy of a
    quotations = [
        quotation(a, nasty, speaker=f"Jane {nasty}", cue=nasty),
        quotation(a, f"“{nasty} {shared} today”", speaker="Jane Doe"),
        quotation(b, f"“{shared} tonight”", speaker=None, cue=nasty),
    ]
    report = render_report(build_corpus([a, b], quotations), title=f"Report {nasty}")
    assert "<script" not in report and "<b>" not in report
    assert "`rm -rf /`" not in report
    for table in tables(report):
        assert len({unescaped_pipes(line) for line in table}) == 1, table
    assert "~~today~~ **tonight**" in section(report, "## The same statement across outlets")


# --------------------------------------------------------------------------------------------------
# Sections on a corpus written for the test
# --------------------------------------------------------------------------------------------------

TALKS = "“The talks were candid and constructive and we agreed to meet again soon,”"
DAILY = Article("daily.txt", f"{TALKS} the minister said. “We will not back down,” Li added.", outlet="Daily")
WIRE_TEXT = " ".join(f"word{i}" for i in range(60))
WIRE = Article(
    "wire.txt", f"{WIRE_TEXT} “Trade must stay open,” Ann Lee said.", outlet="Wire", date="2023-06-01"
)
COPY = Article(
    "copy.txt",
    f"Reprinted. {WIRE_TEXT} “Trade must stay open,” Ann Lee said.",
    outlet="Echo",
    date="2023-06-02",
)
ANON = Article("anon.txt", "“The talks were candid and constructive,” officials told the paper.")


@pytest.fixture(scope="module")
def small_report() -> str:
    quotations = [
        quotation(DAILY, TALKS, speaker="Wang Li", framing="conciliatory", speaker_role="minister"),
        quotation(DAILY, "“We will not back down,”", speaker="Wang Li", framing="adversarial", cue="added"),
        quotation(WIRE, "“Trade must stay open,”", speaker="Ann Lee"),
        quotation(COPY, "“Trade must stay open,”", speaker="Ann Lee"),
        quotation(
            ANON,
            "“The talks were candid and constructive,”",
            speaker="officials",
            speaker_type="anonymous",
            cue="told the paper",
            framing="conciliatory",
        ),
    ]
    return render_report(build_corpus([WIRE, ANON, DAILY, COPY], quotations[::-1]), title="Test")


def test_overview_counts_outlets_and_shares(small_report):
    overview = section(small_report, "## Overview")
    assert "4 articles from 4 outlets, 5 quotations" in overview
    assert re.search(r"\| \*\*all\*\* .*\| 5 +\| 100% +\| 20% +\| 0% +\| 1 ", overview)
    assert "unknown (anon.txt)" in overview


def test_who_gets_a_voice_marks_absences(small_report):
    voices = section(small_report, "## Who gets a voice where")
    header, _, *rows = tables(voices)[0]
    assert [c.strip() for c in header.split("|")[1:-1]] == [
        "speaker",
        "type",
        "outlets",
        "all",
        "Daily",
        "Echo",
        "Wire",
        "unknown (anon.txt)",
    ]
    wang = next(r for r in rows if r.startswith("| Wang Li"))
    assert [c.strip() for c in wang.split("|")[1:-1]] == [
        "Wang Li",
        "person",
        "1 of 4",
        "2 (18)",
        "2 (18)",
        "—",
        "—",
        "—",
    ]
    assert rows[0].startswith("| Wang Li")  # most words quoted first
    ann = next(r for r in rows if r.startswith("| Ann Lee"))
    assert "| 1 of 4 " in ann  # the copy does not count as Echo quoting her


def test_framing_by_speaker_and_outlet(small_report):
    framing = section(small_report, "## Framing by outlet and by speaker")
    assert re.search(r"\| Echo +\| — +\| — +\| — +\| 0 +\| — +\|", framing)  # its one quotation is a copy
    assert re.search(r"\| Wang Li +\| Daily +\| 1 \(50%\) +\| 1 \(50%\) +\| — +\| 2 +\| mixed", framing)


def test_same_statement_with_its_attributions_and_exclusives(small_report):
    shared = section(small_report, "## The same statement across outlets")
    assert "### 1. “The talks were candid and constructive and we agreed to meet again soon,”" in shared
    assert "attributed to Wang Li, minister (person); officials (anonymous)." in shared
    assert "| partial  |" in shared
    exclusive = shared[shared.index("### Exclusive quotations") :]
    assert "“We will not back down,”" in exclusive
    assert "“Trade must stay open,”" in exclusive and exclusive.count("Trade must stay open") == 1


def test_syndication_lists_the_copy_and_sets_its_quotations_aside(small_report):
    syndication = section(small_report, "## Syndication")
    assert re.search(
        r"\| copy\.txt +\| Echo +\| wire\.txt +\| Wire +\| whole article +\| \d+% +\| 1 ", syndication
    )


def test_reporting_verbs_by_outlet(small_report):
    verbs = tables(section(small_report, "## Reporting verbs by outlet"))[0]
    assert [c.strip() for c in verbs[2].split("|")[1:-1]] == ["said", "2", "1", "—", "1", "—"]


def test_per_speaker_lists_each_outlets_quotations(small_report):
    wang = section(small_report, "## Per speaker").split("### Wang Li")[1].split("###")[0]
    assert wang.count("| Daily ") == 2 and "adversarial" in wang


def test_long_lists_are_capped_with_the_number_left_out():
    texts = [f"“topic{i} remark{i} detail{i}”" for i in range(MAX_LISTED + 5)]
    article = Article("long.txt", " ".join(texts), outlet="Daily")
    report = render_report(build_corpus([article], [quotation(article, t) for t in texts]))
    assert report.count("…and 5 more from Daily.") == 2  # exclusive quotations, and per speaker
    assert report.count("remark34") == 0 and report.count("remark29") == 2


# --------------------------------------------------------------------------------------------------
# The seeds report: golden, deterministic with its charts, and the bars of issue 4
# --------------------------------------------------------------------------------------------------


@contextlib.contextmanager
def working_directory(path: Path) -> Iterator[None]:
    previous = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(previous)


def run_seeds_report(out: Path) -> Path:
    """`quotes report seeds` as `make report` runs it (from the repository, so ids are seeds/...)."""
    with working_directory(ROOT):
        result = CliRunner().invoke(
            main, ["report", "seeds", "--title", SEEDS_TITLE, "-o", str(out / "seeds.md")]
        )
    assert result.exit_code == 0, result.output
    return out / "seeds.md"


@pytest.fixture(scope="module")
def seeds_report(tmp_path_factory) -> Path:
    return run_seeds_report(tmp_path_factory.mktemp("first"))


@pytest.mark.slow
def test_seeds_report_matches_the_golden_file_and_the_committed_report(seeds_report):
    produced = seeds_report.read_bytes()
    assert produced == GOLDEN.read_bytes()
    assert (ROOT / "reports/seeds.md").read_bytes() == produced


@pytest.mark.slow
def test_two_runs_give_the_same_bytes_charts_included(seeds_report, tmp_path):
    second = run_seeds_report(tmp_path)
    names = sorted(p.name for p in seeds_report.parent.iterdir())
    assert names == ["seeds-framing.svg", "seeds-speakers.svg", "seeds.md"]
    assert sorted(p.name for p in tmp_path.iterdir()) == names
    for name in names:
        assert (seeds_report.parent / name).read_bytes() == (second.parent / name).read_bytes(), name
    report = seeds_report.read_text(encoding="utf-8")
    assert "![Framing mix by outlet](seeds-framing.svg)" in report
    assert "![Speaker share by outlet](seeds-speakers.svg)" in report


@pytest.mark.slow
def test_seeds_report_shows_the_bars(seeds_report):
    report = seeds_report.read_text(encoding="utf-8")
    statements = section(report, "## The same statement across outlets").split("\n### ")
    candid = next(s for s in statements if s.startswith("2. “candid, substantive, and constructive."))
    assert (
        "Carried by 3 outlets; attributed to State Department (organization); U.S. (organization)." in candid
    )
    diplomacy = next(s for s in statements if "importance of diplomacy" in s.splitlines()[0])
    assert "across the full range of issues" in diplomacy
    assert "~~across~~ **throughout** the ~~full~~ range of ~~issues~~ **problems**" in diplomacy
    exclusive = statements[-1]
    assert re.search(r"\| Worldys News +\| Qin Gang +\| “lowest point” ", exclusive)
    assert exclusive.count("lowest point") == 1
    leaning = {
        (cells[0], cells[1]): cells[-1]
        for line in tables(section(report, "### By speaker and outlet"))[0][2:]
        if (cells := [c.strip() for c in line.split("|")[1:-1]])
    }
    assert leaning["Wang Wenbin", "VOA News"] == "adversarial"
    assert leaning["Qin Gang", "AMN"] == "adversarial"
    assert leaning["Xi Jinping", "Worldys News"] == "conciliatory"
    # Worldys News quotes Blinken conciliatory, adversarial and neutral twice each (its two conciliatory
    # fragments of one clause are one quotation)
    assert leaning["Antony Blinken", "VOA News"] == "conciliatory"
    assert leaning["Antony Blinken", "Worldys News"] in ("conciliatory", "mixed")


# --------------------------------------------------------------------------------------------------
# The command line
# --------------------------------------------------------------------------------------------------

EVENT_ONE = "“We will not tolerate these provocations at all,” said John Smith, the mayor.\n"
EVENT_TWO = "“Trade will grow strongly next year,” said Ann Lee, a minister.\n"


@pytest.fixture(scope="module")
def events(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("events")
    for event, text in (("one", EVENT_ONE), ("two", EVENT_TWO)):
        (root / event).mkdir()
        (root / event / "daily.md").write_text(f"---\noutlet: Daily\n---\n{text}", encoding="utf-8")
        (root / event / "herald.md").write_text(f"---\noutlet: Herald\n---\nIntro. {text}", encoding="utf-8")
    return root


@pytest.mark.slow
def test_each_folder_writes_one_report_per_event_and_one_for_all(events, tmp_path):
    out = tmp_path / "out" / "all.md"
    result = CliRunner().invoke(main, ["report", str(events), "--each-folder", "--no-charts", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""  # no progress bar when stderr is not a terminal
    assert sorted(p.relative_to(out.parent).as_posix() for p in out.parent.rglob("*")) == [
        "all",
        "all.md",
        "all/one.md",
        "all/two.md",
    ]
    one = (out.parent / "all/one.md").read_text(encoding="utf-8")
    assert one.startswith("# How each outlet quotes the same speakers: one\n")
    assert "John Smith" in one and "Ann Lee" not in one
    assert "Carried by 2 outlets" in one
    everything = out.read_text(encoding="utf-8")
    assert "John Smith" in everything and "Ann Lee" in everything


@pytest.mark.slow
def test_a_bad_input_is_reported_and_the_report_still_written(events, tmp_path):
    (tmp_path / "broken.txt").write_bytes(b"\x00\x01binary")
    result = CliRunner().invoke(main, ["report", str(events / "one"), str(tmp_path / "broken.txt")])
    assert result.exit_code == 1
    assert "broken.txt" in result.stderr and "Traceback" not in result.stderr
    assert result.stdout.startswith("# How each outlet quotes the same speakers\n")
    assert "John Smith" in result.stdout


def test_nothing_readable_is_fatal(tmp_path):
    result = CliRunner().invoke(main, ["report", str(tmp_path / "missing.txt")])
    assert result.exit_code == 2
    assert "missing.txt" in result.stderr and "no article to report on" in result.stderr


def test_each_folder_needs_an_output():
    assert CliRunner().invoke(main, ["report", "x", "--each-folder"]).exit_code == 2


@pytest.mark.slow
@pytest.mark.parametrize("charts", [[], ["--no-charts"]])
def test_an_unwritable_output_is_one_line_and_exit_2(events, tmp_path, charts):
    (tmp_path / "file").write_text("not a folder", encoding="utf-8")
    result = CliRunner().invoke(
        main, ["report", str(events / "one"), "-o", str(tmp_path / "file/r.md"), *charts]
    )
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == 1 and "cannot write" in result.stderr
