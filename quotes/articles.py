"""Read articles from files, directories and stdin into `Article` records.

Every later stage works on offsets into `Article.text`, so this module is the one place that decides
what the text *is* (decoding, line ends, front matter, HTML extraction) and where every bad input
becomes a `ReadFailure` rather than an exception that would stop a whole batch.
"""

from __future__ import annotations

import codecs
import gzip
import json
import os
import re
import sys
import zlib
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from typing import BinaryIO, TextIO

from charset_normalizer import from_bytes

from quotes.records import UNKNOWN_OUTLET, Article, QuotesError, ReadFailure

__all__ = ["infer_metadata", "read_articles"]

STDIN_NAME = "stdin"
MANIFEST_NAME = "manifest.json"
SUFFIXES = (".txt", ".md", ".html", ".htm", ".json", ".jsonl", ".parquet")  # all but .parquet may end in .gz
PARQUET_ROWS = (
    1024  # rows read at a time from a Parquet file: its row groups are streamed, never loaded whole
)
# Project files that sit beside articles in a folder but are not articles.
_NOT_ARTICLES = frozenset({"readme", "license", "licence", "changelog"})
_FIELDS = ("outlet", "original_outlet", "title", "date", "url")
_SYNONYMS = {"outlet": "publisher"}  # PolNeAR names the outlet "publisher"
_EDGE_LINES = 15  # credits live at the top or bottom; quotations in between must not count
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE, whose BOM is its prefix
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


class _Unreadable(Exception):
    """One input (file, line, object) cannot become an Article; the message says why."""


# --------------------------------------------------------------------------------------------------
# Public API


def read_articles(
    inputs: Iterable[str],
    *,
    max_bytes: int = 20_000_000,
    max_stdin_articles: int = 100_000,
    stdin: TextIO | BinaryIO | None = None,
) -> Iterator[Article | ReadFailure]:
    """Yield one Article or ReadFailure at a time for each article in `inputs`, in order.

    `inputs` are files (.txt .md .html .htm .json .jsonl, optionally .gz; .parquet), directories (walked
    recursively in name order, hidden and other files skipped) or "-" for stdin (JSON Lines when it
    starts with a JSON object, else one plain-text article). Bad input never raises: it becomes a
    ReadFailure and reading goes on, so one broken file cannot stop a batch.

    Offsets downstream refer to `Article.text` as returned here: text read from a file is kept as
    decoded except that "\\r\\n" and lone "\\r" become "\\n" and front matter is cut off; text from a JSON
    "text" field is kept exactly as given, so offsets in annotation files that refer to it stay valid.
    `max_bytes` caps one article (a file, a JSONL line, stdin) to keep memory bounded.

    Metadata comes from, in order of precedence: front matter, JSON fields or HTML metadata; what
    the text itself shows (`infer_metadata`); a `manifest.json` beside the file; else "unknown".

    Raises QuotesError at once (not while iterating) when the arguments themselves are wrong.
    """
    if isinstance(inputs, str | bytes):
        raise QuotesError("read_articles takes a list of paths, not one string")
    if max_bytes <= 0 or max_stdin_articles <= 0:
        raise QuotesError("--max-bytes and --max-stdin-articles must be positive")
    return _Reader(max_bytes, max_stdin_articles, stdin).read(list(inputs))


def infer_metadata(text: str) -> dict[str, str]:
    """What the text itself says about its outlet, original outlet, date and headline.

    Looks only at the first and last lines, where source lines, bylines, copyright lines, datelines
    and wire credits sit, so a quotation that mentions "CNN" in the body counts for nothing. A text
    that shows both a publishing site (a byline like "by worldysnews") and an original outlet (a
    dateline like "(CNN) —") gets both; one outlet alone goes to "outlet", unless a distribution line
    marks the text as a syndicated copy, when the site is not known and it goes to "original_outlet".
    """
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    found = _credited_outlets(lines[:_EDGE_LINES] + lines[max(_EDGE_LINES, len(lines) - _EDGE_LINES) :])
    dated = next((iso for iso in map(_parse_date_line, lines[:_EDGE_LINES]) if iso), None)
    if dated:
        found["date"] = dated
    title = _headline(text)
    if title:
        found["title"] = title
    return found


# --------------------------------------------------------------------------------------------------
# Walking inputs


class _Reader:
    """The options of one read_articles call and its per-call caches (manifests, stdin state)."""

    def __init__(self, max_bytes: int, max_stdin_articles: int, stdin: TextIO | BinaryIO | None) -> None:
        self.max_bytes = max_bytes
        self.max_stdin_articles = max_stdin_articles
        self.stdin = stdin
        self.stdin_read = False
        self.manifests: dict[str, dict[str, dict[str, str]]] = {}

    def read(self, inputs: list[str]) -> Iterator[Article | ReadFailure]:
        for name in inputs:
            if name == "-":
                yield from self._stdin()
            elif os.path.isdir(name):
                yield from self._directory(name)
            else:
                yield from self._file(name)

    def _directory(self, top: str) -> Iterator[Article | ReadFailure]:
        found = False
        for item in _files_under(top, set()):
            found = True
            if isinstance(item, ReadFailure):
                yield item
            else:
                yield from self._file(item)
        if not found:
            looked_for = " ".join(SUFFIXES)
            yield ReadFailure(top, f"no articles found in {top} (looked for {looked_for} files)")

    def _file(self, path: str) -> Iterator[Article | ReadFailure]:
        kind = _kind(path) or ".txt"  # a file named explicitly is read as text whatever its name
        manifest, problem = self._manifest_entry(path)
        if problem:
            yield problem
        try:
            if kind == ".parquet":
                yield from self._parquet(path, manifest)
                return
            if kind == ".jsonl":
                with _open(path) as stream:
                    yield from self._jsonl(path, _lines(stream, self.max_bytes), manifest)
                return
            data = _load(path, self.max_bytes)
            if kind == ".json":
                yield from _json_document(path, _decode_text(data), manifest)
            elif kind in (".html", ".htm"):
                text, explicit = _extract_html(data)
                yield _make_article(path, text, explicit, path, manifest)
            else:
                yield _text_article(path, data, manifest)
        except _Unreadable as err:
            yield ReadFailure(path, str(err))
        except OSError as err:
            yield ReadFailure(path, _os_message(err))

    def _manifest_entry(self, path: str) -> tuple[dict[str, str], ReadFailure | None]:
        """The manifest's metadata for this file, and a failure the first time a broken one is met."""
        directory = os.path.dirname(path)
        problem = None
        if directory not in self.manifests:
            self.manifests[directory] = {}  # read, and complained about, once per directory
            manifest_path = os.path.join(directory, MANIFEST_NAME)
            if os.path.isfile(manifest_path):
                try:
                    self.manifests[directory] = _load_manifest(manifest_path, self.max_bytes)
                except _Unreadable as err:
                    problem = ReadFailure(manifest_path, f"manifest ignored: {err}")
                except OSError as err:
                    problem = ReadFailure(manifest_path, f"manifest ignored: {_os_message(err)}")
        return self.manifests[directory].get(os.path.basename(path), {}), problem

    def _jsonl(
        self, name: str, lines: Iterator[bytes], manifest: dict[str, str]
    ) -> Iterator[Article | ReadFailure]:
        empty = True
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            empty = False
            source = f"{name}#{number}"
            try:
                if len(line.rstrip(b"\r\n")) > self.max_bytes:
                    raise _Unreadable(_too_big("line", self.max_bytes))
                yield _object_article(_parse_json(line.decode("utf-8-sig")), source, source, manifest)
            except UnicodeDecodeError:
                yield ReadFailure(source, "line is not valid UTF-8")
            except _Unreadable as err:
                yield ReadFailure(source, str(err))
        if empty:
            yield ReadFailure(name, "empty file: no articles")

    def _parquet(self, path: str, manifest: dict[str, str]) -> Iterator[Article | ReadFailure]:
        """One article object a row (the columns of a JSONL object), read a few rows at a time."""
        import pyarrow as pa  # imported only when a Parquet file is met
        import pyarrow.parquet as pq

        number = 0
        try:
            table = pq.ParquetFile(path)
            wanted = {"id", "text", *_FIELDS, *_SYNONYMS.values()}
            columns = [name for name in table.schema_arrow.names if name in wanted]
            for rows in table.iter_batches(batch_size=PARQUET_ROWS, columns=columns):
                for row in rows.to_pylist():
                    number += 1
                    yield self._parquet_row(row, f"{path}#{number}", manifest)
        except pa.ArrowException as err:
            yield ReadFailure(path, f"not a readable Parquet file ({err})")
            return
        if not number:
            yield ReadFailure(path, "empty file: no articles")

    def _parquet_row(self, row: dict, source: str, manifest: dict[str, str]) -> Article | ReadFailure:
        text = row.get("text")
        try:
            if isinstance(text, str) and len(text.encode("utf-8", "surrogatepass")) > self.max_bytes:
                raise _Unreadable(_too_big("text", self.max_bytes))
            dates = {k: _iso_date(v) for k, v in row.items() if isinstance(v, date)}
            return _object_article({**row, **dates}, source, source, manifest)
        except _Unreadable as err:
            return ReadFailure(source, str(err))

    def _stdin(self) -> Iterator[Article | ReadFailure]:
        if self.stdin_read:
            yield ReadFailure(STDIN_NAME, 'stdin was already read ("-" given twice)')
            return
        self.stdin_read = True
        stream = self.stdin if self.stdin is not None else sys.stdin
        binary = getattr(stream, "buffer", stream)  # bytes where possible, so decoding is ours
        lines = _lines(binary, self.max_bytes)
        head = []
        for line in lines:
            head.append(line)
            if line.strip():
                break
        first = head[-1].removeprefix(codecs.BOM_UTF8).strip() if head else b""
        if first.startswith(b"{") and _is_json_object(first):
            items = self._jsonl(STDIN_NAME, _chain(head, lines), {})
            for count, item in enumerate(items, 1):
                if count > self.max_stdin_articles:
                    yield ReadFailure(
                        STDIN_NAME,
                        f"more than {self.max_stdin_articles:,} articles on stdin; the rest was not read "
                        "(raise it with --max-stdin-articles)",
                    )
                    return
                yield item
            return
        try:
            data = _read_capped(binary, self.max_bytes, STDIN_NAME, start=b"".join(head))
            if first.startswith(b"{"):  # a pretty-printed JSON document rather than JSON Lines
                yield from _json_document(STDIN_NAME, _decode_text(data), {})
            else:
                yield _text_article(STDIN_NAME, data, {})
        except _Unreadable as err:
            yield ReadFailure(STDIN_NAME, str(err))
        except OSError as err:
            yield ReadFailure(STDIN_NAME, _os_message(err))


def _files_under(directory: str, seen: set[str]) -> Iterator[str | ReadFailure]:
    """Article files below `directory` in name order; `seen` real paths stop symlink loops."""
    real = os.path.realpath(directory)
    if real in seen:
        return
    seen.add(real)
    try:
        with os.scandir(directory) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
    except OSError as err:
        yield ReadFailure(directory, _os_message(err))
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = os.path.join(directory, entry.name)
        if entry.is_dir():
            yield from _files_under(path, seen)
        elif _is_article_name(entry.name):
            if entry.is_file():
                yield path
            elif entry.is_symlink() and not os.path.exists(path):
                yield ReadFailure(path, "broken symbolic link (its target does not exist)")


def _iso_date(value: date) -> str:
    """A Parquet date or timestamp column as the ISO date the JSON inputs give."""
    return (value.date() if isinstance(value, datetime) else value).isoformat()


def _is_article_name(name: str) -> bool:
    stem = name.split(".", 1)[0].casefold()
    return _kind(name) is not None and name != MANIFEST_NAME and stem not in _NOT_ARTICLES


def _kind(name: str) -> str | None:
    lower = name.lower().removesuffix(".gz")
    return next((suffix for suffix in SUFFIXES if lower.endswith(suffix)), None)


# --------------------------------------------------------------------------------------------------
# Bytes: opening, size limits, decoding


def _open(path: str) -> BinaryIO:
    return gzip.open(path, "rb") if path.lower().endswith(".gz") else open(path, "rb")


def _load(path: str, max_bytes: int) -> bytes:
    """The file's bytes (decompressed), refused before reading when the file is over the limit."""
    size = os.stat(path).st_size
    if size > max_bytes and not path.lower().endswith(".gz"):
        raise _Unreadable(_too_big("file", max_bytes, size))
    with _open(path) as stream:
        return _read_capped(
            stream, max_bytes, "decompressed text" if path.lower().endswith(".gz") else "file"
        )


def _read_capped(stream: TextIO | BinaryIO, limit: int, subject: str, start: bytes = b"") -> bytes:
    """`start` and the rest of the stream, never more than `limit` bytes in all: pipes and gzip files
    have no size up front."""
    try:
        data = start + _as_bytes(stream.read(max(limit - len(start), 0) + 1))
    except (EOFError, zlib.error) as err:
        raise _Unreadable(f"damaged gzip file ({err})") from err
    if len(data) > limit:
        raise _Unreadable(_too_big(subject, limit))
    return data


def _lines(stream: TextIO | BinaryIO, limit: int) -> Iterator[bytes]:
    """Lines as bytes without holding more than one capped line; an overlong line's rest is skipped."""
    while line := _as_bytes(stream.readline(limit + 1)):
        if len(line) > limit and not line.endswith(b"\n"):
            while (rest := _as_bytes(stream.readline(limit + 1))) and not rest.endswith(b"\n"):
                pass
        yield line


def _chain(first: list[bytes], rest: Iterator[bytes]) -> Iterator[bytes]:
    yield from first
    yield from rest


def _as_bytes(chunk: str | bytes) -> bytes:
    return chunk.encode("utf-8") if isinstance(chunk, str) else chunk


def _decode_text(data: bytes) -> str:
    """Decode a text file: BOM, then UTF-8, then Windows-1252 for legacy files, else refuse."""
    text = _decode_bom(data)
    if text is None:
        if b"\x00" in data:
            raise _Unreadable("binary file (contains NUL bytes), not text")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as err:
            text = _windows_1252(data)
            if text is None:
                raise _Unreadable(
                    f"not valid UTF-8 (bad byte at offset {err.start}) and not Windows-1252 text; "
                    "save it as UTF-8"
                ) from err
    _refuse_binary(text)
    return text


def _decode_bom(data: bytes) -> str | None:
    """Text decoded by its byte-order mark, or None when it has none."""
    codec = next((codec for bom, codec in _BOMS if data.startswith(bom)), None)
    if codec is None:
        return None
    try:
        return data.decode(codec)
    except UnicodeDecodeError as err:
        name = codec.removesuffix("-sig").upper()
        raise _Unreadable(f"starts with a {name} byte-order mark but is not valid {name}") from err


def _windows_1252(data: bytes) -> str | None:
    """Legacy Windows text (curly quotes as 0x93/0x94): only when it decodes cleanly and is mostly ASCII.

    Windows-1252 maps almost every byte, so without the ASCII check any binary or Greek or Cyrillic
    file would "decode"; English news in it is mostly ASCII with a few quotes and dashes.
    """
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    high = sum(1 for byte in data if byte >= 0x80)
    return text if high <= len(data) // 5 else None


_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def _refuse_binary(text: str) -> None:
    if len(_CONTROL.findall(text)) > len(text) // 100:
        raise _Unreadable("binary file (control characters), not text")


_DECLARED_CHARSET = re.compile(
    rb"""<meta[^>]*?charset\s*=\s*["']?\s*([\w.:-]+)|<\?xml[^>]*?encoding\s*=\s*["']([\w.:-]+)""", re.I
)


def _decode_html(data: bytes) -> str:
    """Decode a page: BOM, UTF-8, the declared charset, then detection.

    Valid UTF-8 goes first because a page re-saved as UTF-8 often keeps its old Latin-1 meta tag, and
    legacy bytes are almost never valid UTF-8 by chance; Latin-1 and ASCII labels mean Windows-1252 as
    in browsers, so curly quotes (0x93/0x94) are not garbled into control characters.
    """
    text = _decode_bom(data)
    if text is not None:
        return text
    if b"\x00" in data:
        raise _Unreadable("binary file (contains NUL bytes), not HTML")
    for codec in filter(None, ("utf-8", _declared_charset(data))):
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            continue
    best = from_bytes(data).best()
    if best is None:
        raise _Unreadable("cannot tell the text encoding of this page; save it as UTF-8")
    return str(best)


def _declared_charset(data: bytes) -> str | None:
    match = _DECLARED_CHARSET.search(data[:16384])
    if not match:
        return None
    label = (match[1] or match[2]).decode("ascii")
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return "cp1252" if name in ("latin-1", "ascii", "iso8859-1") else name


def _too_big(subject: str, limit: int, size: int | None = None) -> str:
    measured = f"is {_megabytes(size)}, over" if size is not None else "is over"
    return f"{subject} {measured} the {_megabytes(limit)} limit; raise it with --max-bytes"


def _megabytes(size: int) -> str:
    if size < 100_000:
        return f"{size:,} bytes"
    return f"{size / 1e6:.1f}".removesuffix(".0") + " MB"


def _os_message(err: OSError) -> str:
    if isinstance(err, gzip.BadGzipFile):
        return "not a valid gzip file"
    if isinstance(err, FileNotFoundError):
        return "no such file or directory"
    if isinstance(err, PermissionError):
        return "permission denied"
    return (err.strerror or str(err)).lower()


# --------------------------------------------------------------------------------------------------
# Formats: plain text with front matter, JSON, HTML


_FRONT_MATTER = re.compile(
    r"\A---[ \t]*\n((?:[ \t]*(?:[A-Za-z_][\w-]*[ \t]*:[^\n]*)?\n)*?)---[ \t]*(?:\n|\Z)"
)
_FRONT_MATTER_LINE = re.compile(r"^[ \t]*([A-Za-z_][\w-]*)[ \t]*:[ \t]*(.*?)[ \t]*$", re.M)
_LEADING_BLANK_LINES = re.compile(r"\A(?:[ \t]*\n)+")


def _text_article(path: str, data: bytes, manifest: dict[str, str]) -> Article | ReadFailure:
    """A .txt/.md (or stdin) article: the front matter is metadata, the text is what follows it."""
    text = _decode_text(data).replace("\r\n", "\n").replace("\r", "\n")
    fields: dict[str, object] = {}
    match = _FRONT_MATTER.match(text)
    if match:
        for key, value in _FRONT_MATTER_LINE.findall(match[1]):
            fields[key.lower()] = _unquote(value)
        text = _LEADING_BLANK_LINES.sub("", text[match.end() :])
    return _object_article({**fields, "text": text}, path, path, manifest)


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def _parse_json(text: str) -> object:
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise _Unreadable(f"invalid JSON: {err.msg} (line {err.lineno}, column {err.colno})") from err
    except (ValueError, RecursionError) as err:  # over-long integers, absurd nesting
        raise _Unreadable(f"invalid JSON: {err}") from err


def _is_json_object(line: bytes) -> bool:
    try:
        return isinstance(json.loads(line), dict)
    except (ValueError, RecursionError):
        return False


def _json_document(name: str, text: str, manifest: dict[str, str]) -> Iterator[Article | ReadFailure]:
    """A .json file: one article object, or a list of them (ids default to name#N, 1-based)."""
    document = _parse_json(text)
    if isinstance(document, dict):
        yield _object_article(document, name, name, manifest)
    elif isinstance(document, list):
        if not document:
            raise _Unreadable("holds an empty list: no articles")
        for number, obj in enumerate(document, 1):
            source = f"{name}#{number}"
            try:
                yield _object_article(obj, source, source, manifest)
            except _Unreadable as err:
                yield ReadFailure(source, str(err))
    else:
        raise _Unreadable(f"expected an article object or a list of them, got {_json_type(document)}")


def _object_article(
    obj: object, default_id: str, source: str, manifest: dict[str, str]
) -> Article | ReadFailure:
    """An article from `{"id", "text", "outlet"?, ...}` (JSON, or front matter plus text)."""
    if not isinstance(obj, dict):
        raise _Unreadable(f'expected an article object with a "text" field, got {_json_type(obj)}')
    if "text" not in obj:
        raise _Unreadable('article object has no "text" field')
    text = obj["text"]
    if not isinstance(text, str):
        raise _Unreadable(f'"text" must be a string, got {_json_type(text)}')
    article_id = obj.get("id")
    if isinstance(article_id, bool) or not isinstance(article_id, str | int | float | None):
        raise _Unreadable(f'"id" must be a string or a number, got {_json_type(article_id)}')
    article_id = default_id if article_id in (None, "") else str(article_id)
    metadata = _metadata_fields(obj)
    _refuse_surrogates({"id": article_id, "text": text, **metadata})
    return _make_article(article_id, text, metadata, source, manifest)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _refuse_surrogates(values: dict[str, str]) -> None:
    """JSON escapes can spell half a UTF-16 pair (`"\\ud800"`): no parser, JSON or Parquet writer
    can encode it, so the article is refused here rather than failing its whole batch later."""
    for key, value in values.items():
        if match := _SURROGATE.search(value):
            raise _Unreadable(
                f'"{key}" holds an unpaired surrogate (\\u{ord(match.group()):04x}) at offset {match.start()}'
            )


def _metadata_fields(obj: dict) -> dict[str, str]:
    """The known metadata fields of an object, trimmed; null or empty means absent, other types fail."""
    fields: dict[str, str] = {}
    for field in _FIELDS:
        key = field if obj.get(field) is not None else _SYNONYMS.get(field, field)
        value = obj.get(key)
        if value is None:
            continue
        if not isinstance(value, str):
            raise _Unreadable(f'"{key}" must be a string, got {_json_type(value)}')
        if value.strip():
            fields[field] = value.strip()
    return fields


def _json_type(value: object) -> str:
    names = {dict: "an object", list: "a list", str: "a string", bool: "true/false", type(None): "null"}
    return names.get(type(value), "a number")


def _load_manifest(path: str, max_bytes: int) -> dict[str, dict[str, str]]:
    """`{file name: {outlet, original_outlet, title, date, url}}`; other keys (evidence ...) ignored."""
    manifest = _parse_json(_decode_text(_load(path, max_bytes)))
    if not isinstance(manifest, dict):
        raise _Unreadable(f"must be a JSON object keyed by file name, got {_json_type(manifest)}")
    entries = {}
    for name, entry in manifest.items():
        if not isinstance(entry, dict):
            raise _Unreadable(f"entry {name!r} must be an object, got {_json_type(entry)}")
        entries[name] = _metadata_fields(entry)
    return entries


def _extract_html(data: bytes) -> tuple[str, dict[str, str]]:
    """Main text (blocks separated by blank lines) and metadata of a saved page, via trafilatura.

    Trafilatura's balanced mode is used: its precision mode dropped credit lines ("Additional
    reporting by ...") on real pages, and newsletter and sign-up blocks are removed here instead.
    """
    import trafilatura  # slow to import; only pages need it
    from trafilatura.xml import xmltotxt

    html = _decode_html(data)
    try:
        document = trafilatura.bare_extraction(html, include_comments=False, with_metadata=True)
    except Exception as err:  # a third-party parser on arbitrary bytes: never let it stop the batch
        raise _Unreadable(f"cannot parse the HTML ({type(err).__name__}: {err})") from err
    body = [] if document is None or document.body is None else document.body
    blocks = [xmltotxt(block, False).strip() for block in body]
    text = "\n\n".join(block for block in blocks if block and not _is_promo(block))
    if not text:
        raise _Unreadable("no article text found in the page")
    metadata = {
        "title": document.title,
        "date": document.date,
        "url": document.url,
        "outlet": _site_name(document.sitename, document.title) or _outlet_name(document.hostname or ""),
    }
    return text, {key: value for key, value in metadata.items() if value}


_PROMO = re.compile(r"\b(?:sign(?:ing)? up|subscribe|newsletter|never miss|our standards:)", re.I)


def _is_promo(block: str) -> bool:
    """A short newsletter or sign-up prompt inside the article body (never one holding a quotation)."""
    return len(block) < 200 and bool(_PROMO.search(block)) and not any(mark in block for mark in '"“”')


def _site_name(name: str | None, title: str | None) -> str | None:
    """The page's site name, unless it is really the headline or a sentence (some pages fill it so)."""
    if not name or name == title or len(name.split()) > 5:
        return None
    return _outlet_name(name, loose=True) or name


def _make_article(
    article_id: str, text: str, explicit: dict[str, str], source: str, manifest: dict[str, str]
) -> Article | ReadFailure:
    """Metadata precedence: explicit > inferred from the text > manifest > unknown."""
    if not text.strip():
        return ReadFailure(source, "empty article (no text)")
    inferred = infer_metadata(text)
    merged = {**manifest, **inferred, **explicit}
    shown = inferred.get("outlet")
    if "original_outlet" not in merged and shown and not _same_outlet(shown, merged["outlet"]):
        merged["original_outlet"] = shown  # the text credits someone other than the named publisher
    return Article(
        id=article_id,
        text=text,
        outlet=merged.get("outlet", UNKNOWN_OUTLET),
        original_outlet=merged.get("original_outlet"),
        title=merged.get("title"),
        date=merged.get("date"),
        url=merged.get("url"),
        source=source,
    )


# --------------------------------------------------------------------------------------------------
# Inference of outlets, dates and headlines from the text


_KNOWN_OUTLETS = {
    "AP": ("ap", "associated press", "ap news", "the associated press"),
    "Reuters": ("reuters", "thomson reuters"),
    "AFP": ("afp", "agence france-presse", "agence france presse"),
    "CNN": ("cnn",),
    "Bloomberg": ("bloomberg", "bloomberg news", "bloomberg lp"),
    "VOA News": ("voa", "voanews", "voa news", "voice of america"),
    "BBC News": ("bbc", "bbc news"),
    "The New York Times": ("nytimes", "new york times", "the new york times", "nyt"),
    "The Washington Post": ("washingtonpost", "washington post", "the washington post"),
    "The Guardian": ("guardian", "theguardian", "the guardian"),
    "The Wall Street Journal": ("wsj", "wall street journal", "the wall street journal"),
    "NPR": ("npr",),
    "Fox News": ("fox news", "foxnews"),
    "Al Jazeera": ("al jazeera", "aljazeera"),
    "Xinhua": ("xinhua", "xinhua news agency"),
    "UPI": ("upi", "united press international"),
    "dpa": ("dpa", "deutsche presse-agentur"),
    "Kyodo News": ("kyodo", "kyodo news"),
    "Yonhap": ("yonhap", "yonhap news agency"),
    "PTI": ("pti", "press trust of india"),
    "ANI": ("ani",),
    "IANS": ("ians",),
    "TASS": ("tass",),
    "EFE": ("efe",),
}
_OUTLET_WORDS = (
    "News", "Times", "Post", "Press", "Herald", "Journal", "Tribune", "Telegraph", "Gazette", "Chronicle",
    "Daily", "Agency", "Wire", "Media", "Network", "Review", "Observer", "Today", "Magazine",
)  # fmt: skip


def _key(name: str) -> str:
    """Compare outlet names by letters and digits alone, without a leading "The"."""
    return re.sub(r"[^0-9a-z]", "", name.casefold().removeprefix("the "))


_ALIASES = {_key(alias): canonical for canonical, aliases in _KNOWN_OUTLETS.items() for alias in aliases}
_HOST = re.compile(  # a URL or domain; group 2 is the name label ("voanews" in www.voanews.com)
    r"(?:https?://)?(?:www\.)?((?:[a-z0-9-]+\.)*?([a-z0-9-]+)\.[a-z]{2,}(?:\.[a-z]{2})?)(?:/\S*)?", re.I
)
_HANDLE = re.compile(r"([a-z][a-z0-9]*?)(news|times|post|daily|today|media|wire)")
_CAPITALISED = re.compile(r"(?:The\s+)?[A-Z][\w&.'’]*(?:\s+(?:of\s+|the\s+|&\s+)*[A-Z][\w&.'’]*){0,4}")
_CORPORATE = re.compile(
    r"(?:,?\s+(?:L\.?P\.?|LLC|Inc\.?|Ltd\.?|Limited|Corp\.?|Corporation|Co\.?|Company|Group|PLC|GmbH"
    r"|Staff))+$",
    re.I,
)


def _outlet_name(raw: str, *, loose: bool = False) -> str | None:
    """A clean outlet name from how a credit writes it ("voanews", "Bloomberg L.P", "cnn.com").

    Strict (bylines, source lines): only known outlets, site handles and domains, and names ending in
    an outlet word ("Miami Today"), so "Source: NATO" under a chart is no outlet. Loose (datelines,
    copyright holders): any capitalised name.
    """
    name = raw.strip(" \t.,;:-—–()[]\"'“”‘’")
    host = _HOST.fullmatch(name)
    if host:
        name = host[2].lower()
    name = _CORPORATE.sub("", name).strip(" ,.")
    if _key(name) in _ALIASES:
        return _ALIASES[_key(name)]
    handle = _HANDLE.fullmatch(name)
    if handle:
        return f"{handle[1].capitalize()} {handle[2].capitalize()}"
    if host:
        return host[1].lower()
    if not _CAPITALISED.fullmatch(name):
        return None
    return name if loose or name.split()[-1] in _OUTLET_WORDS else None


_SOURCE_LINE = re.compile(r"(?:sources?|courtesy(?: of)?|credit)\s*[:：]\s*(?P<name>.{2,80})", re.I)
_COPYRIGHT_LINE = re.compile(
    r"(?:©|\(c\)|copyright\b)\s*(?:©\s*)?(?:\d{4}(?:\s*[-–]\s*\d{4})?\s*,?\s*)?"
    r"(?P<name>.{2,80}?)[\s.]*(?:all rights reserved\b.*)?",
    re.I,
)
_DISTRIBUTED_LINE = re.compile(r"(?:distributed|syndicated|republished)\s+(?:by|with)\b.*", re.I)
_ORIGINALLY_LINE = re.compile(
    r"(?:this (?:article|story|piece) )?(?:was )?(?:originally|first) (?:appeared|published|ran)\s+"
    r"(?:in|on|by|at)\s+(?P<name>.{2,60}?)[\s.]*",
    re.I,
)
_BYLINE = re.compile(r"by\s+(?P<name>.{2,80})", re.I)
_BYLINE_PARTS = re.compile(r"\s*(?:[,|/(]|\)|\s[-–—]\s|\s+(?:and|for)\s+|\s+of\s+(?=the\s))\s*", re.I)
_DATELINE = re.compile(  # "(CNN) —", "WASHINGTON (Reuters) -", "NEW YORK, Jan 5 (AP) —"
    r"(?:[A-Z][\w.'’-]*(?:[ ,]+[\w.'’-]+){0,5}\s*)?\((?P<name>[A-Z][\w&.' ]{1,30})\)\s*[-—–]"
)
_WIRE_LINE = re.compile(  # "— AFP", "(Reuters)", "With inputs from AP"; a bare "AP" is a photo credit
    r"(?:[—–-]+\s*|\(\s*|with\s+(?:(?:inputs?|reporting)\s+from\s+)?)"
    r"(?P<name>[A-Za-z][\w .&'-]{1,40}?)\s*\)?[\s.]*",
    re.I,
)


def _credited_outlets(lines: list[str]) -> dict[str, str]:
    """Publishing site and original outlet from the credit lines among `lines`.

    A site's own byline ("by worldysnews") names the publisher; a dateline, a wire byline or an
    "originally appeared in" line names the author of the content; copyright and source lines name
    whichever of the two is not otherwise shown ("© The Washington Times" under an "(AP) —" story).
    """
    found: dict[str, list[str | None]] = {"site": [], "author": [], "credit": [], "syndicated": []}
    for line in lines:
        role, name = _evidence(line)
        if role != "none":
            found[role].append(name)
    sites = [name for name in found["site"] if name]
    authors = [name for name in found["author"] + found["syndicated"] if name]
    credits = [name for name in found["credit"] if name]
    publisher = next(iter(sites), None)
    if publisher is None and authors:
        publisher = next((name for name in credits if not _same_outlet(name, authors[0])), None)
    original = next((name for name in authors + credits if not _same_outlet(name, publisher or "")), None)
    if publisher and original:
        return {"outlet": publisher, "original_outlet": original}
    alone = publisher or original
    if not alone:
        return {}
    # one outlet alone is the publisher, unless the text says it is a copy distributed by someone else
    return {"original_outlet" if found["syndicated"] and not sites else "outlet": alone}


def _same_outlet(one: str, other: str) -> bool:
    """Whether two spellings name one outlet: "Associated Press" is AP, "NPR Online News" is NPR."""
    first, second = (_key(_outlet_name(name, loose=True) or name) for name in (one, other))
    if min(len(first), len(second)) < 3:
        return first == second
    return first.startswith(second) or second.startswith(first)


def _evidence(line: str) -> tuple[str, str | None]:
    """What one line says about who published the text, as (role, outlet name or None).

    Roles: "site" (publisher's own byline), "author" (dateline, wire byline), "credit" (copyright or
    source line), "syndicated" (a distribution line, or "originally appeared in" naming the author).
    """
    if _DISTRIBUTED_LINE.fullmatch(line):
        return "syndicated", None
    match = _ORIGINALLY_LINE.fullmatch(line)
    if match:
        return "syndicated", _outlet_name(match["name"], loose=True)
    match = _SOURCE_LINE.fullmatch(line)
    if match:
        return "credit", _outlet_name(match["name"])
    match = _COPYRIGHT_LINE.fullmatch(line)
    if match:
        return "credit", _outlet_name(match["name"], loose=True)
    match = _BYLINE.fullmatch(line)
    if match:
        return _byline(match["name"])
    match = _DATELINE.match(line)
    if match:
        return "author", _outlet_name(match["name"], loose=True)
    match = _WIRE_LINE.fullmatch(line)
    if match and _key(match["name"]) in _ALIASES:
        return "author", _ALIASES[_key(match["name"])]
    return "none", None


def _byline(names: str) -> tuple[str, str | None]:
    """A byline: "by worldysnews" names the publishing site, "By Jane Doe, Reuters" the author."""
    whole = _outlet_name(names)
    if whole:
        return ("author" if _key(whole) in _ALIASES else "site"), whole
    parts = [part for part in _BYLINE_PARTS.split(names) if part.strip()]
    return "author", next(filter(None, map(_outlet_name, parts[1:])), None)


_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
           "october", "november", "december")  # fmt: skip
_DATE_LINE = re.compile(
    r"(?:(?:published|updated|posted|date)d?\s*(?:on)?\s*:?\s*)?"
    r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
    r"(?:(?P<month>[a-z]{3,9})\.?\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})"
    r"|(?P<day_first>\d{1,2})(?:st|nd|rd|th)?\s+(?P<month_second>[a-z]{3,9})\.?,?\s+(?P<year_last>\d{4})"
    r"|(?P<iso>\d{4}-\d{2}-\d{2}))"
    r"(?:,?\s+(?:at\s+)?\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?(?:\s+[a-z]{2,5})?)?",
    re.I,
)


def _parse_date_line(line: str) -> str | None:
    """ISO date of a line that is only a date ("Mon Jun 19 2023", "June 19, 2023"); numeric d/m is
    ambiguous and left alone."""
    match = _DATE_LINE.fullmatch(line)
    if not match:
        return None
    if match["iso"]:
        year, month, day = map(int, match["iso"].split("-"))
    else:
        word = (match["month"] or match["month_second"]).lower().replace("sept", "sep")
        number = next((i for i, name in enumerate(_MONTHS, 1) if name.startswith(word)), 0)
        year, month = int(match["year"] or match["year_last"]), number
        day = int(match["day"] or match["day_first"])
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


_FIRST_LINE = re.compile(r"\s*(?P<line>[^\n]+)\n[ \t]*\n\s*\S")


def _headline(text: str) -> str | None:
    """The first line when it stands alone and reads like a headline: short, unpunctuated at the end,
    not a breadcrumb, byline or date; otherwise None (better no title than a wrong one)."""
    match = _FIRST_LINE.match(text)
    if not match:
        return None
    line = match["line"].strip()
    words = len(line.split())
    if not 2 <= words <= 25 or len(line) > 150 or line[-1] in ".!?,;:" or "»" in line or "›" in line:
        return None
    if not (line[0].isupper() or line[0].isdigit() or line[0] in "\"'“‘") or _parse_date_line(line):
        return None
    return line if _evidence(line)[0] == "none" else None
