"""Rendering quotations for people (terminal and Markdown tables) and writing output files atomically."""

from __future__ import annotations

import json
import os
import stat

import pytest
from conftest import fuzz_settings
from hypothesis import given
from hypothesis import strategies as st

from quotes import output
from quotes.output import markdown_cell, render, to_jsonl, to_table, write_atomic

NASTY_TEXTS = [
    "“a | b”",
    "“one\ntwo\r\nthree”",
    "“<script>alert(1)</script>”",
    "“run `rm -rf /` now”",
    "“**bold** and *italic*”",
    "“__init__ and _private_”",
    "“[link](http://example.com) and ![img](x.png)”",
    "“a \\| b and c \\\\| d”",
    "“trailing backslash \\”",
    "“&lt; is not < and &amp; is not &”",
    "“tabs\tand\u2028line separators\u0085here”",
    "“" + "long | " * 30 + "”",
]


def unescaped_pipes(line: str) -> int:
    """Pipes that separate Markdown table cells: those not escaped by a backslash."""
    count, escaped = 0, False
    for char in line:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "|":
            count += 1
    return count


# --------------------------------------------------------------------------------------------------
# markdown_cell: text that cannot break a Markdown table cell
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("plain words", "plain words"),
        ("a | b", "a \\| b"),
        ("one\ntwo\r\nthree", "one two three"),
        ("  spaced \t out  ", "spaced out"),
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("`code`", "\\`code\\`"),
        ("**bold** *it*", "\\*\\*bold\\*\\* \\*it\\*"),
        ("__init__", "\\_\\_init\\_\\_"),
        ("[link](url)", "\\[link\\](url)"),
        ("back\\slash", "back\\\\slash"),
        ("Tom & Jerry", "Tom &amp; Jerry"),
        ("“He said ‘yes’”", "“He said ‘yes’”"),
        (42, "42"),
    ],
)
def test_markdown_cell(value, expected):
    assert markdown_cell(value) == expected


@pytest.mark.fuzz
@fuzz_settings(300)
@given(st.text() | st.sampled_from(NASTY_TEXTS))
def test_markdown_cell_leaves_no_raw_html_pipe_or_newline(text):
    cell = markdown_cell(text)
    assert "\n" not in cell and "\r" not in cell
    assert "<" not in cell and ">" not in cell
    assert unescaped_pipes(cell) == 0


# --------------------------------------------------------------------------------------------------
# Tables: a header, then exactly one row a quotation, every row with the same columns
# --------------------------------------------------------------------------------------------------


def test_markdown_table_keeps_one_row_per_quotation_and_its_columns(make_quotation):
    quotations = [
        make_quotation(text, article=f"odd|name_{i}.txt", speaker="A | B <b>", cue="said *loudly*")
        for i, text in enumerate(NASTY_TEXTS)
    ]
    lines = to_table(quotations, markdown=True).splitlines()
    header, rule, *rows = lines
    assert len(rows) == len(quotations)
    assert header.split("|")[1].strip() == "article"
    assert set(rule) <= set("|-: ")
    columns = unescaped_pipes(header)
    assert columns == 8  # seven cells between eight pipes
    assert all(unescaped_pipes(row) == columns for row in rows)
    body = "\n".join(rows)
    assert "<script>" not in body and "&lt;script&gt;" in body
    assert "<b>" not in body


def test_markdown_table_columns(make_quotation):
    header = to_table([make_quotation()], markdown=True).splitlines()[0]
    assert [cell.strip() for cell in header.strip("|").split("|")] == [
        "article",
        "speaker",
        "type",
        "kind",
        "cue",
        "quotation",
        "framing",
    ]


def test_plain_table_keeps_one_line_per_quotation(make_quotation):
    quotations = [make_quotation(text) for text in NASTY_TEXTS]
    lines = to_table(quotations).splitlines()
    assert lines[0].split() == ["article", "speaker", "type", "kind", "cue", "quotation", "framing"]
    assert set(lines[1]) <= {"-", " "}
    assert len(lines) == 2 + len(quotations)


@pytest.mark.parametrize("markdown", [False, True])
def test_long_quotations_are_shortened_in_tables(make_quotation, markdown):
    text = "“" + "word " * 100 + "”"
    (row,) = to_table([make_quotation(text)], markdown=markdown).splitlines()[2:]
    assert "…" in row
    assert len(row) < 250


def test_an_unattributed_quotation_shows_a_dash(make_quotation):
    (row,) = to_table([make_quotation(speaker=None)], markdown=True).splitlines()[2:]
    assert "| —" in row


@pytest.mark.parametrize("fmt", ["table", "md"])
def test_an_empty_table_still_has_its_header(fmt):
    lines = render([], fmt).splitlines()
    assert "article" in lines[0] and "quotation" in lines[0]


def test_jsonl_is_one_object_a_line_in_contract_order(make_quotation):
    quotations = [make_quotation(text) for text in NASTY_TEXTS]
    text = to_jsonl(quotations)
    assert text.endswith("\n")
    lines = text[:-1].split("\n")
    assert len(lines) == len(quotations)
    for line, quotation in zip(lines, quotations, strict=True):
        row = json.loads(line)
        assert list(row) == list(quotation.as_json())
        assert row["text"] == quotation.text
    assert render(quotations, "jsonl") == to_jsonl(quotations)
    assert to_jsonl([]) == ""


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\u0085"])
def test_jsonl_records_survive_unicode_line_splitting(make_quotation, separator):
    text = to_jsonl([make_quotation(f"“one{separator}two”"), make_quotation()])
    texts = [json.loads(line)["text"] for line in text.splitlines()]
    assert texts == [f"“one{separator}two”", "“We will win,”"]


# --------------------------------------------------------------------------------------------------
# write_atomic: the old file or the new one, whole, and no temp files left behind
# --------------------------------------------------------------------------------------------------


def test_write_atomic_creates_and_replaces(tmp_path):
    target = tmp_path / "out.md"
    write_atomic(target, "first\n")
    assert target.read_text(encoding="utf-8") == "first\n"
    write_atomic(str(target), "second “ünïcode”\n")
    assert target.read_text(encoding="utf-8") == "second “ünïcode”\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.md"]


def test_write_atomic_creates_missing_directories(tmp_path):
    target = tmp_path / "a" / "b" / "out.jsonl"
    write_atomic(target, "x\n")
    assert target.read_text(encoding="utf-8") == "x\n"


@pytest.mark.parametrize("failing", ["replace", "fsync"])
def test_a_failed_write_leaves_the_old_file_intact(tmp_path, monkeypatch, failing):
    target = tmp_path / "out.md"
    target.write_text("old content\n", encoding="utf-8")

    def boom(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(output.os, failing, boom)
    with pytest.raises(OSError, match="disk full"):
        write_atomic(target, "new content\n")
    monkeypatch.undo()
    assert target.read_text(encoding="utf-8") == "old content\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.md"]


def test_a_failed_first_write_creates_nothing(tmp_path, monkeypatch):
    def boom(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(output.os, "replace", boom)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(tmp_path / "out.md", "new\n")
    monkeypatch.undo()
    assert list(tmp_path.iterdir()) == []


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_write_atomic_keeps_ordinary_file_permissions(tmp_path):
    old_umask = os.umask(0o022)
    try:
        fresh = tmp_path / "fresh.md"
        write_atomic(fresh, "x\n")
        existing = tmp_path / "existing.md"
        existing.write_text("old\n", encoding="utf-8")
        existing.chmod(0o664)
        write_atomic(existing, "new\n")
    finally:
        os.umask(old_umask)
    assert (_mode(fresh), _mode(existing)) == (0o644, 0o664)
