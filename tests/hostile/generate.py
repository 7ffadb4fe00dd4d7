"""Write the hostile-input corpus: what scrapers really save, and what attackers might.

    python tests/hostile/generate.py [DIR]      # default: tests/hostile/corpus (gitignored)

Each case is a file (or folder) named after what it holds; `CASES` says whether `quotes` must read it
as an article ("ok") or refuse it with a one-line error naming it ("refused"). The corpus is generated
rather than committed because one case is a 20 MB file and others hold bytes that editors and git
mangle. Tests build it once a session in a temporary folder (tests/test_hostile.py).
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

LEAD = "WASHINGTON — Senator Jane Doe spoke to reporters on Tuesday.\n\n"
SPEECH = '"We will not accept this deal," Doe said. "It is a bad deal for workers."\n'
ARTICLE = LEAD + SPEECH
RUNAWAY = "“" + "and so it goes on " * 600 + "” Doe said."  # over the default --max-quote-chars
HUGE_BYTES = 20 * 1024 * 1024 + 1  # just over the default --max-bytes of 20,000,000


@dataclass(frozen=True)
class Case:
    name: str  # file or folder name under the corpus folder
    expect: str  # "ok": read and processed; "refused": a one-line error naming it; "partial": both
    write: Callable[[Path], None]


def _text(content: str, encoding: str = "utf-8") -> Callable[[Path], None]:
    return lambda path: path.write_bytes(content.encode(encoding))


def _bytes(content: bytes) -> Callable[[Path], None]:
    return lambda path: path.write_bytes(content)


def _huge(path: Path) -> None:
    paragraph = (ARTICLE * 40).encode()
    with path.open("wb") as out:
        written = 0
        while written < HUGE_BYTES:
            out.write(paragraph)
            written += len(paragraph)


def _nested(depth: int) -> str:
    openers, closers = "“‘«„「『‹\"'", "”’»“」』›\"'"
    inner = "we will win"
    for level in range(depth):
        inner = openers[level % len(openers)] + inner + closers[level % len(closers)]
    return f"{LEAD}{inner}, Doe said.\n\nThen she left « without „ closing ‘ anything “ at all.\n"


def _many_marks(path: Path) -> None:
    words = [f'"{n} {"yes" if n % 3 else "no"}' for n in range(10_000)]
    path.write_text(LEAD + " ".join(words) + "\n\n" + SPEECH, encoding="utf-8")


def _broken_jsonl(path: Path) -> None:
    lines = [
        json.dumps({"id": "good-1", "text": ARTICLE, "outlet": "Daily Test"}),
        '{"id": "cut-off", "text": "half a li',
        json.dumps({"id": "number-text", "text": 5}),
        json.dumps({"id": ["a", "list"], "text": ARTICLE}),
        json.dumps({"id": "dict-outlet", "text": ARTICLE, "outlet": {"name": "x"}}),
        json.dumps(["not", "an", "object"]),
        "",
        "null",
        json.dumps({"id": "good-2", "text": SPEECH}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _folder(path: Path) -> None:
    """A directory with an unreadable file, a dangling link, a loop and a folder named like an article."""
    path.mkdir()
    (path / "readable.txt").write_text(ARTICLE, encoding="utf-8")
    locked = path / "locked.txt"
    locked.write_text(ARTICLE, encoding="utf-8")
    locked.chmod(0)  # unreadable for anyone but root
    (path / "dangling.txt").symlink_to(path / "does-not-exist.txt")
    (path / "loop").symlink_to(".", target_is_directory=True)
    (path / "folder.txt").mkdir()
    (path / "folder.txt" / "inner.md").write_text(ARTICLE, encoding="utf-8")


ZERO_WIDTH_AND_BIDI = "\u200b\u200c\u200d\u2060\ufeff\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"

CASES: tuple[Case, ...] = (
    Case("empty.txt", "refused", _text("")),
    Case("whitespace.txt", "refused", _text(" \n\t\n   \r\n\u3000\n")),
    Case("nul_bytes.txt", "refused", _bytes(ARTICLE.encode() + b"\x00\x00" + ARTICLE.encode())),
    Case("binary.txt", "refused", _bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 64)),
    Case("invalid_utf8.txt", "refused", _bytes(bytes(range(128, 256)) * 8 + ARTICLE.encode())),
    Case("windows_1252.txt", "ok", _text(ARTICLE.replace('"', "“", 1).replace(',"', ",”", 1), "cp1252")),
    Case("utf16_bom.txt", "ok", _text("\ufeff" + ARTICLE, "utf-16-le")),
    Case("utf8_bom.txt", "ok", _text("\ufeff" + ARTICLE)),
    Case("crlf.txt", "ok", _text(ARTICLE.replace("\n", "\r\n"))),
    Case("lone_cr.txt", "ok", _text(ARTICLE.replace("\n", "\r"))),
    Case("huge.txt", "refused", _huge),
    Case("many_marks.txt", "ok", _many_marks),
    Case("nested_deep.txt", "ok", _text(_nested(400))),
    Case("unbalanced.txt", "ok", _text(LEAD + '"open « „ ‘ and never “ closed\n\n' + SPEECH + "”’»“ end\n")),
    Case(
        "zero_width_bidi.txt",
        "ok",
        _text(LEAD + f"“We{ZERO_WIDTH_AND_BIDI} will win,” Doe{ZERO_WIDTH_AND_BIDI} said.\n"),
    ),
    Case(
        "right_to_left.txt",
        "ok",
        _text("قال الوزير: «لن نقبل هذا الاتفاق». וגם אמר: ״זה יום טוב״.\n\n" + SPEECH),
    ),
    Case(
        "script.html",
        "ok",
        _text(
            "<!doctype html><html><head><title>Deal &amp; Co</title>"
            "<script>document.write('\"fake quote,\" said nobody')</script></head><body><article>"
            f"<p>{LEAD.strip()}</p><p>&ldquo;We will not accept this deal,&rdquo; Doe said. "
            "&#8220;It is a bad deal &lt;for&gt; workers.&#8221;</p><script>alert(1)</script>"
            "<p>Entities &nbsp;&eacute;&#x1F600; &bogus; end.</p></article></body></html>"
        ),
    ),
    Case("truncated.html", "ok", _text(f"<html><body><article><p>{ARTICLE}</p><p>“Cut off mid")),
    Case("broken.jsonl", "partial", _broken_jsonl),
    Case(
        "table_breakers.txt", "ok", _text(LEAD + "“Pipes | and `ticks` and <script>x</script>,” Doe said.\n")
    ),
    Case("folder", "partial", _folder),
    Case("runaway_quote.txt", "warned", _text(LEAD + RUNAWAY + "\n\n" + SPEECH)),
)


def generate(directory: Path) -> dict[str, str]:
    """Write every case into `directory` (created) and return {name: expectation}."""
    directory.mkdir(parents=True, exist_ok=True)
    for case in CASES:
        target = directory / case.name
        if not target.exists() and not target.is_symlink():
            case.write(target)
    return {case.name: case.expect for case in CASES}


if __name__ == "__main__":
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).with_name("corpus")
    expectations = generate(out)
    print(f"wrote {len(expectations)} cases to {os.path.relpath(out)}")
