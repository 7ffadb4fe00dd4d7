"""Shared fixtures: record factories, JSONL writing, and the spaCy pipeline loaded once a session."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import settings

from quotes.cli import main
from quotes.records import Quotation

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
FUZZ_SCALE = int(os.environ.get("QUOTES_FUZZ_SCALE", "1"))


def fuzz_settings(max_examples: int, **options: object) -> settings:
    """Hypothesis settings for a property that `make fuzz` runs for longer: bounded in `make test`,
    multiplied by QUOTES_FUZZ_SCALE there."""
    return settings(max_examples=max_examples * FUZZ_SCALE, deadline=None, **options)


@pytest.fixture(scope="session")
def nlp():
    """The spaCy pipeline (about 2 s to load), shared by every test that needs it."""
    from quotes.pipeline import load_pipeline

    return load_pipeline()


@pytest.fixture
def make_quotation() -> Callable[..., Quotation]:
    """A Quotation with plausible defaults; keyword arguments override any field."""

    def make(text: str = "“We will win,”", **fields: object) -> Quotation:
        values: dict = {
            "article": "a.txt",
            "outlet": "unknown",
            "start": 0,
            "end": len(text),
            "text": text,
            "kind": "direct",
            "speaker": "Jane Doe",
            "speaker_type": "person",
            "speaker_mention": "Jane Doe",
            "cue": "said",
        }
        values.update(fields)
        return Quotation(**values)

    return make


def write_jsonl(path: Path, rows: Iterable[dict]) -> Path:
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    return path


@pytest.fixture
def jsonl_writer() -> Callable[[Path, Iterable[dict]], Path]:
    """write_jsonl(path, rows): one JSON object a line, UTF-8."""
    return write_jsonl


def invoke(*args: object) -> Result:
    """Run the `quotes` command in-process (the spaCy pipeline stays loaded between runs)."""
    return CliRunner().invoke(main, [str(arg) for arg in args])


def stderr_lines(result: Result) -> list[str]:
    return result.stderr.splitlines()


def assert_no_traceback(result: Result) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.stderr


def jsonl_rows(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines()]
