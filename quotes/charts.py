"""Charts beside the report: framing mix by outlet and speaker share by outlet (matplotlib, headless).

Figures are drawn without pyplot (no GUI backend, no global figure state) and saved as SVG with no
date, text as paths and a fixed hash salt, so the same corpus gives the same bytes.
"""

from __future__ import annotations

import io
import warnings
from collections import Counter
from pathlib import Path

import matplotlib
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from quotes.align import count_words, outlet_of
from quotes.output import write_atomic
from quotes.records import FRAMING_LABELS
from quotes.report import UNATTRIBUTED, Corpus, speaker_of

__all__ = ["write_charts"]

FRAMING_COLOURS = {"conciliatory": "#1b9e77", "adversarial": "#d95f02", "neutral": "#9e9e9e"}
TOP_SPEAKERS = 8  # speakers with a colour of their own; the rest are "others"
MAX_OUTLETS = 40  # outlets with the most quotations, when there are more
_SVG_SETTINGS = {"svg.hashsalt": "quotes", "svg.fonttype": "path", "font.size": 9}


def write_charts(corpus: Corpus, report: Path) -> dict[str, str]:
    """Write `<report stem>-framing.svg` and `-speakers.svg` beside `report` (atomically) and return
    their paths relative to it, as `render_report` takes them."""
    outlets = _outlets(corpus)
    links = {}
    with matplotlib.rc_context(_SVG_SETTINGS), warnings.catch_warnings():
        # A name with an emoji flag draws a box for it; saying so on stderr helps nobody.
        warnings.filterwarnings("ignore", "Glyph .* missing from font", UserWarning)
        figures = {"framing": _framing_figure(corpus, outlets), "speakers": _speaker_figure(corpus, outlets)}
        for name, figure in figures.items():
            links[name] = f"{report.stem}-{name}.svg"
            write_atomic(report.parent / links[name], _svg(figure))
    return links


def _outlets(corpus: Corpus) -> list[str]:
    counts = Counter(outlet_of(q) for q in corpus.independent)
    kept = set(sorted(corpus.outlets, key=lambda o: -counts[o])[:MAX_OUTLETS])
    return [o for o in corpus.outlets if o in kept]


def _framing_figure(corpus: Corpus, outlets: list[str]) -> Figure:
    counts = corpus.framing_by_outlet()
    shares = {
        label: [counts[o][label] / max(sum(counts[o].values()), 1) for o in outlets]
        for label in FRAMING_LABELS
    }
    return _stacked_bars(outlets, shares, FRAMING_COLOURS, "Framing mix by outlet (share of its quotations)")


def _speaker_figure(corpus: Corpus, outlets: list[str]) -> Figure:
    top = [s for s in corpus.speakers() if s != UNATTRIBUTED][:TOP_SPEAKERS]
    words: dict[str, Counter[str]] = {o: Counter() for o in corpus.outlets}
    for q in corpus.independent:
        speaker = speaker_of(q)
        words[outlet_of(q)][speaker if speaker in top else "others"] += count_words(q.text)
    palette = matplotlib.colormaps["tab10"].colors
    colours = {speaker: palette[n] for n, speaker in enumerate(top)} | {"others": "#d0d0d0"}
    shares = {s: [words[o][s] / max(sum(words[o].values()), 1) for o in outlets] for s in colours}
    return _stacked_bars(outlets, shares, colours, "Speaker share by outlet (share of its words quoted)")


def _stacked_bars(outlets: list[str], shares: dict[str, list[float]], colours: dict, title: str) -> Figure:
    figure = Figure(figsize=(9, 1.2 + 0.35 * len(outlets)))
    axes = figure.add_subplot()
    rows = range(len(outlets))
    left = [0.0] * len(outlets)
    for label, values in shares.items():
        axes.barh(rows, values, left=left, color=colours[label], label=_text(label))
        left = [a + b for a, b in zip(left, values, strict=True)]
    axes.set_yticks(list(rows), [_text(o) for o in outlets])
    axes.invert_yaxis()
    axes.set_xlim(0, 1)
    axes.xaxis.set_major_formatter(PercentFormatter(1.0))
    axes.set_title(title)
    axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    return figure


def _text(label: str) -> str:
    """A label drawn as written: `$` would start mathtext."""
    return label.replace("$", r"\$")


def _svg(figure: Figure) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    return buffer.getvalue()
