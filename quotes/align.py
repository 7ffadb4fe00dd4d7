"""The same statement across articles, and articles that copy one another.

Outlets quote one remark in different words, cut it to a fragment, and credit it to different
speakers (the spokesperson, the department, "the U.S."). `align_quotations` groups such quotations
into `Statement`s without looking at the speaker, so that the differing attributions can be shown;
each quotation becomes a `Wording` of its statement: exact or variant, full or partial, with the
differing words as a word-level diff against the fullest wording. `find_copies` finds articles (or
long passages) that reproduce another outlet's text, and `copied_quotations` the quotations inside
them, so that a syndicated copy is not counted as an independent choice of what to quote.

Inputs are plain records (`quotes.records.Quotation` and `Article`), so the same functions serve a
corpus just extracted and one read back from a store. Results never depend on input order: every
grouping and every list is sorted on stable keys.
"""

from __future__ import annotations

import difflib
import re
import zlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations

from rapidfuzz.distance import LCSseq

from quotes.lexicon import FUNCTION_WORDS
from quotes.records import UNKNOWN_OUTLET, Article, Quotation

__all__ = [
    "Copy",
    "DiffRun",
    "Statement",
    "Wording",
    "align_quotations",
    "copied_quotations",
    "count_words",
    "find_copies",
    "format_diff",
    "outlet_of",
]

# Two different wordings are one statement when they share this many content words (not
# FUNCTION_WORDS) and the shorter one's content words appear, in order, in the longer one at this
# rate. Identical wordings need one content word: "constructive" twice is one statement, but
# "constructive" inside "candid, substantive, and constructive" is too little to tell.
MIN_SHARED_WORDS = 3
# A shorter fragment joins a statement only when it appears word for word in it, has this many
# content words, and appears in no other statement ("real concerns" in "very real concerns").
MIN_FRAGMENT_WORDS = 2
MIN_COVERAGE = 0.6
# ... and those words lie close together in the longer one: within this many times the shorter
# one's length in content words (words scattered over a long quotation are a coincidence).
MAX_SPREAD = 1.5
# A wording with at least this share of the fullest wording's words is "full", else "partial".
FULL_SHARE = 0.8
# Two adjacent content words found in more quotations than this are too common to propose candidate
# pairs (pairs sharing them are still found through their rarer ones).
_MAX_POSTINGS = 300

# Copies: word n-grams shared by two articles, merged into passages with at least PASSAGE_WORDS words
# outside quotations.
SHINGLE_WORDS = 8
PASSAGE_WORDS = 30
WHOLE_COPY = 0.8  # a copy whose passages hold this share of its words is a copy of the whole article
_SAMPLE = 4  # candidate pairs share _MIN_SAMPLED of the shingles kept, one in _SAMPLE by a stable hash
_MIN_SAMPLED = 2
_MAX_SHARING = 10  # a shingle in more articles than this is boilerplate (a footer), not a copy

_WORD = re.compile(r"\w+(?:['’]\w+)*")


def outlet_of(item: Quotation | Article) -> str:
    """The outlet an article or quotation counts for; articles of unknown outlet are never merged."""
    if item.outlet == UNKNOWN_OUTLET:
        return f"{UNKNOWN_OUTLET} ({item.id if isinstance(item, Article) else item.article})"
    return item.outlet


def count_words(text: str) -> int:
    """Words as alignment counts them (runs of letters and digits, with inner apostrophes)."""
    return sum(1 for _ in _WORD.finditer(text))


# --------------------------------------------------------------------------------------------------
# The same statement


@dataclass(frozen=True)
class DiffRun:
    """A run of words: in both wordings ("equal"), only the fullest ("deleted"), or only this one
    ("inserted")."""

    op: str
    words: tuple[str, ...]


@dataclass(frozen=True)
class Wording:
    """One quotation of a statement, compared with the statement's fullest wording."""

    quotation: Quotation
    extent: str  # "full" | "partial"
    exact: bool  # its words appear, in one run, in the fullest wording
    diff: tuple[DiffRun, ...]  # against the matching part of the fullest wording; () when exact


@dataclass(frozen=True)
class Statement:
    """Quotations of one statement, the fullest wording first, then in (article, start) order."""

    wordings: tuple[Wording, ...]

    @property
    def reference(self) -> Quotation:
        return self.wordings[0].quotation

    @property
    def outlets(self) -> tuple[str, ...]:
        """The outlets carrying it (see `outlet_of`), sorted."""
        return tuple(sorted({outlet_of(w.quotation) for w in self.wordings}))


@dataclass(frozen=True)
class _Words:
    shown: tuple[str, ...]  # the words as written
    keys: tuple[str, ...]  # the same words normalised for comparison
    content: tuple[str, ...]  # the keys that are not function words, in order


def align_quotations(quotations: Iterable[Quotation]) -> list[Statement]:
    """Every quotation in exactly one Statement, statements in order of their first quotation.

    Quotations are grouped whatever their speaker: exact repeats, variant wordings and fragments of a
    longer quotation. Variants group transitively; a short fragment joins a statement only when it
    fits that one alone.
    """
    items = sorted(quotations, key=_order)
    words = [_words(q.text) for q in items]
    groups = _Groups(len(items))
    containers: dict[int, list[int]] = defaultdict(list)  # short fragment -> quotations holding it
    for i, j in _candidate_pairs(words):
        if _same_statement(words[i], words[j]):
            groups.join(i, j)
        elif _holds_fragment(words[i], words[j]):
            containers[j].append(i)
        elif _holds_fragment(words[j], words[i]):
            containers[i].append(j)
    # Fragments join last, and only when unambiguous, so that a common phrase cannot chain
    # unrelated statements together.
    for fragment, holders in sorted(containers.items()):
        targets = {groups.find(h) for h in holders}
        if len(targets) == 1:
            groups.join(fragment, targets.pop())
    members: dict[int, list[int]] = defaultdict(list)
    for i in range(len(items)):
        members[groups.find(i)].append(i)
    statements = [_statement(items, words, indices) for indices in members.values()]
    return sorted(statements, key=lambda s: min(_order(w.quotation) for w in s.wordings))


def format_diff(
    diff: Sequence[DiffRun],
    escape: Callable[[str], str] = str,
    deleted: str = "[-{}-]",
    inserted: str = "{{+{}+}}",
) -> str:
    """A diff as one line: equal words as they are, the others in the `deleted`/`inserted` formats
    (Markdown: `format_diff(d, markdown_cell, "~~{}~~", "**{}**")`)."""
    forms = {"equal": "{}", "deleted": deleted, "inserted": inserted}
    return " ".join(forms[run.op].format(escape(" ".join(run.words))) for run in diff)


def _order(quotation: Quotation) -> tuple:
    return (quotation.article, quotation.start, quotation.end, quotation.text)


def _words(text: str) -> _Words:
    shown = tuple(_WORD.findall(text))
    keys = tuple(w.lower().replace("’", "'") for w in shown)
    return _Words(shown, keys, tuple(k for k in keys if k not in FUNCTION_WORDS))


def _candidate_pairs(words: list[_Words]) -> list[tuple[int, int]]:
    """Pairs that repeat a wording or share two adjacent content words that are not too common, sorted.

    Any two wordings that can be one statement share such a pair of words (a fragment's words are
    adjacent in its container too), and pairs of words are far rarer than words, so a corpus of tens of
    thousands of quotations gives few candidates.
    """
    by_wording: dict[tuple[str, ...], list[int]] = defaultdict(list)
    postings: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, w in enumerate(words):
        if w.content:
            by_wording[w.keys].append(i)
        for bigram in set(zip(w.content, w.content[1:], strict=False)):
            postings[bigram].append(i)
    pairs = {pair for same in by_wording.values() for pair in combinations(same, 2)}
    for indices in postings.values():
        if len(indices) <= _MAX_POSTINGS:
            pairs.update(combinations(indices, 2))
    return sorted(pairs)


def _holds_fragment(long: _Words, short: _Words) -> bool:
    return (
        len(set(short.content)) >= MIN_FRAGMENT_WORDS
        and f" {' '.join(short.keys)} " in f" {' '.join(long.keys)} "
    )


def _same_statement(a: _Words, b: _Words) -> bool:
    if a.keys == b.keys:
        return bool(a.content)
    short, long = sorted((a, b), key=lambda w: len(w.content))
    if len(set(short.content) & set(long.content)) < MIN_SHARED_WORDS:
        return False
    blocks = [b for b in LCSseq.editops(short.content, long.content).as_matching_blocks() if b.size]
    matched = sum(b.size for b in blocks)
    window = blocks[-1].b + blocks[-1].size - blocks[0].b if blocks else 0
    return matched >= MIN_COVERAGE * len(short.content) and window <= MAX_SPREAD * len(short.content)


def _statement(items: list[Quotation], words: list[_Words], indices: list[int]) -> Statement:
    reference = max(indices, key=lambda i: (len(words[i].keys), -i))
    full = words[reference]
    wordings = [Wording(items[reference], "full", True, ())]
    for i in indices:
        if i != reference:
            wordings.append(_wording(items[i], words[i], full))
    return Statement(tuple(wordings))


def _wording(quotation: Quotation, words: _Words, full: _Words) -> Wording:
    extent = "full" if len(words.keys) >= FULL_SHARE * len(full.keys) else "partial"
    matcher = difflib.SequenceMatcher(None, full.keys, words.keys, autojunk=False)
    blocks = [b for b in matcher.get_matching_blocks() if b.size]
    if len(blocks) == 1 and blocks[0].size == len(words.keys):
        return Wording(quotation, extent, True, ())
    # Compare with the part of the fullest wording this one covers (widened by as many words as this
    # one has before its first and after its last shared word), not with all of it.
    first, last = 0, len(full.keys)
    if blocks:
        head, tail = blocks[0], blocks[-1]
        first = max(0, head.a - head.b)
        last = min(len(full.keys), tail.a + tail.size + len(words.keys) - tail.b - tail.size)
    matcher.set_seq1(full.keys[first:last])
    diff: list[DiffRun] = []
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            diff.append(DiffRun("equal", words.shown[b1:b2]))
            continue
        if a2 > a1:
            diff.append(DiffRun("deleted", full.shown[first + a1 : first + a2]))
        if b2 > b1:
            diff.append(DiffRun("inserted", words.shown[b1:b2]))
    return Wording(quotation, extent, False, tuple(diff))


class _Groups:
    """Union-find over indices; the smallest index represents its group (keeps results stable)."""

    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def join(self, i: int, j: int) -> None:
        a, b = self.find(i), self.find(j)
        if a != b:
            self.parent[max(a, b)] = min(a, b)


# --------------------------------------------------------------------------------------------------
# Copies


@dataclass(frozen=True)
class Copy:
    """Passages of `article` that reproduce the text of `source` (article ids)."""

    article: str
    source: str
    share: float  # share of the copy's words inside the passages
    passages: tuple[tuple[int, int], ...]  # str offsets into the copy's text

    @property
    def whole(self) -> bool:
        return self.share >= WHOLE_COPY


def find_copies(articles: Iterable[Article], quotations: Iterable[Quotation] = ()) -> list[Copy]:
    """Every pair of articles of different outlets sharing passages of PASSAGE_WORDS words or more of
    their own text, as the later copy of the earlier one, sorted by (copy, source).

    Words inside `quotations` do not count towards a passage: two outlets quoting one long statement
    have not copied each other. The copy is the article with the later date when both are dated, else
    the one that credits the other's outlet as its original, else the one more of whose text is shared
    (a trimmed copy is all original), else the one with the greater id.
    """
    items = sorted(articles, key=lambda a: a.id)
    postings: dict[int, list[int]] = defaultdict(list)
    for i, article in enumerate(items):
        sampled = {f for f in map(_fingerprint, _shingles(_tokens(article.text))) if f % _SAMPLE == 0}
        for fingerprint in sampled:
            postings[fingerprint].append(i)
    shared: Counter[tuple[int, int]] = Counter()
    for indices in postings.values():
        if len(indices) <= _MAX_SHARING:
            shared.update(combinations(indices, 2))
    candidates = sorted(
        (i, j)
        for (i, j), count in shared.items()
        if count >= _MIN_SAMPLED and outlet_of(items[i]) != outlet_of(items[j])
    )
    quoted: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for q in quotations:
        quoted[q.article].append((q.start, q.end))
    texts = {
        i: _Text(items[i].text, quoted.get(items[i].id, []))
        for i in sorted({i for pair in candidates for i in pair})
    }
    copies = []
    for i, j in candidates:
        runs_i = texts[i].passages(texts[j])
        if not runs_i:
            continue
        runs_j = texts[j].passages(texts[i])
        share_i, share_j = texts[i].share(runs_i), texts[j].share(runs_j)
        if _later(items[i], items[j], share_i, share_j):
            copies.append(Copy(items[i].id, items[j].id, share_i, texts[i].offsets(runs_i)))
        else:
            copies.append(Copy(items[j].id, items[i].id, share_j, texts[j].offsets(runs_j)))
    return sorted(copies, key=lambda c: (c.article, c.source))


def copied_quotations(quotations: Iterable[Quotation], copies: Iterable[Copy]) -> list[Quotation]:
    """The quotations that lie (mostly) inside a copied passage: not an independent choice."""
    passages: Mapping[str, list[tuple[int, int]]] = defaultdict(list)
    for copy in copies:
        passages[copy.article].extend(copy.passages)
    return [
        q
        for q in quotations
        if any(
            2 * (min(end, q.end) - max(start, q.start)) >= q.end - q.start
            for start, end in passages.get(q.article, ())
        )
    ]


def _tokens(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group().lower()) for m in _WORD.finditer(text)]


def _shingles(tokens: list[tuple[int, int, str]]) -> list[str]:
    keys = [key for _, _, key in tokens]
    return [" ".join(keys[i : i + SHINGLE_WORDS]) for i in range(len(keys) - SHINGLE_WORDS + 1)]


def _fingerprint(shingle: str) -> int:
    """A hash that is the same in every process (str hashes are salted per process)."""
    return zlib.crc32(shingle.encode())


class _Text:
    """An article's words and shingles, and which words are its own (outside quotations)."""

    def __init__(self, text: str, quoted: list[tuple[int, int]]) -> None:
        self.tokens = _tokens(text)
        self.shingles = _shingles(self.tokens)
        self.own = [not any(s <= start < e for s, e in quoted) for start, _, _ in self.tokens]

    def passages(self, other: _Text) -> list[tuple[int, int]]:
        """Runs of words [first, last) covered by shingles `other` has, with enough words of its own."""
        theirs = set(other.shingles)
        runs: list[tuple[int, int]] = []
        for i, gram in enumerate(self.shingles):
            if gram not in theirs:
                continue
            if runs and i <= runs[-1][1]:
                runs[-1] = (runs[-1][0], i + SHINGLE_WORDS)
            else:
                runs.append((i, i + SHINGLE_WORDS))
        return [(first, last) for first, last in runs if sum(self.own[first:last]) >= PASSAGE_WORDS]

    def share(self, runs: list[tuple[int, int]]) -> float:
        return round(sum(last - first for first, last in runs) / max(len(self.tokens), 1), 4)

    def offsets(self, runs: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
        return tuple((self.tokens[first][0], self.tokens[last - 1][1]) for first, last in runs)


def _later(a: Article, b: Article, share_a: float, share_b: float) -> bool:
    """Whether `a` is the copy of `b` (see find_copies)."""
    if a.date and b.date and a.date != b.date:
        return a.date > b.date
    a_credits_b, b_credits_a = (
        a.original_outlet == b.outlet != a.outlet,
        b.original_outlet == a.outlet != b.outlet,
    )
    if a_credits_b != b_credits_a:
        return a_credits_b
    if share_a != share_b:
        return share_a > share_b
    return a.id > b.id
