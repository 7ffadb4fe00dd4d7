"""The `quotes` command line: the JSONL contract, bad input, table formats, -o, and evaluate.

Most tests run the CLI in-process with click's CliRunner, so the spaCy pipeline is loaded once for the
whole module; two run the installed `quotes` script to see the real stderr and exit codes.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import Result
from conftest import SHARED_DATA, assert_no_traceback, invoke, jsonl_rows, stderr_lines, write_jsonl

from quotes.articles import read_articles
from quotes.evaluate import score
from quotes.output import markdown_cell
from quotes.records import FRAMING_LABELS, SPEAKER_TYPES, Article

pytestmark = pytest.mark.slow

QUOTES_SCRIPT = Path(sys.executable).with_name("quotes")
OFFICIAL_SCORER = SHARED_DATA / "score_quotes.py"

CONTRACT_KEYS = [
    "article",
    "outlet",
    "start",
    "end",
    "text",
    "kind",
    "speaker",
    "speaker_type",
    "speaker_mention",
    "speaker_start",
    "speaker_end",
    "speaker_role",
    "cue",
    "framing",
    "framing_scores",
    "confidence",
]

MAYOR = (
    "City Hall\n\n"
    "“We will win,” said Jane Doe, the mayor of Springfield.\n\n"
    "The council voted on Monday. “This is a great day for the city,” Doe added.\n"
)
CHIEF = (
    "---\noutlet: Daily Bugle\n---\n"
    "John Smith, the police chief, said the streets were safe. “Crime is down,” Smith told reporters.\n"
)
WIRE = [
    {"id": "wire-1", "text": "“Trade will grow,” said Ann Lee, a minister.", "outlet": "Wire"},
    {"id": "wire-2", "text": "“We disagree,” said Senator Bob Hale on Tuesday."},
]
EXPECTED_QUOTATIONS = [
    "“We will win,”",
    "“This is a great day for the city,”",
    "“Crime is down,”",
    "“Trade will grow,”",
    "“We disagree,”",
]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """A folder of good articles: a .txt, a .md with front matter, and a .jsonl of two."""
    folder = tmp_path_factory.mktemp("corpus")
    (folder / "a_mayor.txt").write_text(MAYOR, encoding="utf-8")
    (folder / "b_chief.md").write_text(CHIEF, encoding="utf-8")
    write_jsonl(folder / "c_wire.jsonl", WIRE)
    return folder


@pytest.fixture(scope="module")
def extracted(corpus) -> Result:
    return invoke("extract", corpus)


@pytest.fixture(scope="module")
def rows(extracted) -> list[dict]:
    return jsonl_rows(extracted.stdout)


@pytest.fixture(scope="module")
def articles(corpus) -> dict[str, Article]:
    return {item.id: item for item in read_articles([str(corpus)]) if isinstance(item, Article)}


# --------------------------------------------------------------------------------------------------
# quotes extract: the JSONL contract
# --------------------------------------------------------------------------------------------------


def test_extract_succeeds_quietly(extracted):
    assert_no_traceback(extracted)
    assert extracted.exit_code == 0
    assert extracted.stderr == ""


def test_extract_finds_every_quotation_in_article_order(rows, corpus):
    assert [row["text"] for row in rows] == EXPECTED_QUOTATIONS
    assert [Path(row["article"]).name for row in rows[:3]] == ["a_mayor.txt", "a_mayor.txt", "b_chief.md"]
    assert [row["article"] for row in rows[3:]] == ["wire-1", "wire-2"]


def test_every_line_has_exactly_the_contract_keys_in_order(extracted):
    for line in extracted.stdout.splitlines():
        assert list(json.loads(line)) == CONTRACT_KEYS


def test_offsets_point_into_the_article_text(rows, articles):
    for row in rows:
        text = articles[row["article"]].text
        assert text[row["start"] : row["end"]] == row["text"]
        if row["speaker_start"] is not None:
            assert text[row["speaker_start"] : row["speaker_end"]] == row["speaker_mention"]


def test_a_plain_text_article_is_its_file(rows, corpus):
    text = (corpus / "a_mayor.txt").read_text(encoding="utf-8")
    for row in rows[:2]:
        assert text[row["start"] : row["end"]] == row["text"]


def test_field_values(rows):
    for row in rows:
        assert row["kind"] in {"direct", "partial"}
        assert row["speaker_type"] in SPEAKER_TYPES
        assert row["framing"] in FRAMING_LABELS
        assert set(row["framing_scores"]) <= set(FRAMING_LABELS)
        assert 0.0 <= row["confidence"] <= 1.0
        assert isinstance(row["start"], int) and isinstance(row["end"], int)


def test_metadata_and_a_clear_attribution(rows):
    by_text = {row["text"]: row for row in rows}
    mayor = by_text["“We will win,”"]
    assert mayor["speaker"] == mayor["speaker_mention"] == "Jane Doe"
    assert mayor["speaker_type"] == "person"
    assert by_text["“Crime is down,”"]["outlet"] == "Daily Bugle"
    assert by_text["“Trade will grow,”"]["outlet"] == "Wire"


# --------------------------------------------------------------------------------------------------
# Bad input: one line on stderr naming it, the rest still extracted, exit code 1 (2 if nothing worked)
# --------------------------------------------------------------------------------------------------

BROKEN_JSONL = "\n".join([json.dumps(WIRE[0]), "{this is not json", json.dumps(WIRE[1]), ""])

# case → (name of the bad input, its content: bytes, "dir" for an empty directory, None for missing)
BAD_INPUTS = {
    "missing-file": ("missing.txt", None),
    "directory-without-articles": ("empty_dir", "dir"),
    "binary-file": ("binary.txt", b"GIF89a\x00\x01\x02\x00 not text \x00"),
    "invalid-utf8-not-cp1252": ("mangled.txt", "He said “hi”. ".encode() + b"\x81\x8d\x8f\x90\x9d\n"),
    "empty-article": ("empty.txt", b""),
    "whitespace-article": ("blank.md", b"  \n\n\t\n"),
}


def make_bad(folder: Path, name: str, content: bytes | str | None) -> Path:
    path = folder / name
    if content == "dir":
        path.mkdir()
    elif content is not None:
        path.write_bytes(content)
    return path


@pytest.fixture(scope="module")
def good_only(corpus) -> Result:
    return invoke("extract", corpus / "a_mayor.txt")


@pytest.mark.parametrize("case", BAD_INPUTS)
def test_a_bad_input_is_reported_and_skipped(tmp_path, corpus, good_only, case):
    name, content = BAD_INPUTS[case]
    bad = make_bad(tmp_path, name, content)
    result = invoke("extract", corpus / "a_mayor.txt", bad)
    assert_no_traceback(result)
    assert result.exit_code == 1
    assert result.stdout == good_only.stdout
    lines = stderr_lines(result)
    assert all(line.startswith("quotes: ") for line in lines)
    assert [line for line in lines if str(bad) in line] == [lines[0]]
    assert lines[0].startswith(f"quotes: {bad}: ")
    assert lines[1:] == ["quotes: 1 input(s) failed; 1 article(s) processed"]


def test_a_broken_jsonl_line_costs_only_that_line(tmp_path, corpus):
    clean = write_jsonl(tmp_path / "clean.jsonl", WIRE)
    broken = tmp_path / "broken.jsonl"
    broken.write_text(BROKEN_JSONL, encoding="utf-8")
    expected = invoke("extract", corpus / "a_mayor.txt", clean)
    result = invoke("extract", corpus / "a_mayor.txt", broken)
    assert_no_traceback(result)
    assert result.exit_code == 1
    assert result.stdout == expected.stdout
    assert [row["article"] for row in jsonl_rows(result.stdout)][-2:] == ["wire-1", "wire-2"]
    first, *rest = stderr_lines(result)
    assert first.startswith(f"quotes: {broken}#2: ")
    assert rest == ["quotes: 1 input(s) failed; 3 article(s) processed"]


def test_when_every_input_fails_the_exit_code_is_2(tmp_path):
    bad = [make_bad(tmp_path, name, content) for name, content in BAD_INPUTS.values()]
    result = invoke("extract", *bad)
    assert_no_traceback(result)
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = stderr_lines(result)
    assert len(lines) == len(bad) + 1
    for path, line in zip(bad, lines, strict=False):
        assert line.startswith(f"quotes: {path}: ")
    assert lines[-1] == f"quotes: {len(bad)} input(s) failed; 0 article(s) processed"


def run_script(*args: object) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(QUOTES_SCRIPT), *map(str, args)], capture_output=True, text=True, timeout=300, check=False
    )


def test_the_installed_script_reports_bad_inputs_without_a_traceback(tmp_path, corpus):
    bad = [make_bad(tmp_path, name, content) for name, content in BAD_INPUTS.values()]
    completed = run_script("extract", corpus, *bad)
    assert completed.returncode == 1
    assert "Traceback" not in completed.stderr
    assert [row["text"] for row in jsonl_rows(completed.stdout)] == EXPECTED_QUOTATIONS
    lines = completed.stderr.splitlines()
    assert all(line.startswith("quotes: ") for line in lines)
    for path in bad:
        assert sum(f"quotes: {path}: " in line for line in lines) == 1


def test_the_installed_script_exits_2_when_nothing_could_be_read(tmp_path):
    completed = run_script("extract", tmp_path / "missing.txt", make_bad(tmp_path, "binary.txt", b"\x00\x00"))
    assert (completed.returncode, completed.stdout) == (2, "")
    assert "Traceback" not in completed.stderr
    assert len(completed.stderr.splitlines()) == 3


def test_an_unwritable_output_path_is_one_line_not_a_traceback(corpus, tmp_path):
    blocker = tmp_path / "not_a_dir"
    blocker.write_text("", encoding="utf-8")
    result = invoke("extract", corpus / "a_mayor.txt", "-o", blocker / "out.jsonl")
    assert_no_traceback(result)
    assert result.exit_code == 2
    (line,) = stderr_lines(result)
    assert str(blocker / "out.jsonl") in line


def test_an_unloadable_model_means_nothing_could_be_processed(corpus):
    result = invoke("extract", corpus / "a_mayor.txt", "--model", "no_such_spacy_model")
    assert_no_traceback(result)
    assert len(stderr_lines(result)) == 1
    assert result.exit_code == 2


# --------------------------------------------------------------------------------------------------
# Tables and -o
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["table", "md"])
def test_tables_have_a_header_and_one_row_per_quotation(corpus, rows, fmt):
    result = invoke("extract", corpus, "--format", fmt)
    assert_no_traceback(result)
    assert result.exit_code == 0
    header, rule, *body = result.stdout.splitlines()
    assert re.findall(r"\w+", header) == ["article", "speaker", "type", "kind", "cue", "quotation", "framing"]
    assert set(rule) <= set("|-: ") and "-" in rule
    assert len(body) == len(rows)
    cell = markdown_cell if fmt == "md" else str
    for line, row in zip(body, rows, strict=True):
        assert cell(row["text"]) in line
        assert cell(Path(row["article"]).name) in line
    if fmt == "md":
        assert all(line.startswith("|") and line.endswith("|") for line in [header, rule, *body])
        assert len({line.count("|") for line in [header, rule, *body]}) == 1


@pytest.mark.parametrize(("fmt", "name"), [("jsonl", "out.jsonl"), ("md", "report.md"), ("table", "t.txt")])
def test_output_file_is_written_atomically_and_stdout_stays_empty(corpus, tmp_path, fmt, name):
    expected = invoke("extract", corpus, "--format", fmt).stdout
    target = tmp_path / "reports" / name
    result = invoke("extract", corpus, "--format", fmt, "-o", target)
    assert_no_traceback(result)
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    assert target.read_text(encoding="utf-8") == expected
    assert [p.name for p in target.parent.iterdir()] == [name]


def test_output_file_replaces_an_old_one(corpus, tmp_path, extracted):
    target = tmp_path / "out.jsonl"
    target.write_text("stale\n" * 1000, encoding="utf-8")
    result = invoke("extract", corpus, "--output", target)
    assert result.exit_code == 0
    assert target.read_text(encoding="utf-8") == extracted.stdout
    assert [p.name for p in tmp_path.iterdir()] == ["out.jsonl"]


# --------------------------------------------------------------------------------------------------
# quotes evaluate
# --------------------------------------------------------------------------------------------------

GOLD_MAYOR = (
    "“We will win this election,” said Jane Doe, the mayor of Springfield.\n\n"
    "The council voted on Monday. Doe said the vote was fair. “This is a great day for the city,” she added."
)
GOLD_CHIEF = (
    "John Smith, the police chief, told reporters the streets were safe. "
    "He called the report “deeply flawed and misleading.”\n\n"
    "“Crime is down across the board,” Smith said."
)


def polnear_quote(text: str, quoted: str, kind: str, speaker: str, cue: str = "said") -> dict:
    start = text.index(quoted)
    speaker_at = re.search(rf"(?<!\w){re.escape(speaker)}(?!\w)", text)
    assert speaker_at
    return {
        "start": start,
        "end": start + len(quoted),
        "text": quoted,
        "kind": kind,
        "speaker": speaker,
        "speaker_start": speaker_at.start(),
        "speaker_end": speaker_at.end(),
        "cue": cue,
        "attribution_id": f"{kind}-{start}",
        "n_fragments": 1,
    }


def polnear_article(article_id: str, text: str, quotes: list[dict]) -> dict:
    metadata = {"publisher": "Test", "date": "2016-10-01", "title": "T"}
    return {"id": article_id, "text": text, **metadata, "quotes": quotes}


GOLD = [
    polnear_article(
        "mayor",
        GOLD_MAYOR,
        [
            polnear_quote(GOLD_MAYOR, "“We will win this election,”", "direct", "Jane Doe"),
            polnear_quote(GOLD_MAYOR, "the vote was fair", "indirect", "Doe"),
            polnear_quote(GOLD_MAYOR, "“This is a great day for the city,”", "direct", "she", "added"),
        ],
    ),
    polnear_article(
        "chief",
        GOLD_CHIEF,
        [
            polnear_quote(GOLD_CHIEF, "the streets were safe", "indirect", "John Smith", "told"),
            polnear_quote(
                GOLD_CHIEF, "called the report “deeply flawed and misleading.”", "mixed", "He", "called"
            ),
            polnear_quote(GOLD_CHIEF, "“Crime is down across the board,”", "direct", "Smith"),
        ],
    ),
]
SUMMARY = re.compile(
    r"^quote P/R/F1 \d\.\d{3}/\d\.\d{3}/\d\.\d{3}  speaker \d\.\d{3}  "
    r"e2e P/R/F1 \d\.\d{3}/\d\.\d{3}/\d\.\d{3}  \(gold \d+, predicted \d+, ignored \d+\)$"
)
SCORE_KEYS = {"precision", "recall", "f1", "speaker_accuracy", "e2e_f1"}


@pytest.fixture(scope="module")
def gold_file(tmp_path_factory) -> Path:
    return write_jsonl(tmp_path_factory.mktemp("gold") / "gold.jsonl", GOLD)


def test_evaluate_prints_the_summary_line(gold_file):
    result = invoke("evaluate", gold_file)
    assert_no_traceback(result)
    assert result.exit_code == 0
    (line,) = result.stdout.splitlines()
    assert SUMMARY.match(line), line
    assert "(gold 4, " in line


def test_evaluate_json(gold_file):
    result = invoke("evaluate", gold_file, "--json", "--kinds", "direct,mixed")
    assert result.exit_code == 0
    scores = json.loads(result.stdout)
    assert scores.keys() >= SCORE_KEYS
    assert all(0.0 <= scores[key] <= 1.0 for key in SCORE_KEYS)
    # the quotation marks of the gold are unambiguous: every quotation is found, and nothing else
    assert (scores["n_gold"], scores["precision"], scores["recall"]) == (4, 1.0, 1.0)


def test_evaluate_scores_given_predictions(gold_file, tmp_path):
    predictions = [
        {"article": "mayor", "start": 0, "end": 28, "speaker": "Jane Doe", "speaker_start": None},
        {
            "article": "mayor",
            "start": 128,
            "end": 163,
            "speaker": "the mayor",
            "speaker_start": 164,
            "speaker_end": 167,
        },
        {"article": "chief", "start": 68, "end": 80, "speaker": "John Smith"},
        {"article": "chief", "start": 200, "end": 210, "speaker": "Smith"},
    ]
    pred_file = write_jsonl(tmp_path / "pred.jsonl", predictions)
    result = invoke("evaluate", gold_file, "--pred", pred_file, "--json", "--kinds", "direct,mixed")
    assert result.exit_code == 0
    by_article: dict[str, list[dict]] = {}
    for row in predictions:
        by_article.setdefault(row["article"], []).append(row)
    assert json.loads(result.stdout) == score(GOLD, by_article, frozenset({"direct", "mixed"})).as_json()
    if OFFICIAL_SCORER.exists():
        official = json.loads(
            subprocess.run(
                [sys.executable, str(OFFICIAL_SCORER), str(gold_file), str(pred_file)],
                capture_output=True,
                text=True,
                check=True,
                timeout=120,
            ).stdout
        )
        ours = json.loads(result.stdout)
        assert (ours["precision"], ours["recall"], ours["speaker_accuracy"], ours["e2e_f1"]) == (
            official["quote_P"],
            official["quote_R"],
            official["speaker_acc"],
            official["e2e_F1"],
        )


def test_evaluate_on_its_own_extraction_matches_scoring_the_extract_output(gold_file, tmp_path):
    plain = [{"id": article["id"], "text": article["text"]} for article in GOLD]
    articles_file = write_jsonl(tmp_path / "articles.jsonl", plain)
    pred_file = tmp_path / "pred.jsonl"
    assert invoke("extract", articles_file, "-o", pred_file).exit_code == 0
    direct = invoke("evaluate", gold_file, "--json")
    via_file = invoke("evaluate", gold_file, "--pred", pred_file, "--json")
    assert json.loads(direct.stdout) == json.loads(via_file.stdout)


def test_evaluate_unreadable_gold_is_one_line(tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text('{"id": "a", "text": "x", "quotes": []}\n{not json\n', encoding="utf-8")
    result = invoke("evaluate", gold, "--pred", gold)
    assert_no_traceback(result)
    assert result.exit_code != 0
    (line,) = stderr_lines(result)
    assert str(gold) in line


@pytest.mark.parametrize("line", ['{"id": "a", "text": "x"}', "[1, 2]"], ids=["no-quotes", "not-an-object"])
def test_evaluate_malformed_gold_is_one_line(tmp_path, line):
    gold = tmp_path / "gold.jsonl"
    gold.write_text(line + "\n", encoding="utf-8")
    pred = write_jsonl(tmp_path / "pred.jsonl", [{"article": "a", "start": 0, "end": 1}])
    result = invoke("evaluate", gold, "--pred", pred)
    assert_no_traceback(result)
    (message,) = stderr_lines(result)
    assert str(gold) in message
