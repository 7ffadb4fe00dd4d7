"""Render quotation records as JSONL, a terminal table or Markdown, and write files atomically."""

from __future__ import annotations

import html
import json
import os
import re
import tempfile
from collections.abc import Iterable
from pathlib import Path

from tabulate import tabulate

from quotes.records import Quotation

FORMATS = ("jsonl", "table", "md")
_COLUMNS = ("article", "speaker", "type", "kind", "cue", "quotation", "framing")
_MAX_CELL = 90


# Unicode line separators that some JSONL readers split records on: always written escaped.
_LINE_SEPARATORS = str.maketrans({"\u2028": "\\u2028", "\u2029": "\\u2029", "\x85": "\\u0085"})


def to_jsonl(quotations: Iterable[Quotation]) -> str:
    return "".join(
        json.dumps(q.as_json(), ensure_ascii=False).translate(_LINE_SEPARATORS) + "\n" for q in quotations
    )


def to_table(quotations: Iterable[Quotation], markdown: bool = False) -> str:
    """A table a person reads: one row a quotation, long quotations shortened."""
    cell = markdown_cell if markdown else _plain_cell
    rows = [
        [
            cell(q.article),
            cell(q.speaker or "—"),
            q.speaker_type,
            q.kind,
            cell(q.cue or ""),
            cell(shorten(q.text)),
            q.framing,
        ]
        for q in quotations
    ]
    return (
        tabulate(rows, headers=_COLUMNS, tablefmt="github" if markdown else "simple", disable_numparse=True)
        + "\n"
    )


def render(quotations: list[Quotation], fmt: str) -> str:
    if fmt == "jsonl":
        return to_jsonl(quotations)
    return to_table(quotations, markdown=fmt == "md")


def markdown_cell(value: str) -> str:
    """Text safe inside a Markdown table cell: no pipes, newlines, HTML or code spans can break it."""
    value = html.escape(_plain_cell(value), quote=False)
    return re.sub(r"([|`*_\[\]\\])", r"\\\1", value)


_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def terminal_text(value: str) -> str:
    """Text safe to print: control characters (terminal escape sequences) and bidi overrides, which
    would act on the display instead of showing, are written as visible \\uXXXX escapes."""
    return _UNPRINTABLE.sub(lambda match: f"\\u{ord(match.group()):04x}", value)


def _plain_cell(value: str) -> str:
    return terminal_text(" ".join(str(value).split()))


def shorten(text: str, limit: int = _MAX_CELL) -> str:
    """`text` on one line, cut to `limit` characters with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def write_atomic(path: str | Path, content: str) -> None:
    """Write `content` to `path` so that a crash leaves either the old file or the new one, whole."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(tmp, _mode_for(path))
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _mode_for(path: Path) -> int:
    """The existing file's permissions, or what the umask gives a new file (mkstemp makes 0600)."""
    try:
        return path.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
